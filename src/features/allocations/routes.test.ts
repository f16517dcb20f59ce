import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { type TestApp, type TestUser, testApp } from '../../../test/support/app.ts'
import { WebClient } from '../../../test/support/web-client.ts'

const child = {
  firstName: 'Gil',
  lastName: 'Marsh',
  preferredName: '',
  'dateOfBirth-day': '2',
  'dateOfBirth-month': '3',
  'dateOfBirth-year': '2022',
  sex: 'male',
  ethnicity: 'WBRI',
  siblingOf: '',
}

describe('allocation', () => {
  let t: TestApp
  let manager: WebClient
  let iro: TestUser
  let childId: string

  before(async () => {
    t = await testApp()
    const agencyId = await t.addAgency()
    manager = new WebClient(t.app)
    await manager.signIn(await t.addUser(agencyId, 'team-manager'))
    iro = await t.addUser(agencyId, 'iro')
    await manager.get('/children/new')
    const added = await manager.post('/children', child)
    childId = String(added.headers.location).split('/')[2]?.split('?')[0] as string
  })
  after(() => t.close())

  test('an IRO sees only the children allocated to them', async () => {
    const reviewer = new WebClient(t.app)
    await reviewer.signIn(iro)
    assert.doesNotMatch((await reviewer.get('/children')).body, /Gil Marsh/)
    assert.equal((await reviewer.get(`/children/${childId}`)).statusCode, 404)

    const form = await manager.get(`/children/${childId}/allocations/new`)
    assert.match(form.body, /Who will work with Gil Marsh\?/)
    const none = await manager.post(`/children/${childId}/allocations`, {})
    assert.match(none.body, /<title>Error: /)
    assert.match(none.body, /Select someone from the list/)
    const allocated = await manager.post(`/children/${childId}/allocations`, { userId: iro.id })
    assert.equal(allocated.headers.location, `/children/${childId}?saved=allocated`)
    const twice = await manager.post(`/children/${childId}/allocations`, { userId: iro.id })
    assert.match(twice.body, /already allocated/)

    assert.match((await reviewer.get('/children')).body, /Gil Marsh/)
    const page = await reviewer.get(`/children/${childId}`)
    assert.equal(page.statusCode, 200)
    assert.doesNotMatch(page.body, /Allocate someone/, 'only team managers allocate')
  })

  test('ending an allocation takes the child away from the IRO, and both steps are audited', async () => {
    const page = await manager.get(`/children/${childId}`)
    const allocationId = new RegExp(`/children/${childId}/allocations/([0-9a-f-]{36})/end`).exec(
      page.body,
    )?.[1]
    assert.ok(allocationId)
    const ended = await manager.post(`/children/${childId}/allocations/${allocationId}/end`, {})
    assert.equal(ended.headers.location, `/children/${childId}?saved=allocation-ended`)
    const reviewer = new WebClient(t.app)
    await reviewer.signIn(iro, new Date(Date.now() + 30_000))
    assert.equal((await reviewer.get(`/children/${childId}`)).statusCode, 404)
    const events = await t.database.db
      .selectFrom('audit_events')
      .select('what')
      .where('subject_id', '=', childId)
      .where('what', 'like', 'allocation-%')
      .orderBy('seq')
      .execute()
    assert.deepEqual(
      events.map((event) => event.what),
      ['allocation-added', 'allocation-ended'],
    )
  })

  test('social workers cannot allocate; another agency cannot reach the child', async () => {
    const worker = new WebClient(t.app)
    await worker.signIn(await t.addUser(iro.agencyId, 'social-worker'))
    assert.equal((await worker.get(`/children/${childId}/allocations/new`)).statusCode, 403)
    const outsider = new WebClient(t.app)
    await outsider.signIn(await t.addUser(await t.addAgency(), 'team-manager'))
    assert.equal((await outsider.get(`/children/${childId}/allocations/new`)).statusCode, 404)
    const forced = await outsider.post(`/children/${childId}/allocations`, { userId: iro.id })
    assert.equal(forced.statusCode, 404)
  })
})
