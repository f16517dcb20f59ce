import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import type { LightMyRequestResponse } from 'fastify'
import { type TestApp, type TestUser, testApp } from '../../../test/support/app.ts'
import { docxText } from '../../../test/support/docx.ts'
import { pdfText } from '../../../test/support/pdf.ts'
import { type SharedPlan, sharedPlan } from '../../../test/support/shared-plan.ts'
import { assertInOrder, squeezed } from '../../../test/support/text.ts'
import { WebClient } from '../../../test/support/web-client.ts'
import { type WrittenPlan, writeWholePlan } from '../../../test/support/written-plan.ts'
import { formatDate } from '../../platform/dates.ts'
import { accounts } from '../accounts/service.ts'
import { plansService } from '../plans/service.ts'

// Issue 6, acceptance 1 and 2: a fully written plan as a PDF, a Word file and a print page has every
// answer, in the plan's order; the birth family's variant has section 4's support and nothing of the
// adopters (their names, date of birth, section 3, nor the child's names). Also: any version, every
// download audited, the same bytes each time, and nobody else's plan.

const ADOPTER_FIRST = 'Canaryadopterfirst'
const ADOPTER_LAST = 'Canaryadopterlast'
const CHILD = 'Canarychild'

const bytesOf = (response: LightMyRequestResponse) => response.rawPayload

async function textOf(response: LightMyRequestResponse): Promise<string> {
  const type = String(response.headers['content-type'])
  if (type.startsWith('application/pdf')) return (await pdfText(bytesOf(response))).join('\n')
  if (type.includes('wordprocessingml')) return docxText(bytesOf(response))
  return response.body
    .replace(/<[^>]+>/g, ' ')
    .replaceAll('&#39;', "'")
    .replaceAll('&quot;', '"')
    .replaceAll('&lt;', '<')
    .replaceAll('&gt;', '>')
    .replaceAll('&amp;', '&')
}

