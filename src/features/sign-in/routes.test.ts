import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { TEST_PASSWORD, type TestApp, testApp } from '../../../test/support/app.ts'
import { WebClient } from '../../../test/support/web-client.ts'
import { totpCode } from '../../platform/totp.ts'

describe('signing in', () => {
  let t: TestApp
  let agencyId: string

  before(async () => {
    t = await testApp()
    agencyId = await t.addAgency()
  })
  after(() => t.close())

  test('a password alone does not open the service: staff must give a second factor', async () => {
    const user = await t.addUser(agencyId, 'social-worker')
    const client = new WebClient(t.app)
    await client.get('/sign-in')
    const password = await client.post('/sign-in', { email: user.email, password: TEST_PASSWORD })
    assert.equal(password.headers.location, '/sign-in/two-factor')
    const children = await client.get('/children')
    assert.equal(children.statusCode, 303)
    assert.equal(children.headers.location, '/sign-in/two-factor')
    const wrong = await client.post('/sign-in/two-factor', { code: '000000' })
    assert.match(wrong.body, /The code is not right/)
    await client.post('/sign-in/two-factor', { code: await totpCode(user.totpSecret) })
    assert.equal((await client.get('/children')).statusCode, 200)
  })

  test('staff without a second factor must set one up before anything else', async () => {
    const user = await t.addUser(agencyId, 'team-manager', { enrolled: false })
    const client = new WebClient(t.app)
    await client.get('/sign-in')
    const password = await client.post('/sign-in', { email: user.email, password: TEST_PASSWORD })
    assert.equal(password.headers.location, '/sign-in/set-up-two-factor')
    const page = await client.get('/sign-in/set-up-two-factor')
    const secret = /id="totp-secret">([A-Z2-7 ]+)</.exec(page.body)?.[1]?.replaceAll(' ', '')
    assert.ok(secret, 'the key is shown as text for people who cannot scan the QR code')
    assert.match(page.body, /<svg/)
    const done = await client.post('/sign-in/set-up-two-factor', { code: await totpCode(secret) })
    assert.equal(done.headers.location, '/')
    assert.equal((await client.get('/children')).statusCode, 200)
  })

  test('a code is accepted once only', async () => {
    const user = await t.addUser(agencyId, 'iro')
    const code = await totpCode(user.totpSecret)
    const first = new WebClient(t.app)
    await first.get('/sign-in')
    await first.post('/sign-in', { email: user.email, password: TEST_PASSWORD })
    assert.equal((await first.post('/sign-in/two-factor', { code })).headers.location, '/')
    const second = new WebClient(t.app)
    await second.get('/sign-in')
    await second.post('/sign-in', { email: user.email, password: TEST_PASSWORD })
    const replay = await second.post('/sign-in/two-factor', { code })
    assert.match(replay.body, /The code is not right/)
  })

  test('five wrong passwords lock the account for a while, and each attempt is audited', async () => {
    const user = await t.addUser(agencyId, 'social-worker')
    const client = new WebClient(t.app)
    await client.get('/sign-in')
    for (let attempt = 1; attempt <= 4; attempt++) {
      const wrong = await client.post('/sign-in', { email: user.email, password: 'not the password' })
      assert.match(wrong.body, /Enter a correct email address and password/)
      assert.match(wrong.body, /<title>Error: Sign in/)
    }
    const fifth = await client.post('/sign-in', { email: user.email, password: 'not the password' })
    assert.match(fifth.body, /Your account is locked/)
    const right = await client.post('/sign-in', { email: user.email, password: TEST_PASSWORD })
    assert.match(right.body, /Your account is locked/, 'even the right password waits for the lock to end')
    assert.equal(client.cookies.has('session'), false)

    const events = await t.database.db
      .selectFrom('audit_events')
      .select(['what'])
      .where('subject_id', '=', user.id)
      .orderBy('seq')
      .execute()
    const whats = events.map((event) => event.what)
    assert.equal(whats.filter((what) => what === 'sign-in-failed').length, 5)
    assert.ok(whats.includes('account-locked'))
    assert.ok(whats.includes('sign-in-refused-locked'))

    // When the lock has run out, the right password works again.
    await t.database.db
      .updateTable('users')
      .set({ locked_until: new Date(Date.now() - 1000) })
      .where('id', '=', user.id)
      .execute()
    const later = await client.post('/sign-in', { email: user.email, password: TEST_PASSWORD })
    assert.equal(later.headers.location, '/sign-in/two-factor')
  })

  test('an unknown e-mail address gets the same answer as a wrong password', async () => {
    const client = new WebClient(t.app)
    await client.get('/sign-in')
    const response = await client.post('/sign-in', {
      email: 'nobody@agency.example',
      password: 'whatever it is',
    })
    assert.match(response.body, /Enter a correct email address and password/)
    assert.match(response.body, /value="nobody@agency.example"/, 'what was typed is kept')
  })

  test('forms without a valid CSRF token are refused', async () => {
    const user = await t.addUser(agencyId, 'social-worker')
    const client = new WebClient(t.app)
    await client.get('/sign-in')
    const missing = await client.post(
      '/sign-in',
      { email: user.email, password: TEST_PASSWORD },
      { csrf: null },
    )
    assert.equal(missing.statusCode, 403)
    const forged = await client.post(
      '/sign-in',
      { email: user.email, password: TEST_PASSWORD },
      { csrf: 'forged' },
    )
    assert.equal(forged.statusCode, 403)
    assert.equal(client.cookies.has('session'), false)

    await client.signIn(user)
    const signedIn = await client.post('/children/search', { search: 'x' }, { csrf: 'forged' })
    assert.equal(signedIn.statusCode, 403)
    assert.match(signedIn.body, /This form has expired/)
  })

  test('an idle session ends: the next page says so and asks to sign in again', async () => {
    const user = await t.addUser(agencyId, 'social-worker')
    const client = new WebClient(t.app)
    await client.signIn(user)
    assert.equal((await client.get('/children')).statusCode, 200)
    const idleFor = (t.config.sessionIdleMinutes + 1) * 60_000
    await t.database.db
      .updateTable('sessions')
      .set({ last_seen_at: new Date(Date.now() - idleFor) })
      .where('user_id', '=', user.id)
      .execute()
    const after = await client.get('/children')
    assert.equal(after.headers.location, '/signed-out?reason=idle')
    const page = await client.get('/signed-out?reason=idle')
    assert.match(page.body, /You have been signed out/)
    assert.equal((await client.get('/children')).headers.location, '/sign-in')
  })

  test('signing out ends the session for good', async () => {
    const user = await t.addUser(agencyId, 'social-worker')
    const client = new WebClient(t.app)
    await client.signIn(user)
    const token = client.cookies.get('session')
    const out = await client.post('/sign-out', {})
    assert.equal(out.headers.location, '/signed-out')
    const replay = await t.app.inject({
      method: 'GET',
      url: '/children',
      headers: { cookie: `session=${token}` },
    })
    assert.equal(replay.statusCode, 303)
  })
})
