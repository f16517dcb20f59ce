import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { type TestApp, testApp } from '../../../test/support/app.ts'
import { childForm } from '../../../test/support/children.ts'
import { WebClient } from '../../../test/support/web-client.ts'
import { hintPlace } from '../../plan/guidance.ts'
import { familiesService } from '../families/service.ts'

// The guidance pages through the real app: a team manager words a hint their agency's way, the
// agency's workers see it beside the question, another agency still sees the default; only team
// managers and administrators reach the pages; a refused hint comes back as typed.

const WHO = 'child.whoTheyAre'
const DEFAULT_WHO = hintPlace(WHO)?.defaultHint as string
const OURS = 'Ask the foster carer what makes Saturday mornings good'

const idFrom = (location: unknown) => String(location).split('/')[2]?.split('?')[0] as string

async function planOf(web: WebClient): Promise<string> {
  await web.get('/children/new')
  const childId = idFrom((await web.post('/children', childForm)).headers.location)
  return idFrom((await web.post(`/children/${childId}/plan`, {})).headers.location)
}

describe('guidance pages', () => {
  let t: TestApp
  let agency: string
  let manager: WebClient
  let worker: WebClient
  let planId: string

  before(async () => {
    t = await testApp()
    agency = await t.addAgency()
    manager = new WebClient(t.app)
    await manager.signIn(await t.addUser(agency, 'team-manager'))
    worker = new WebClient(t.app)
    await worker.signIn(await t.addUser(agency, 'social-worker'))
    planId = await planOf(worker)
  })
  after(() => t.close())

  test('a team manager’s wording shows beside the question in the agency’s plans only', async () => {
    const list = await manager.get('/guidance')
    assert.equal(list.statusCode, 200)
    assert.match(list.body, /href="\/guidance"/, 'the navigation offers the guidance')
    assert.match(list.body, /Who is the child\?/)
    assert.match(list.body, /href="\/guidance\/child\.needs\.description"/)
    const form = await manager.get(`/guidance/${WHO}`)
    assert.equal(form.statusCode, 200)
    assert.match(form.body, /The default wording/)
    const saved = await manager.post(`/guidance/${WHO}`, { hint: OURS, action: 'save' })
    assert.equal(saved.statusCode, 303)
    assert.equal(saved.headers.location, '/guidance?saved=changed')
    const after = await manager.get('/guidance?saved=changed')
    assert.match(after.body, /Hint saved/)
    assert.match(after.body, /Your agency’s wording/)

    const section = await worker.get(`/plans/${planId}/sections/child`)
    assert.match(section.body, new RegExp(`<div id="whoTheyAre-hint" class="govuk-hint">\\s*${OURS}`))
    assert.doesNotMatch(section.body, new RegExp(DEFAULT_WHO))

    const stranger = new WebClient(t.app)
    await stranger.signIn(await t.addUser(await t.addAgency(), 'social-worker'))
    const theirPlan = await planOf(stranger)
    const theirs = await stranger.get(`/plans/${theirPlan}/sections/child`)
    assert.match(theirs.body, new RegExp(DEFAULT_WHO))
    assert.doesNotMatch(theirs.body, new RegExp(OURS))
  })

  test('hints of lists and of an item’s questions follow the agency’s wording too', async () => {
    await manager.get('/guidance/child.needs')
    await manager.post('/guidance/child.needs', { hint: 'Our needs list wording', action: 'save' })
    await manager.get('/guidance/child.needs.frequency')
    await manager.post('/guidance/child.needs.frequency', { hint: 'Our own frequency hint', action: 'save' })
    assert.match((await worker.get(`/plans/${planId}/sections/child`)).body, /Our needs list wording/)
    const item = await worker.get(`/plans/${planId}/sections/child/needs/new`)
    assert.match(item.body, /Our own frequency hint/)
    const adopters = await worker.get(`/plans/${planId}/sections/adopters/needs/new`)
    assert.doesNotMatch(adopters.body, /Our own frequency hint/, 'section 3’s needs keep their own hint')
  })

  test('wording that is too long comes back as typed, with the error', async () => {
    const typed = `${'Long wording '.repeat(40)}end of what was typed`
    await manager.get('/guidance/child.health')
    const refused = await manager.post('/guidance/child.health', { hint: typed, action: 'save' })
    assert.equal(refused.statusCode, 200)
    assert.match(refused.body, /<title>Error: Change the hint: Health/)
    assert.match(refused.body, /The hint must be 500 characters or fewer/)
    assert.match(refused.body, /href="#hint"/)
    assert.ok(refused.body.includes(typed.trim()), 'what was typed stays in the box')
    const blank = await manager.post('/guidance/child.health', { hint: '   ', action: 'save' })
    assert.match(blank.body, /Enter the hint, or choose to use the default wording/)
  })

  test('“Use the default wording” puts the default back', async () => {
    await manager.get(`/guidance/${WHO}`)
    const reset = await manager.post(`/guidance/${WHO}`, { hint: 'ignored', action: 'default' })
    assert.equal(reset.headers.location, '/guidance?saved=default')
    const section = await worker.get(`/plans/${planId}/sections/child`)
    assert.match(section.body, new RegExp(DEFAULT_WHO))
    assert.doesNotMatch(section.body, new RegExp(OURS))
  })

  test('unknown places are not found', async () => {
    assert.equal((await manager.get('/guidance/child.nothing')).statusCode, 404)
    await manager.get('/guidance')
    assert.equal((await manager.post('/guidance/child', { hint: 'x', action: 'save' })).statusCode, 404)
  })

  test('social workers and adopters are refused the guidance pages, and are not offered them', async () => {
    const page = await worker.get(`/plans/${planId}`)
    assert.doesNotMatch(page.body, /href="\/guidance"/)
    assert.equal((await worker.get('/guidance')).statusCode, 403)
    assert.equal((await worker.get(`/guidance/${WHO}`)).statusCode, 403)
    assert.equal((await worker.post(`/guidance/${WHO}`, { hint: 'Mine', action: 'save' })).statusCode, 403)

    const familyId = await familiesService(t.database.db).add(
      {
        kind: 'staff',
        userId: (await t.addUser(agency, 'social-worker')).id,
        agencyId: agency,
        role: 'social-worker',
      },
      {
        approvingAgencyId: agency,
        adopters: [{ firstName: 'Sam', lastName: 'Reid', dateOfBirth: '1985-03-02', email: null }],
      },
      'guidance-test',
    )
    const adopter = new WebClient(t.app)
    await adopter.signIn(await t.addAdopterAccount(familyId, agency))
    assert.equal((await adopter.get('/guidance')).statusCode, 403)
    assert.equal((await adopter.get(`/guidance/${WHO}`)).statusCode, 403)
    const rows = await t.database.db.selectFrom('guidance').select('path').where('path', '=', WHO).execute()
    assert.deepEqual(rows, [], 'the refused change stored nothing')
  })
})