describe('documents of a plan version', () => {
  let t: TestApp
  let shared: SharedPlan
  let written: WrittenPlan
  let worker: WebClient
  let token: string
  let base: string
  /** The version taken of the whole plan (sharing it with the adopters took versions before). */
  let first: number

  const downloads = async () =>
    (
      await t.database.db
        .selectFrom('audit_events')
        .select(['what', 'details'])
        .where('what', '=', 'plan-document-downloaded')
        .execute()
    ).map((row) => row.details as Record<string, unknown>)

  /** Changes one answer of a section as its page would, keeping the others, and saves a version. */
  const changeAnswer = async (key: string, field: string, value: string) => {
    const plans = plansService(t.database.db)
    const section = await plans.section(shared.workerActor, shared.planId, key, 'test')
    assert.ok(section)
    const answers = { ...section.state.content.answers, [field]: value }
    const saved = await plans.saveAnswers(
      shared.workerActor,
      shared.planId,
      key,
      section.state.version,
      answers,
      'test',
    )
    assert.equal(saved.outcome, 'saved')
    const taken = await plans.takeVersion(shared.workerActor, shared.planId, 'Changed', 'test')
    assert.equal(taken.outcome, 'taken')
  }

  before(async () => {
    t = await testApp()
    shared = await sharedPlan(t, { child: CHILD, adopterFirst: ADOPTER_FIRST, adopterLast: ADOPTER_LAST })
    const plans = plansService(t.database.db)
    written = await writeWholePlan(plans, shared.workerActor, shared.planId, 'Written')
    const taken = await plans.takeVersion(shared.workerActor, shared.planId, 'For panel', 'test')
    assert.ok(taken.outcome === 'taken')
    first = taken.number
    worker = new WebClient(t.app)
    await worker.signIn(shared.worker)
    token = await accounts(t.database.db).addToken(shared.worker.id, 1)
    base = `/plans/${shared.planId}/documents`
  })
  after(() => t?.close())

  for (const format of ['pdf', 'docx', 'print page'] as const) {
    test(`the whole plan as a ${format} has every answer, in order`, async () => {
      const response = await worker.get(`${base}/full${format === 'print page' ? '' : `.${format}`}`)
      assert.equal(response.statusCode, 200, response.body.slice(0, 500))
      const text = await textOf(response)
      assertInOrder(text, written.inOrder, format)
      assertInOrder(text, [`Version ${first}`, CHILD, `${ADOPTER_FIRST} ${ADOPTER_LAST}`], format)
    })

    test(`the birth family’s ${format} has section 4’s support and nothing of the adopters`, async () => {
      const response = await worker.get(`${base}/birth-family${format === 'print page' ? '' : `.${format}`}`)
      assert.equal(response.statusCode, 200)
      const text = await textOf(response)
      assertInOrder(text, written.bySection['birth-family'] ?? [], format)
      // The print page sits in the service's layout, which names the plan's child in its caption: the
      // document itself is what is checked there.
      const document =
        format === 'print page' ? (/<article[\s\S]*<\/article>/.exec(response.body)?.[0] ?? '') : text
      const canaries = [
        ADOPTER_FIRST,
        ADOPTER_LAST,
        CHILD,
        '1985-02-01',
        formatDate('1985-02-01'),
        ...(written.bySection.adopters ?? []),
        ...(written.bySection.child ?? []),
        ...(written.bySection.network ?? []),
      ]
      for (const canary of canaries)
        assert.ok(!squeezed(document).includes(squeezed(canary)), `${format}: “${canary}” must not be there`)
    })
  }

  test('the files are named without a name, sent no-store, and the same version gives the same bytes', async () => {
    for (const format of ['pdf', 'docx']) {
      const latest = await worker.get(`${base}/full.${format}`)
      const numbered = await worker.get(`${base}/full.${format}?version=${first}`)
      assert.equal(latest.headers['cache-control'], 'no-store')
      const disposition = format === 'pdf' ? 'inline' : 'attachment'
      assert.equal(
        latest.headers['content-disposition'],
        `${disposition}; filename="adoption-support-plan-v${first}-full.${format}"`,
      )
      assert.ok(bytesOf(latest).equals(bytesOf(numbered)), `${format}: the same version, the same bytes`)
    }
  })

  test('an earlier version’s document says what the plan said then', async () => {
    await changeAnswer('child', 'whoTheyAre', 'A second draft of who the child is.')
    const latest = await textOf(await worker.get(`${base}/full.pdf`))
    const earlier = await textOf(await worker.get(`${base}/full.pdf?version=${first}`))
    assert.match(squeezed(latest), /Aseconddraftofwhothechildis\./)
    assert.ok(latest.includes(`Version ${first + 1}`))
    assert.doesNotMatch(squeezed(earlier), /Aseconddraft/)
    assert.ok(earlier.includes(`Version ${first}`))
  })

  test('every download is audited: who, which plan, variant, format and version', async () => {
    const before = (await downloads()).length
    await worker.get(`${base}/birth-family.docx?version=${first}`)
    const events = await downloads()
    assert.equal(events.length, before + 1)
    assert.deepEqual(events.at(-1), {
      planId: shared.planId,
      variant: 'birth-family',
      format: 'docx',
      version: first,
    })
  })

  test('the documents page links every document of the chosen version', async () => {
    const page = await worker.get(`${base}?version=${first}`)
    assert.equal(page.statusCode, 200)
    for (const file of ['full.pdf', 'full.docx', 'birth-family.pdf', 'birth-family.docx'])
      assert.ok(page.body.includes(`${base}/${file}?version=${first}`), file)
    assert.match(page.body, /This version has no reviews yet/)
    const plan = await worker.get(`/plans/${shared.planId}`)
    assert.ok(plan.body.includes(`href="${base}"`), 'the plan page links its documents')
  })

  test('through the API: files by token, and clear problems for what is not there', async () => {
    const call = (url: string) =>
      t.app.inject({ method: 'GET', url: `/api/v1${url}`, headers: { authorization: `Bearer ${token}` } })
    const pdf = await call(`${base}/full.pdf?version=${first}`)
    assert.equal(pdf.statusCode, 200)
    assert.equal(pdf.headers['content-type'], 'application/pdf')
    assert.equal(
      pdf.headers['content-disposition'],
      `attachment; filename="adoption-support-plan-v${first}-full.pdf"`,
    )
    assert.equal(bytesOf(pdf).subarray(0, 5).toString(), '%PDF-')
    const review = await call(`${base}/review.pdf`)
    assert.equal(review.statusCode, 404)
    assert.equal(review.json().detail, 'This version of the plan has no such review.')
    const unknown = await call(`${base}/everything.pdf`)
    assert.equal(unknown.statusCode, 400)
    const noVersion = await call(`${base}/full.pdf?version=99`)
    assert.equal(noVersion.statusCode, 404)
  })

  test('nobody else’s plan: another agency’s worker and a stranger adopter get nothing, and nothing is audited', async () => {
    const otherAgency = await t.addAgency()
    const stranger: TestUser = await t.addUser(otherAgency, 'social-worker')
    const client = new WebClient(t.app)
    await client.signIn(stranger)
    const before = (await downloads()).length
    for (const file of ['full.pdf', 'birth-family.docx', 'full', ''])
      assert.equal((await client.get(`${base}${file ? `/${file}` : ''}`)).statusCode, 404, file)
    assert.equal((await downloads()).length, before)
  })

  test('the family’s adopter may keep a copy of their plan', async () => {
    const adopter = new WebClient(t.app)
    await adopter.signIn(shared.adopter)
    const response = await adopter.get(`${base}/full.docx`)
    assert.equal(response.statusCode, 200)
    assertInOrder(await textOf(response), written.bySection.network ?? [], 'the adopter’s copy')
  })

  test('text from the plan is never markup on the print page', async () => {
    await changeAnswer('adopters', 'strengths', '<script>alert(1)</script> & <b>bold</b>')
    const page = await worker.get(`${base}/full`)
    assert.ok(page.body.includes('&lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;b&gt;bold&lt;/b&gt;'))
    assert.ok(!page.body.includes('<script>alert(1)'))
  })
})
