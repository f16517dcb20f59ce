import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { type TestApp, testApp } from '../../../test/support/app.ts'
import { childForm } from '../../../test/support/children.ts'
import { WebClient } from '../../../test/support/web-client.ts'
import { accounts } from '../accounts/service.ts'

// The plan's pages through the real app: start a plan, write a section, add, change and remove a
// need, answer "Have you completed this section?", save versions and compare them; a stale save shows
// both texts; nobody outside the agency finds the plan; no route changes a version.

const idFrom = (location: unknown) => String(location).split('/')[2]?.split('?')[0] as string

describe('plan pages', () => {
  let t: TestApp
  let worker: WebClient
  let colleague: WebClient
  let planId: string

  before(async () => {
    t = await testApp()
    const agency = await t.addAgency()
    worker = new WebClient(t.app)
    await worker.signIn(await t.addUser(agency, 'social-worker'))
    colleague = new WebClient(t.app)
    await colleague.signIn(await t.addUser(agency, 'team-manager'))
    await worker.get('/children/new')
    const childId = idFrom((await worker.post('/children', childForm)).headers.location)
    const page = await worker.get(`/children/${childId}`)
    assert.match(page.body, /Start the adoption support plan/)
    const started = await worker.post(`/children/${childId}/plan`, {})
    planId = idFrom(started.headers.location)
    assert.match(String(started.headers.location), /^\/plans\/[0-9a-f-]{36}\?saved=created$/)
  })
  after(() => t.close())

  /** What the last `count` audited views of a plan read, newest first. */
  async function lastViews(count: number): Promise<string[]> {
    const events = await t.database.db
      .selectFrom('audit_events')
      .select('details')
      .where('what', '=', 'plan-viewed')
      .orderBy('seq', 'desc')
      .limit(count)
      .execute()
    return events.map((event) => (event.details as { section: string }).section)
  }

  test('the task list shows each section’s status, derived from what is written', async () => {
    const page = await worker.get(`/plans/${planId}`)
    assert.equal(page.statusCode, 200)
    assert.match(page.body, /0 of 4 sections completed/)
    assert.match(page.body, /All about the child/)
    assert.match(page.body, /Cannot start yet/)
    assert.equal((page.body.match(/Not yet started/g) ?? []).length, 4)
  })

  test('a section is written, checked and completed; what is missing stops completion', async () => {
    const form = await worker.get(`/plans/${planId}/sections/child`)
    const version = /name="version" value="(\d+)"/.exec(form.body)?.[1] as string
    const wrong = await worker.post(`/plans/${planId}/sections/child`, {
      version,
      whoTheyAre: 'Ada loves dinosaurs.',
      ehcp: 'maybe',
      action: 'save',
    })
    assert.match(wrong.body, /<title>Error: 2. All about the child/)
    assert.match(wrong.body, /Ada loves dinosaurs\./, 'what was typed stays')
    const saved = await worker.post(`/plans/${planId}/sections/child`, {
      version,
      whoTheyAre: 'Ada loves dinosaurs.',
      action: 'save',
    })
    assert.equal(saved.headers.location, `/plans/${planId}/sections/child/check`)
    await worker.get(`/plans/${planId}/sections/child/check`)
    const early = await worker.post(`/plans/${planId}/sections/child/check`, { completed: 'yes' })
    assert.match(early.body, /You cannot mark this section as completed yet/)
    assert.match(early.body, /Enter the child’s understanding of their life story/)
    const later = await worker.post(`/plans/${planId}/sections/child/check`, { completed: 'no' })
    assert.equal(later.headers.location, `/plans/${planId}`)
    assert.match((await worker.get(`/plans/${planId}`)).body, /In progress/)
  })

  test('needs are added, changed and removed with the “add another” pattern', async () => {
    const form = await worker.get(`/plans/${planId}/sections/child`)
    const version = /name="version" value="(\d+)"/.exec(form.body)?.[1] as string
    const add = await worker.post(`/plans/${planId}/sections/child`, {
      version,
      whoTheyAre: 'Ada loves dinosaurs.',
      lifeStory: 'She knows she has a tummy mummy.',
      action: 'add:needs',
    })
    assert.equal(add.headers.location, `/plans/${planId}/sections/child/needs/new`, 'typed text saved first')
    const itemForm = await worker.get(`/plans/${planId}/sections/child/needs/new`)
    const itemVersion = /name="version" value="(\d+)"/.exec(itemForm.body)?.[1] as string
    const incomplete = await worker.post(`/plans/${planId}/sections/child/needs/new`, {
      version: itemVersion,
      area: 'education',
      description: 'Struggles with phonics',
      'startOn-day': '31',
      'startOn-month': '2',
      'startOn-year': '2027',
    })
    assert.match(incomplete.body, /Enter support to be provided/)
    assert.match(incomplete.body, /Start date must be a real date/)
    assert.match(incomplete.body, /Struggles with phonics/)
    const added = await worker.post(`/plans/${planId}/sections/child/needs/new`, {
      version: itemVersion,
      area: 'education',
      description: 'Struggles with phonics',
      expected: 'now',
      support: 'Extra reading sessions at school',
      providerOrganisation: 'Virtual school',
      funding: 'education',
      status: 'planned',
    })
    assert.equal(added.headers.location, `/plans/${planId}/sections/child#needs`)
    const section = await worker.get(`/plans/${planId}/sections/child`)
    assert.match(section.body, /Extra reading sessions at school/)
    const itemId = /value="change:needs:([0-9a-f-]{36})"/.exec(section.body)?.[1] as string
    const sectionVersion = /name="version" value="(\d+)"/.exec(section.body)?.[1] as string
    const change = await worker.post(`/plans/${planId}/sections/child`, {
      version: sectionVersion,
      whoTheyAre: 'Ada loves dinosaurs.',
      lifeStory: 'She knows she has a tummy mummy.',
      action: `change:needs:${itemId}`,
    })
    assert.equal(change.headers.location, `/plans/${planId}/sections/child/needs/${itemId}`)
    const changeForm = await worker.get(`/plans/${planId}/sections/child/needs/${itemId}`)
    assert.match(changeForm.body, /value="Virtual school"/)
    await worker.get(`/plans/${planId}/sections/child/needs/${itemId}/remove`)
    const unanswered = await worker.post(`/plans/${planId}/sections/child/needs/${itemId}/remove`, {})
    assert.match(unanswered.body, /Select yes if you want to remove this need/)
    await worker.post(`/plans/${planId}/sections/child/needs/${itemId}/remove`, { confirm: 'yes' })
    assert.doesNotMatch((await worker.get(`/plans/${planId}/sections/child`)).body, /Extra reading sessions/)
    const history = await worker.get(`/plans/${planId}/history`)
    assert.match(history.body, /Extra reading sessions at school/, 'the removed need stays in the history')
  })

  test('a save on a stale page keeps both people’s text and lets the second choose', async () => {
    const mine = await worker.get(`/plans/${planId}/sections/adopters`)
    const theirs = await colleague.get(`/plans/${planId}/sections/adopters`)
    const version = /name="version" value="(\d+)"/.exec(mine.body)?.[1] as string
    assert.equal(/name="version" value="(\d+)"/.exec(theirs.body)?.[1], version)
    await worker.post(`/plans/${planId}/sections/adopters`, {
      version,
      strengths: 'Warm and funny',
      informalSupport: 'Grandparents nearby',
      action: 'save',
    })
    const clash = await colleague.post(`/plans/${planId}/sections/adopters`, {
      version,
      strengths: 'Experienced foster carers',
      action: 'save',
    })
    assert.equal(clash.statusCode, 200)
    assert.match(clash.body, /changed this section while you were editing/)
    assert.match(clash.body, /Warm and funny/, 'their version is shown')
    assert.match(clash.body, />Experienced foster carers</, 'yours stays in the box')
    assert.match(clash.body, />Grandparents nearby</, 'what only they changed is in the form, to be kept')
    const newVersion = /name="version" value="(\d+)"/.exec(clash.body)?.[1] as string
    assert.notEqual(newVersion, version)
    const resolved = await colleague.post(`/plans/${planId}/sections/adopters`, {
      version: newVersion,
      strengths: 'Warm and funny; experienced foster carers',
      action: 'save',
    })
    assert.equal(resolved.headers.location, `/plans/${planId}/sections/adopters/check`)
  })

  test('autosave saves as the button does, only on the version its page showed', async () => {
    const page = await worker.get(`/plans/${planId}/sections/adopters`)
    assert.match(page.body, new RegExp(`data-autosave="/plans/${planId}/sections/adopters/autosave"`))
    assert.match(
      page.body,
      /<p class="govuk-body app-autosave-status" role="status" data-autosave-status><\/p>/,
    )
    const version = Number(/name="version" value="(\d+)"/.exec(page.body)?.[1])
    const url = `/plans/${planId}/sections/adopters/autosave`
    const strengthsNow = () =>
      t.database.db
        .selectFrom('plan_sections')
        .select(['version', 'answers'])
        .where('plan_id', '=', planId)
        .where('key', '=', 'adopters')
        .executeTakeFirstOrThrow()
        .then((row) => [row.version, (row.answers as Record<string, unknown>).strengths])

    const saved = await worker.post(url, { version: String(version), strengths: 'Autosaved strengths' })
    assert.equal(saved.statusCode, 200)
    assert.match(String(saved.headers['content-type']), /^application\/json/)
    const body = saved.json()
    assert.equal(body.version, version + 1)
    assert.ok(!Number.isNaN(Date.parse(body.savedAt)))
    assert.match(body.time, /^\d{1,2}:\d{2}(am|pm)$/)
    assert.deepEqual(await strengthsNow(), [version + 1, 'Autosaved strengths'])
    const change = await t.database.db
      .selectFrom('plan_changes')
      .select('changes')
      .where('plan_id', '=', planId)
      .where('section', '=', 'adopters')
      .where('section_version', '=', version + 1)
      .executeTakeFirstOrThrow()
    assert.equal((change.changes as { path: string; after: string }[])[0]?.after, 'Autosaved strengths')
    const audited = await t.database.db
      .selectFrom('audit_events')
      .select('details')
      .where('what', '=', 'plan-changed')
      .orderBy('seq', 'desc')
      .executeTakeFirstOrThrow()
    assert.equal((audited.details as { version: number }).version, version + 1)

    const stale = await worker.post(url, { version: String(version), strengths: 'Typed on an old page' })
    assert.equal(stale.statusCode, 409)
    assert.deepEqual(stale.json(), { saved: false, reason: 'stale' })
    const invalid = await worker.post(url, { version: String(version + 1), strengths: 'x'.repeat(20_001) })
    assert.equal(invalid.statusCode, 422)
    const forged = await worker.post(
      url,
      { version: String(version + 1), strengths: 'Forged' },
      { csrf: null },
    )
    assert.equal(forged.statusCode, 403)
    const reader = new WebClient(t.app)
    const agencyId = (await t.database.db.selectFrom('plans').select('agency_id').executeTakeFirstOrThrow())
      .agency_id
    await reader.signIn(await t.addUser(agencyId, 'support-worker'))
    await reader.get(`/plans/${planId}`)
    const refused = await reader.post(url, { version: String(version + 1), strengths: 'Not mine to write' })
    assert.equal(refused.statusCode, 403)
    assert.deepEqual(await strengthsNow(), [version + 1, 'Autosaved strengths'], 'none of those saved')
  })

  test('versions are saved, compared field by field, and no route changes them', async () => {
    await worker.get(`/plans/${planId}/versions`)
    const one = await worker.post(`/plans/${planId}/versions`, {})
    assert.equal(one.headers.location, `/plans/${planId}/versions?saved=version`)
    const form = await worker.get(`/plans/${planId}/sections/network`)
    const version = /name="version" value="(\d+)"/.exec(form.body)?.[1] as string
    await worker.post(`/plans/${planId}/sections/network/members/new`, {
      version,
      name: 'Priya Shah',
      role: 'Child’s social worker',
      organisation: 'Northshire Council',
      'confirmedOn-day': '2',
      'confirmedOn-month': '11',
      'confirmedOn-year': '2026',
    })
    await worker.get(`/plans/${planId}/versions`)
    await worker.post(`/plans/${planId}/versions`, {})
    const list = await worker.get(`/plans/${planId}/versions`)
    assert.match(list.body, /Version 2/)
    const compared = await worker.get(`/plans/${planId}/compare?from=1&to=2`)
    assert.equal(compared.statusCode, 200)
    assert.match(compared.body, /Priya Shah/)
    assert.match(compared.body, /2 November 2026/)
    assert.deepEqual(
      (await lastViews(2)).sort(),
      ['version 1', 'version 2'],
      'reading versions is audited as a view of the record',
    )
    const before = await t.database.db
      .selectFrom('plan_versions')
      .select(['number', 'content_hash'])
      .orderBy('number')
      .execute()
    for (const method of ['POST', 'PUT', 'PATCH', 'DELETE'] as const) {
      for (const url of [`/plans/${planId}/versions/1`, `/api/v1/plans/${planId}/versions/1`]) {
        const response = await t.app.inject({ method, url, payload: { reason: 'changed' } })
        assert.ok([403, 404, 405].includes(response.statusCode), `${method} ${url}: ${response.statusCode}`)
      }
    }
    const after = await t.database.db
      .selectFrom('plan_versions')
      .select(['number', 'content_hash'])
      .orderBy('number')
      .execute()
    assert.deepEqual(after, before)
  })

  test('a version page rendered once is served again only to those who may read it, and audited each time', async () => {
    const first = await worker.get(`/plans/${planId}/versions/1`)
    const second = await worker.get(`/plans/${planId}/versions/1`)
    assert.equal(second.statusCode, 200)
    const table = (body: string) => body.slice(body.indexOf('<table'), body.indexOf('</table>'))
    assert.match(table(first.body), /Every field of version 1/)
    assert.equal(table(second.body), table(first.body), 'the kept table is the one rendered')
    assert.match(second.body, /<h1 class="govuk-heading-l">Version 1<\/h1>/)
    const stranger = new WebClient(t.app)
    await stranger.signIn(await t.addUser(await t.addAgency(), 'social-worker'))
    assert.equal((await stranger.get(`/plans/${planId}/versions/1`)).statusCode, 404)
    assert.equal((await worker.get(`/plans/${planId}/versions/99`)).statusCode, 404)
    assert.deepEqual(
      await lastViews(2),
      ['version 1', 'version 1'],
      'both reads are audited, the kept one too; the refused and missing ones are not',
    )
  })

  test('20 writers through the API at once: every acknowledged write is in the history, every refusal a 412', async () => {
    const agencyId = (await t.database.db.selectFrom('plans').select('agency_id').executeTakeFirstOrThrow())
      .agency_id
    const url = `/api/v1/plans/${planId}/sections/child`
    const writers = await Promise.all(
      Array.from({ length: 20 }, async () => {
        const user = await t.addUser(agencyId, 'social-worker')
        return accounts(t.database.db).addToken(user.id, 1)
      }),
    )
    const statuses: number[] = []
    const acknowledged: string[] = []
    await Promise.all(
      writers.map(async (token, index) => {
        const headers = { authorization: `Bearer ${token}` }
        const text = `Written by writer ${index + 1}`
        // Each writer reads, changes one answer and writes back, reading again after each 412.
        for (let attempt = 0; attempt < 100; attempt++) {
          const read = await t.app.inject({ method: 'GET', url, headers })
          const content = { ...read.json().content, whoTheyAre: text }
          const written = await t.app.inject({
            method: 'PUT',
            url,
            payload: { content },
            headers: { ...headers, 'if-match': String(read.headers.etag) },
          })
          statuses.push(written.statusCode)
          if (written.statusCode === 200) {
            acknowledged.push(text)
            return
          }
        }
      }),
    )
    assert.equal(acknowledged.length, 20, 'every writer got through in the end')
    assert.deepEqual([...new Set(statuses)].sort(), [200, 412], 'the others were told 412, nothing else')
    const history = await t.database.db
      .selectFrom('plan_changes')
      .select('changes')
      .where('plan_id', '=', planId)
      .where('section', '=', 'child')
      .execute()
    const written = history.flatMap((row) =>
      (row.changes as { path: string; after: string }[])
        .filter((change) => change.path === 'child.whoTheyAre')
        .map((change) => change.after),
    )
    for (const text of acknowledged) assert.ok(written.includes(text), `${text} is in the history`)
  })

  test('the API reads a section with its ETag and writes only with the right If-Match', async () => {
    const user = await t.addUser(
      await t.database.db
        .selectFrom('plans')
        .select('agency_id')
        .executeTakeFirstOrThrow()
        .then((row) => row.agency_id),
      'social-worker',
    )
    const token = await accounts(t.database.db).addToken(user.id, 1)
    const call = (
      method: 'GET' | 'PUT',
      url: string,
      payload?: object,
      headers: Record<string, string> = {},
    ) => t.app.inject({ method, url, payload, headers: { authorization: `Bearer ${token}`, ...headers } })
    const url = `/api/v1/plans/${planId}/sections/birth-family`
    const read = await call('GET', url)
    assert.equal(read.statusCode, 200)
    const etag = String(read.headers.etag)
    const content = {
      relatives: [
        { relative: 'Birth mother', relationship: 'Mother', support: 'Counselling', providedBy: 'PAC-UK' },
      ],
    }
    assert.equal((await call('PUT', url, { content })).statusCode, 428)
    assert.equal(
      (await call('PUT', url, { content: { relatives: [{ relative: 'x' }] } }, { 'if-match': etag }))
        .statusCode,
      422,
    )
    const [one, two] = await Promise.all([
      call('PUT', url, { content }, { 'if-match': etag }),
      call('PUT', url, { content }, { 'if-match': etag }),
    ])
    assert.deepEqual([one.statusCode, two.statusCode].sort(), [200, 412])
    const stale = one.statusCode === 412 ? one : two
    assert.equal(
      stale.json().content.relatives[0].relative,
      'Birth mother',
      'a 412 carries the current content',
    )
    const plan = await call('GET', `/api/v1/plans/${planId}`)
    assert.equal(plan.json().sections.length, 5)
  })

  test('another agency’s worker finds no plan, and cannot start one', async () => {
    const stranger = new WebClient(t.app)
    await stranger.signIn(await t.addUser(await t.addAgency(), 'social-worker'))
    for (const url of [
      `/plans/${planId}`,
      `/plans/${planId}/sections/child`,
      `/plans/${planId}/history`,
      `/plans/${planId}/versions`,
    ]) {
      assert.equal((await stranger.get(url)).statusCode, 404, url)
    }
    await stranger.get('/children')
    const posted = await stranger.post(`/plans/${planId}/sections/child`, {
      version: '1',
      whoTheyAre: 'x',
      action: 'save',
    })
    assert.equal(posted.statusCode, 404)
  })
})
