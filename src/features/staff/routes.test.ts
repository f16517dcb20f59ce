import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { type TestApp, type TestUser, testApp } from '../../../test/support/app.ts'
import { WebClient } from '../../../test/support/web-client.ts'
import { hashToken } from '../../platform/sessions.ts'
import { accounts } from '../accounts/service.ts'

describe('staff accounts', () => {
  let t: TestApp
  let admin: WebClient
  let adminUser: TestUser
  let agencyId: string

  before(async () => {
    t = await testApp()
    agencyId = await t.addAgency()
    adminUser = await t.addUser(agencyId, 'agency-admin')
    admin = new WebClient(t.app)
    await admin.signIn(adminUser)
  })
  after(() => t.close())

  test('deactivating someone ends their sessions and API tokens at once; reactivating lets them sign in again', async () => {
    const worker = await t.addUser(agencyId, 'social-worker')
    const browser = new WebClient(t.app)
    await browser.signIn(worker)
    const token = await accounts(t.database.db).addToken(worker.id, 30)
    const api = () =>
      t.app.inject({ method: 'GET', url: '/api/v1/children', headers: { authorization: `Bearer ${token}` } })
    assert.equal((await browser.get('/children')).statusCode, 200)
    assert.equal((await api()).statusCode, 200)

    const list = await admin.get('/staff')
    assert.match(list.body, new RegExp(`href="/staff/${worker.id}"`))
    await admin.get(`/staff/${worker.id}`)
    const done = await admin.post(`/staff/${worker.id}/deactivate`, {})
    assert.equal(done.headers.location, `/staff/${worker.id}?saved=deactivated`)

    assert.equal((await browser.get('/children')).statusCode, 303, 'the open session has ended')
    assert.equal((await api()).statusCode, 401, 'the API token has stopped working')
    const again = new WebClient(t.app)
    await again.get('/sign-in')
    const refused = await again.post('/sign-in', {
      email: worker.email,
      password: 'correct horse battery staple',
    })
    assert.match(refused.body, /Enter a correct email address and password/)

    await admin.post(`/staff/${worker.id}/reactivate`, {})
    await again.signIn(worker, new Date(Date.now() + 30_000))
    assert.equal((await again.get('/children')).statusCode, 200)
    assert.equal((await api()).statusCode, 401, 'a revoked token stays revoked')

    const events = await t.database.db
      .selectFrom('audit_events')
      .select(['what', 'who'])
      .where('subject_id', '=', worker.id)
      .where('what', 'in', ['user-deactivated', 'user-reactivated'])
      .orderBy('seq')
      .execute()
    assert.deepEqual(events, [
      { what: 'user-deactivated', who: adminUser.id },
      { what: 'user-reactivated', who: adminUser.id },
    ])
  })

  test('administrators cannot deactivate themselves or reach another agency’s staff; others cannot manage staff', async () => {
    const self = await admin.post(`/staff/${adminUser.id}/deactivate`, {})
    assert.equal(self.statusCode, 404)
    const stranger = await t.addUser(await t.addAgency(), 'social-worker')
    assert.equal((await admin.get(`/staff/${stranger.id}`)).statusCode, 404)
    assert.equal((await admin.post(`/staff/${stranger.id}/deactivate`, {})).statusCode, 404)
    const manager = new WebClient(t.app)
    await manager.signIn(await t.addUser(agencyId, 'team-manager'))
    assert.equal((await manager.get('/staff')).statusCode, 403)
    assert.doesNotMatch(
      (await manager.get('/children')).body,
      /href="\/staff"/,
      'no link offered to what would be refused',
    )
    assert.match((await admin.get('/staff')).body, /href="\/staff"/)
  })

  test('people see where they are signed in and can sign a session out', async () => {
    const worker = await t.addUser(agencyId, 'support-worker')
    const laptop = new WebClient(t.app)
    const phone = new WebClient(t.app)
    await laptop.signIn(worker)
    await phone.signIn(worker, new Date(Date.now() + 30_000))
    const page = await laptop.get('/account/sessions')
    assert.match(page.body, /Where you are signed in/)
    assert.match(page.body, /\(this session\)/)
    const ids = [...page.body.matchAll(/name="session" value="([0-9a-f]{64})"/g)].map(
      (match) => match[1] as string,
    )
    assert.equal(ids.length, 2)
    const current = hashToken(laptop.cookies.get('session') as string)
    const other = ids.find((id) => id !== current) as string
    const ended = await laptop.post('/account/sessions/end', { session: other })
    assert.equal(ended.headers.location, '/account/sessions?ended=1')
    assert.equal((await phone.get('/children')).statusCode, 303, 'the other device is signed out')
    assert.equal((await laptop.get('/children')).statusCode, 200, 'this one is not')
    const notMine = await phone.post('/account/sessions/end', { session: ids[0] as string })
    assert.notEqual(notMine.statusCode, 200)
  })
})
