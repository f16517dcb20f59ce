import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import sharp from 'sharp'
import { type TestApp, testApp } from '../../../test/support/app.ts'
import { childDetailsFor } from '../../../test/support/children.ts'
import { assertNoMetadata, gpsJpeg } from '../../../test/support/photos.ts'
import { WebClient } from '../../../test/support/web-client.ts'
import { sectionDefinition } from '../../plan/definition.ts'
import { todayInEngland } from '../../platform/dates.ts'
import type { StaffActor } from '../../platform/request-context.ts'
import { childrenService } from '../children/service.ts'
import { familiesService } from '../families/service.ts'
import { plansService } from '../plans/service.ts'

// Birth family sign-off through the real app (issue 5, ADR 0014): the worker makes a link or a
// letter's code for one relative of section 4 and sees it once; the relative, with no account, reads
// their entry and confirms or declines once; expired, used, withdrawn links are refused in words; a
// wrong code is refused without saying whether it ever existed; a paper signature is recorded with
// its scan; nobody outside the placing agency's plan reaches any of it.

const SUPPORT = 'Counselling with Birthlink, and help writing a letter each year.'
const PDF = Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n', 'latin1')

describe('birth family sign-off', () => {
  let t: TestApp
  let worker: WebClient
  let stranger: WebClient
  let adopter: WebClient
  let planId: string
  let motherId: string
  let fatherId: string

  const db = () => t.database.db
  const links = () => db().selectFrom('birth_family_links').selectAll().orderBy('created_at').execute()
  const events = (what: string) =>
    db().selectFrom('audit_events').selectAll().where('what', '=', what).orderBy('seq').execute()

  /** A relative, anonymous: a browser of their own, cookies and all. */
  const relative = () => new WebClient(t.app)

  /** A relative who types a code on the page for letters, from a browser of their own. */
  async function enterCode(code: string) {
    const them = relative()
    await them.get('/birth-family')
    return them.post('/birth-family', { code })
  }

  async function create(kind: 'link' | 'code', relativeId = motherId): Promise<string> {
    await worker.get(`/plans/${planId}/birth-family/${relativeId}/share`)
    const created = await worker.post(`/plans/${planId}/birth-family/${relativeId}/share`, { kind })
    assert.equal(created.statusCode, 200)
    assert.equal(created.headers['cache-control'], 'no-store')
    const shown = /<p class="govuk-body app-secret" id="secret">([^<]+)<\/p>/.exec(created.body)?.[1]
    assert.ok(shown, 'the link or code is shown')
    return kind === 'link' ? new URL(shown).pathname : shown
  }

  before(async () => {
    t = await testApp()
    const agencyId = await t.addAgency()
    const workerUser = await t.addUser(agencyId, 'social-worker')
    worker = new WebClient(t.app)
    await worker.signIn(workerUser)
    stranger = new WebClient(t.app)
    await stranger.signIn(await t.addUser(await t.addAgency(), 'social-worker'))
    const actor: StaffActor = { kind: 'staff', userId: workerUser.id, agencyId, role: 'social-worker' }
    const child = await childrenService(db()).add(actor, childDetailsFor(), 'test')
    if (child.outcome !== 'added') throw new Error('child not added')
    const families = familiesService(db())
    const familyId = await families.add(
      actor,
      {
        approvingAgencyId: agencyId,
        adopters: [{ firstName: 'Sam', lastName: 'Reid', dateOfBirth: '1985-02-01', email: null }],
      },
      'test',
    )
    await families.match(actor, familyId, child.child.id, 'test')
    const plans = plansService(db())
    const started = await plans.create(actor, child.child.id, 'test')
    if (started.outcome !== 'created') throw new Error('plan not created')
    planId = started.planId
    const section = sectionDefinition('birth-family')
    const list = section?.lists[0]
    if (!list) throw new Error('no list of relatives')
    const add = async (answers: Record<string, string>) => {
      const version = (
        await db()
          .selectFrom('plan_sections')
          .select('version')
          .where('plan_id', '=', planId)
          .where('key', '=', 'birth-family')
          .executeTakeFirstOrThrow()
      ).version
      const saved = await plans.saveItem(actor, planId, 'birth-family', list, null, version, answers, {
        correlationId: 'test',
      })
      return saved.itemId as string
    }
    motherId = await add({
      relative: 'Birth mother',
      relationship: 'Mother',
      support: SUPPORT,
      providedBy: 'Birthlink',
    })
    fatherId = await add({
      relative: 'Birth father',
      relationship: 'Father',
      support: 'A support group',
      providedBy: 'The agency',
    })
    adopter = new WebClient(t.app)
    await adopter.signIn(await t.addAdopterAccount(familyId, agencyId))
    await db().updateTable('plans').set({ status: 'with-adopters' }).where('id', '=', planId).execute()
  })
  after(() => t.close())

  test('the plan’s front page and its section 4 lead to birth family sign-off', async () => {
    const front = await worker.get(`/plans/${planId}`)
    assert.match(front.body, new RegExp(`href="/plans/${planId}/birth-family">Birth family sign-off`))
    const section = await worker.get(`/plans/${planId}/sections/birth-family`)
    assert.match(section.body, new RegExp(`href="/plans/${planId}/birth-family">Birth family sign-off`))
    const page = await worker.get(`/plans/${planId}/birth-family`)
    assert.equal(page.statusCode, 200)
    assert.match(page.body, /Birth mother \(Mother\)/)
    assert.match(page.body, /Send a link or code<span class="govuk-visually-hidden"> to Birth mother/)
  })

  test('making a link asks how it will be sent, and shows it once; only its hash is kept', async () => {
    await worker.get(`/plans/${planId}/birth-family/${motherId}/share`)
    const unchosen = await worker.post(`/plans/${planId}/birth-family/${motherId}/share`, {})
    assert.equal(unchosen.statusCode, 422)
    assert.match(unchosen.body, /href="#kind">Select how you will send it to them/)
    assert.equal((await links()).length, 0)

    const path = await create('link')
    const token = path.split('/')[2] as string
    assert.match(token, /^[A-Za-z0-9_-]{43}$/)
    const [stored] = await links()
    assert.equal(stored?.kind, 'link')
    assert.notEqual(stored?.secret_hash, token)
    assert.ok(!JSON.stringify(await db().selectFrom('audit_events').selectAll().execute()).includes(token))
    const page = await worker.get(`/plans/${planId}/birth-family`)
    assert.ok(!page.body.includes(token), 'the links page never shows it again')
    assert.match(page.body, /Waiting for an answer/)
    assert.match(page.body, /Not opened/)
    assert.equal((await events('birth-family-link-created')).length, 1)
  })

  test('the relative opens the link: their entry of section 4 only, never cached, audited', async () => {
    const path = await create('link')
    const them = relative()
    const opened = await them.get(path)
    assert.equal(opened.statusCode, 200)
    assert.equal(opened.headers['cache-control'], 'no-store')
    assert.match(opened.body, /<title>Adoption support offered to you – Adoption Support<\/title>/)
    assert.ok(opened.body.includes(SUPPORT))
    assert.doesNotMatch(opened.body, /Birth father|A support group/, 'another relative’s entry stays hidden')
    assert.doesNotMatch(opened.body, /Ada|Hartley|Sam|Reid/, 'no child’s or adopter’s name')
    await them.get(path)
    const audited = await events('birth-family-link-opened')
    assert.ok(audited.length >= 2, 'every opening is audited')
    assert.equal(audited.at(-1)?.who, null)
    assert.equal(audited.at(-1)?.subject_type, 'child')
    assert.match((await worker.get(`/plans/${planId}/birth-family`)).body, /Opened/)
  })

  test('the public form needs its CSRF token', async () => {
    const path = await create('link')
    const them = relative()
    await them.get(path)
    const forged = await them.post(path, { answer: 'decline', reason: 'Forged' }, { csrf: null })
    assert.equal(forged.statusCode, 403)
    const stored = (await links()).at(-1)
    assert.equal(stored?.answered_at, null, 'nothing answered')
  })

  test('an answer with mistakes comes back with what was typed; a confirmation is kept, once', async () => {
    const path = await create('link')
    const them = relative()
    await them.get(path)
    const empty = await them.post(path, {})
    assert.equal(empty.statusCode, 422)
    assert.match(empty.body, /href="#answer">Select whether you confirm the support offered to you/)
    const missing = await them.post(path, { answer: 'confirm', name: 'Jo Bloggs' })
    assert.equal(missing.statusCode, 422)
    assert.match(missing.body, /href="#date-day">Enter the date/)
    assert.match(missing.body, /value="Jo Bloggs"/)
    const future = await them.post(path, {
      answer: 'confirm',
      name: 'Jo Bloggs',
      'date-day': '1',
      'date-month': '1',
      'date-year': String(new Date().getFullYear() + 1),
    })
    assert.match(future.body, /The date must be today or in the past/)
    const [year, month, day] = todayInEngland().split('-')
    const confirmed = await them.post(path, {
      answer: 'confirm',
      name: 'Jo Bloggs',
      'date-day': day as string,
      'date-month': month as string,
      'date-year': year as string,
    })
    assert.equal(confirmed.statusCode, 303)
    assert.equal(confirmed.headers.location, '/birth-family/answered')
    const thanks = await them.get('/birth-family/answered')
    assert.match(thanks.body, /Your answer has been sent/)
    const stored = (await links()).at(-1)
    assert.equal(stored?.answer, 'confirmed')
    assert.equal(stored?.answer_name, 'Jo Bloggs')
    assert.deepEqual(stored?.answered_content, {
      relative: 'Birth mother',
      relationship: 'Mother',
      support: SUPPORT,
      providedBy: 'Birthlink',
    })
    assert.equal((await events('birth-family-link-answered')).length, 1)

    const page = await worker.get(`/plans/${planId}/birth-family`)
    assert.match(page.body, /Confirmed by Jo Bloggs, dated/)
    // The mother's other links still waiting were closed by her answer.
    assert.ok(
      (await links())
        .filter((link) => link.relative_id === motherId)
        .every((l) => l.answered_at || l.closed_at),
    )
    assert.match(page.body, /Closed: answered another way/)

    const again = await relative().get(path)
    assert.equal(again.statusCode, 410)
    assert.match(again.body, /This link has already been used/)
    const reanswer = await them.post(path, { answer: 'decline', reason: 'Changed my mind' })
    assert.equal(reanswer.statusCode, 410)
    assert.equal((await links()).at(-1)?.answer, 'confirmed', 'the first answer stands')
    assert.ok((await events('birth-family-link-refused')).length >= 2)
  })

  test('a withdrawn link is refused, and cannot be withdrawn twice', async () => {
    const path = await create('link', fatherId)
    const linkId = (await links()).at(-1)?.id as string
    await worker.get(`/plans/${planId}/birth-family`)
    const revoked = await worker.post(`/plans/${planId}/birth-family/links/${linkId}/revoke`, {})
    assert.equal(revoked.headers.location, `/plans/${planId}/birth-family?saved=revoked`)
    assert.match((await worker.get(`/plans/${planId}/birth-family?saved=revoked`)).body, /Withdrawn/)
    const refused = await relative().get(path)
    assert.equal(refused.statusCode, 410)
    assert.match(refused.body, /This link has been withdrawn/)
    const twice = await worker.post(`/plans/${planId}/birth-family/links/${linkId}/revoke`, {})
    assert.equal(twice.statusCode, 409)
    assert.equal((await events('birth-family-link-revoked')).length, 1)
  })

  test('an expired link is refused, and says so', async () => {
    const path = await create('link', fatherId)
    const linkId = (await links()).at(-1)?.id as string
    await db()
      .updateTable('birth_family_links')
      .set({ expires_at: new Date(Date.now() - 1000) })
      .where('id', '=', linkId)
      .execute()
    const refused = await relative().get(path)
    assert.equal(refused.statusCode, 410)
    assert.match(refused.body, /This link has expired/)
    assert.match(refused.body, /Links work for 28 days/)
    assert.match((await worker.get(`/plans/${planId}/birth-family`)).body, /Expired/)
  })

  test('a link that was never made does not work', async () => {
    const refused = await relative().get(`/birth-family/${'A'.repeat(43)}`)
    assert.equal(refused.statusCode, 404)
    assert.match(refused.body, /This link does not work/)
    assert.equal((await relative().get('/birth-family/not-a-token')).statusCode, 404)
  })

  test('a letter’s code, typed in any case and spacing, opens the entry and takes one answer', async () => {
    const code = await create('code', fatherId)
    assert.match(code, /^[A-Z2-9]{4}-[A-Z2-9]{4}$/)
    const them = relative()
    const form = await them.get('/birth-family')
    assert.equal(form.statusCode, 200)
    assert.match(form.body, /Enter the code from your letter/)
    const typed = ` ${code.toLowerCase().replace('-', ' ')} `
    const opened = await them.post('/birth-family', { code: typed })
    assert.equal(opened.statusCode, 200)
    assert.match(opened.body, /A support group/)
    assert.ok(!opened.body.includes(SUPPORT))
    const declined = await them.post('/birth-family/answer', {
      code: code.replace('-', ''),
      answer: 'decline',
      reason: 'I want letters twice a year',
    })
    assert.equal(declined.statusCode, 303)
    const stored = (await links()).at(-1)
    assert.equal(stored?.answer, 'declined')
    assert.equal(stored?.decline_reason, 'I want letters twice a year')
    assert.match(
      (await worker.get(`/plans/${planId}/birth-family`)).body,
      /Declined: <span[^>]*>I want letters/,
    )

    // Used, or never made: the same answer, which says nothing of whether the code existed.
    const used = await enterCode(code)
    const neverMade = await enterCode('ZZZZ-9999')
    const malformed = await enterCode('hello')
    for (const refused of [used, neverMade, malformed]) {
      assert.equal(refused.statusCode, 422)
      assert.match(refused.body, /href="#code">The code is not right, or it can no longer be used/)
    }
    const strip = (body: string) => body.replace(/(value|nonce)="[^"]*"/g, '')
    assert.equal(strip(used.body), strip(neverMade.body))
    const reused = await them.post('/birth-family/answer', { code, answer: 'decline', reason: 'Again' })
    assert.equal(reused.statusCode, 422)
    assert.match(reused.body, /The code is not right, or it can no longer be used/)
  })

  test('a code is never taken for a link, nor a link for a code', async () => {
    const code = await create('code', fatherId)
    assert.equal((await relative().get(`/birth-family/${code.replace('-', '')}`)).statusCode, 404)
    const path = await create('link', fatherId)
    const asCode = await enterCode(path.split('/')[2] as string)
    assert.equal(asCode.statusCode, 422)
  })

  test('a paper signature is recorded with its scan, which only the plan’s staff are sent', async () => {
    const waiting = await create('link', fatherId)
    const paper = `/plans/${planId}/birth-family/${fatherId}/paper`
    await worker.get(paper)
    const text = await worker.postFiles(
      paper,
      { name: 'Tom Bloggs', 'signed-day': '2', 'signed-month': '3', 'signed-year': '2026' },
      { scan: { filename: 'scan.pdf', contentType: 'application/pdf', bytes: Buffer.from('Dear diary') } },
    )
    assert.equal(text.statusCode, 422)
    assert.match(text.body, /href="#scan">The selected file must be a PDF, JPG, PNG or HEIC/)
    assert.match(text.body, /value="Tom Bloggs"/)
    const noName = await worker.postFiles(
      paper,
      { name: '', 'signed-day': '', 'signed-month': '', 'signed-year': '' },
      { scan: { filename: 'scan.pdf', contentType: 'application/pdf', bytes: PDF } },
    )
    assert.match(noName.body, /href="#name">Enter the name they signed with/)
    assert.match(noName.body, /href="#signed-day">Enter the date they signed/)

    const saved = await worker.postFiles(
      paper,
      { name: 'Tom Bloggs', 'signed-day': '2', 'signed-month': '3', 'signed-year': '2026' },
      { scan: { filename: 'Tom Bloggs signature.pdf', contentType: 'application/pdf', bytes: PDF } },
    )
    assert.equal(saved.headers.location, `/plans/${planId}/birth-family?saved=signature`)
    const page = await worker.get(`/plans/${planId}/birth-family?saved=signature`)
    assert.match(page.body, /Signed by Tom Bloggs on 2 March 2026/)
    const signature = await db().selectFrom('birth_family_signatures').selectAll().executeTakeFirstOrThrow()
    assert.deepEqual(Buffer.from(signature.bytes), PDF, 'a PDF is kept as it came')
    assert.equal((await relative().get(waiting)).statusCode, 410, 'the link still waiting is closed')

    const scanUrl = `/plans/${planId}/birth-family/signatures/${signature.id}/scan`
    const scan = await worker.get(scanUrl)
    assert.equal(scan.statusCode, 200)
    assert.equal(scan.headers['content-type'], 'application/pdf')
    assert.equal(scan.headers['cache-control'], 'no-store')
    assert.match(String(scan.headers['content-disposition']), /^attachment; filename="signature.pdf"/)
    assert.deepEqual(scan.rawPayload, PDF)
    assert.equal((await events('birth-family-signature-viewed')).length, 1)
    assert.equal((await stranger.get(scanUrl)).statusCode, 404)
    assert.notEqual((await adopter.get(scanUrl)).statusCode, 200)

    // A photo of the page is re-encoded: where it was taken does not go in.
    await worker.postFiles(
      paper,
      { name: 'Tom Bloggs', 'signed-day': '2', 'signed-month': '3', 'signed-year': '2026' },
      { scan: { filename: 'IMG_0001.jpg', contentType: 'image/jpeg', bytes: await gpsJpeg() } },
    )
    const photo = await db()
      .selectFrom('birth_family_signatures')
      .selectAll()
      .where('media_type', '=', 'image/jpeg')
      .executeTakeFirstOrThrow()
    await assertNoMetadata(Buffer.from(photo.bytes))
    assert.equal((await sharp(Buffer.from(photo.bytes)).metadata()).format, 'jpeg')
    assert.equal((await events('birth-family-signature-recorded')).length, 2)
  })

  test('another agency’s worker finds none of it; adopters are refused', async () => {
    const urls = [
      `/plans/${planId}/birth-family`,
      `/plans/${planId}/birth-family/${motherId}/share`,
      `/plans/${planId}/birth-family/${motherId}/paper`,
    ]
    for (const url of urls) {
      assert.equal((await stranger.get(url)).statusCode, 404, url)
      assert.notEqual((await adopter.get(url)).statusCode, 200, url)
    }
    assert.equal((await adopter.get(`/plans/${planId}`)).statusCode, 200, 'the adopter reads the plan')
    assert.doesNotMatch((await adopter.get(`/plans/${planId}`)).body, /Birth family sign-off/)
    await stranger.get('/children')
    const made = await stranger.post(`/plans/${planId}/birth-family/${motherId}/share`, { kind: 'link' })
    assert.equal(made.statusCode, 404)
    const linkId = (await links()).at(-1)?.id as string
    const revoke = await stranger.post(`/plans/${planId}/birth-family/links/${linkId}/revoke`, {})
    assert.equal(revoke.statusCode, 404)
  })

  test('too many codes tried from one connection are refused for a while, in the relative’s words', async () => {
    const them = relative()
    await them.get('/birth-family')
    let last = await them.post('/birth-family', { code: 'ZZZZ-9999' })
    for (let i = 0; i < 12 && last.statusCode !== 429; i++)
      last = await them.post('/birth-family', { code: 'ZZZZ-9999' })
    assert.equal(last.statusCode, 429)
    assert.match(last.body, /Too many attempts/)
    assert.match(last.body, /Wait 15 minutes/)
    assert.doesNotMatch(last.body, /sign-in/)
  })
})
