import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { TEST_PASSWORD, type TestApp, type TestUser, testApp } from '../../../test/support/app.ts'
import { addFamily as addFamilyThroughPages } from '../../../test/support/families.ts'
import { WebClient } from '../../../test/support/web-client.ts'
import { renderMail } from '../../platform/mail/messages.ts'
import { totpCode } from '../../platform/totp.ts'

// Invitations through the pages: a worker invites a family's adopter, an administrator invites a
// member of staff; the link from the e-mail works once, before it expires, and leads to a password
// and an authenticator app like any first sign-in.

const secretOf = (body: string) => /id="totp-secret">([A-Z2-7 ]+)</.exec(body)?.[1]?.replaceAll(' ', '') ?? ''

describe('invitations', () => {
  let t: TestApp
  let agency: string
  let worker: WebClient
  let familyId: string

  const addFamily = (firstName: string, lastName: string, email: string) =>
    addFamilyThroughPages(worker, agency, { firstName, lastName, email })

  const outbox = () =>
    t.database.db
      .selectFrom('mail_outbox')
      .select(['to_address', 'kind', 'link'])
      .orderBy('created_at')
      .execute()

  before(async () => {
    t = await testApp()
    agency = await t.addAgency()
    worker = new WebClient(t.app)
    await worker.signIn(await t.addUser(agency, 'social-worker'))
    familyId = await addFamily('Canarywren', 'Featherstonehaugh', 'canarywren@home.example')
  })
  after(() => t.close())

  const adopterId = async () =>
    (
      await t.database.db
        .selectFrom('adopters')
        .select('id')
        .where('family_id', '=', familyId)
        .executeTakeFirstOrThrow()
    ).id

  test('an adopter is invited, chooses a password, sets up an app, and lands on their family', async () => {
    const page = await worker.get(`/families/${familyId}`)
    assert.match(page.body, /Invite Canarywren to create an account/)
    const invited = await worker.post(`/families/${familyId}/adopters/${await adopterId()}/invite`, {})
    assert.equal(invited.headers.location, `/families/${familyId}?saved=invited`)
    assert.match((await worker.get(`/families/${familyId}?saved=invited`)).body, /Invitation sent/)

    const [mail, ...more] = await outbox()
    assert.equal(more.length, 0)
    assert.equal(mail?.kind, 'adopter-invitation')
    assert.equal(mail?.to_address, 'canarywren@home.example')
    const link = mail?.link as string
    assert.match(link, /^\/invitations\/[A-Za-z0-9_-]{20,}$/)
    const { subject, body } = renderMail('adopter-invitation', t.config.serviceUrl, link)
    assert.doesNotMatch(`${subject}\n${body}`, /Canarywren|Featherstonehaugh/)

    const adopter = new WebClient(t.app)
    const opened = await adopter.get(link)
    assert.equal(opened.statusCode, 200)
    assert.match(opened.body, /Create your password/)
    const short = await adopter.post(link, { password: 'short', confirm: 'short' })
    assert.match(short.body, /<title>Error: Create your password/)
    assert.match(short.body, /href="#password">Your password must be at least 12 characters/)
    const mismatch = await adopter.post(link, { password: TEST_PASSWORD, confirm: `${TEST_PASSWORD}!` })
    assert.match(mismatch.body, /href="#confirm">The passwords do not match/)

    const accepted = await adopter.post(link, { password: TEST_PASSWORD, confirm: TEST_PASSWORD })
    assert.equal(accepted.headers.location, '/sign-in/set-up-two-factor')
    assert.equal((await adopter.get('/family')).headers.location, '/sign-in/two-factor', 'not yet')
    const setUp = await adopter.get('/sign-in/set-up-two-factor')
    const secret = secretOf(setUp.body)
    assert.ok(secret.length >= 16)
    const done = await adopter.post('/sign-in/set-up-two-factor', { code: await totpCode(secret) })
    assert.equal(done.headers.location, '/')
    assert.equal((await adopter.get('/')).headers.location, '/home')
    assert.equal((await adopter.get('/family')).headers.location, `/families/${familyId}`)
    assert.match((await adopter.get(`/families/${familyId}`)).body, /Your family/)

    const again = await new WebClient(t.app).get(link)
    assert.equal(again.statusCode, 404, 'a link works once')
    assert.match(again.body, /This invitation link has expired or has been used/)
    const events = await t.database.db
      .selectFrom('audit_events')
      .select('what')
      .where('what', 'in', ['adopter-invited', 'invitation-accepted'])
      .execute()
    assert.deepEqual(events.map((event) => event.what).sort(), ['adopter-invited', 'invitation-accepted'])
    assert.doesNotMatch(
      (await worker.get(`/families/${familyId}`)).body,
      /Invite Canarywren/,
      'no second invitation once there is an account',
    )
  })

  test('an expired link, an unknown link and someone else’s family lead nowhere', async () => {
    const otherFamily = await addFamily('Lark', 'Mews', 'lark@home.example')
    const lark = await t.database.db
      .selectFrom('adopters')
      .select('id')
      .where('family_id', '=', otherFamily)
      .executeTakeFirstOrThrow()

    const stranger = new WebClient(t.app)
    await stranger.signIn(await t.addUser(await t.addAgency(), 'social-worker'))
    await stranger.get('/children')
    const refused = await stranger.post(`/families/${otherFamily}/adopters/${lark.id}/invite`, {})
    assert.equal(refused.statusCode, 404)
    assert.equal((await outbox()).filter((mail) => mail.to_address === 'lark@home.example').length, 0)

    await worker.post(`/families/${otherFamily}/adopters/${lark.id}/invite`, {})
    const link = (await outbox()).find((mail) => mail.to_address === 'lark@home.example')?.link as string
    await t.database.db
      .updateTable('invitations')
      .set({ expires_at: new Date(Date.now() - 1000) })
      .where('used_at', 'is', null)
      .execute()
    const visitor = new WebClient(t.app)
    assert.equal((await visitor.get(link)).statusCode, 404)
    await visitor.get('/sign-in') // a form token, so that the refusal below is the link's
    const late = await visitor.post(link, { password: TEST_PASSWORD, confirm: TEST_PASSWORD })
    assert.equal(late.statusCode, 404)
    assert.equal((await visitor.get('/invitations/not-a-real-token')).statusCode, 404)
  })

  test('an administrator invites a member of staff; mistakes keep what was typed', async () => {
    const admin = new WebClient(t.app)
    const adminUser: TestUser = await t.addUser(agency, 'agency-admin')
    await admin.signIn(adminUser)
    const form = await admin.get('/staff/invite')
    assert.match(form.body, /Invite a member of staff/)
    const wrong = await admin.post('/staff/invite', { name: 'Robin Hale', email: 'not-an-address', role: '' })
    assert.match(wrong.body, /<title>Error: Invite a member of staff/)
    assert.match(wrong.body, /href="#email">Enter an email address in the correct format/)
    assert.match(wrong.body, /href="#role">Select their role/)
    assert.match(wrong.body, /value="Robin Hale"/)
    const taken = await admin.post('/staff/invite', {
      name: 'Robin Hale',
      email: adminUser.email,
      role: 'iro',
    })
    assert.match(taken.body, /An account already uses this email address/)

    const invited = await admin.post('/staff/invite', {
      name: 'Robin Hale',
      email: 'robin.hale@agency.example',
      role: 'iro',
    })
    assert.equal(invited.headers.location, '/staff?saved=invited')
    const list = await admin.get('/staff?saved=invited')
    assert.match(list.body, /Invitation sent/)
    assert.match(list.body, /Robin Hale/)
    const mail = (await outbox()).find((message) => message.to_address === 'robin.hale@agency.example')
    assert.equal(mail?.kind, 'staff-invitation')

    const robin = new WebClient(t.app)
    await robin.get(mail?.link as string)
    const accepted = await robin.post(mail?.link as string, {
      password: TEST_PASSWORD,
      confirm: TEST_PASSWORD,
    })
    assert.equal(accepted.headers.location, '/sign-in/set-up-two-factor')

    const notAdmin = new WebClient(t.app)
    await notAdmin.signIn(await t.addUser(agency, 'team-manager'))
    assert.equal((await notAdmin.get('/staff/invite')).statusCode, 403)
  })
})
