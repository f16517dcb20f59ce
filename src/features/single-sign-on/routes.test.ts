import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import type { LightMyRequestResponse } from 'fastify'
import { type TestApp, type TestUser, testApp } from '../../../test/support/app.ts'
import { startIdentityProvider, type TestIdentityProvider } from '../../../test/support/identity-provider.ts'
import { WebClient } from '../../../test/support/web-client.ts'
import { serviceLink } from '../../platform/mail/messages.ts'
import { ADOPTER_ROLE } from '../../platform/roles.ts'
import { totpCode } from '../../platform/totp.ts'
import { insertUser } from '../accounts/service.ts'
import { identityProviders } from './providers.ts'
import { REFUSAL_PAGES, type Refusal } from './refusals.ts'
import { CALLBACK_PATH } from './service.ts'

// Single sign-on end to end against a real OpenID provider (oidc-provider) running in the test: the
// browser goes from our sign-in page to the provider's login page and back to our callback, which
// checks the answer with openid-client and signs in the account that already exists here — or
// refuses, says why in words, and records why in the audit log.

type Agency = { id: string; idp: TestIdentityProvider }

type Site = { t: TestApp; agency: Agency; worker: TestUser }

/** An app with one agency whose staff sign in at its own provider, and a worker known to both. */
async function siteWithWorker(login: string, providerEmail: (email: string) => string): Promise<Site> {
  const t = await testApp()
  const agency = await addAgencyWithProvider(t)
  const worker = await t.addUser(agency.id, 'social-worker')
  agency.idp.accounts.set(login, { email: providerEmail(worker.email), email_verified: true })
  return { t, agency, worker }
}

async function closeSite({ t, agency }: Site): Promise<void> {
  await agency.idp.close()
  await t.close()
}

async function addAgencyWithProvider(t: TestApp, options: { enforcesMfa?: boolean } = {}): Promise<Agency> {
  const id = await t.addAgency()
  const idp = await startIdentityProvider({ redirectUri: serviceLink(t.config.serviceUrl, CALLBACK_PATH) })
  await identityProviders(t.database.db, t.config.sessionSecret, { allowLoopbackHttp: true }).set({
    agencyId: id,
    issuer: idp.issuer,
    clientId: idp.clientId,
    clientSecret: idp.clientSecret,
    enforcesMfa: options.enforcesMfa ?? false,
  })
  return { id, idp }
}

/** Our sign-in page to the provider's address, as the browser is sent there. */
async function startAt(web: WebClient, agency: Agency): Promise<string> {
  const chooser = await web.get('/sign-in/organisation')
  const link = `/sign-in/organisation/start?agency=${agency.id}`
  assert.ok(chooser.body.includes(`href="${link}"`), 'the page links to the agency’s provider')
  const started = await web.get(link)
  assert.equal(started.statusCode, 303, started.body)
  const location = String(started.headers.location)
  assert.ok(location.startsWith(`${agency.idp.issuer}/`), location)
  const sent = new URL(location).searchParams
  assert.equal(sent.get('code_challenge_method'), 'S256')
  assert.ok(sent.get('state') && sent.get('nonce') && sent.get('code_challenge'))
  assert.equal(sent.get('code_verifier'), null, 'the verifier stays with us')
  const inProgress = started.cookies.find((cookie) => cookie.name === 'sign-in-organisation')
  assert.equal(inProgress?.httpOnly, true)
  assert.equal(inProgress?.path, '/sign-in/organisation')
  assert.doesNotMatch(
    String(inProgress?.value),
    new RegExp(String(sent.get('state'))),
    'sealed, not readable',
  )
  return location
}

/** The whole round trip: our page, the provider's login page as `login`, and back to our callback. */
async function signInAt(
  web: WebClient,
  agency: Agency,
  login: string | null,
): Promise<LightMyRequestResponse> {
  const back = await agency.idp.authorise(await startAt(web, agency), login)
  return web.get(`${back.pathname}${back.search}`)
}

function assertRefused(response: LightMyRequestResponse, reason: Refusal): void {
  const page = REFUSAL_PAGES[reason]
  assert.equal(response.statusCode, page.status, response.body)
  assert.match(response.body, new RegExp(`<h1 class="govuk-heading-l">${page.title}</h1>`))
}

const events = (t: TestApp, what: string) =>
  t.database.db
    .selectFrom('audit_events')
    .select(['who', 'agency_id', 'details'])
    .where('what', '=', what)
    .orderBy('seq')
    .execute()

async function lastRefusal(t: TestApp) {
  const refusals = await events(t, 'sign-in-failed')
  return refusals.at(-1)
}

async function assertNotSignedIn(web: WebClient): Promise<void> {
  assert.equal((await web.get('/children')).headers.location, '/sign-in')
}

const identityOf = (t: TestApp, userId: string) =>
  t.database.db
    .selectFrom('users')
    .select(['sso_issuer', 'sso_subject'])
    .where('id', '=', userId)
    .executeTakeFirstOrThrow()

describe('signing in with an organisation account', () => {
  let site: Site
  let t: TestApp
  let agency: Agency
  let worker: TestUser

  before(async () => {
    // The provider's copy of the address need not match ours letter for letter.
    site = await siteWithWorker('worker-at-idp', (email) => email.toUpperCase())
    ;({ t, agency, worker } = site)
  })
  after(() => closeSite(site))

  test('the sign-in page offers it once an agency has a provider', async () => {
    const page = await new WebClient(t.app).get('/sign-in')
    assert.match(page.body, /href="\/sign-in\/organisation">Sign in with your organisation account</)
  })

  test('works end to end: our code as second factor, the identity linked, everything audited', async () => {
    const web = new WebClient(t.app)
    const back = await signInAt(web, agency, 'worker-at-idp')
    assert.equal(back.headers.location, '/sign-in/two-factor', back.body)
    assert.equal((await web.get('/children')).headers.location, '/sign-in/two-factor', 'not yet signed in')
    await web.get('/sign-in/two-factor')
    const code = await web.post('/sign-in/two-factor', { code: await totpCode(worker.totpSecret) })
    assert.equal(code.headers.location, '/')
    assert.equal((await web.get('/children')).statusCode, 200)

    assert.deepEqual(await identityOf(t, worker.id), {
      sso_issuer: agency.idp.issuer,
      sso_subject: 'worker-at-idp',
    })
    const [linked] = await events(t, 'organisation-account-linked')
    assert.deepEqual(linked, { who: worker.id, agency_id: agency.id, details: { issuer: agency.idp.issuer } })
    const [accepted] = await events(t, 'organisation-account-accepted')
    assert.deepEqual(accepted?.details, { method: 'single-sign-on' })
    assert.equal((await events(t, 'signed-in')).at(-1)?.who, worker.id)

    // The pages and the log carry no address, and the sign-in in progress was used up.
    assert.ok(!web.cookies.has('sign-in-organisation'))
    const audit = await t.database.db.selectFrom('audit_events').select('details').execute()
    assert.doesNotMatch(JSON.stringify(audit), new RegExp(worker.email, 'i'))
  })

  test('once linked, the identity finds the account even when the provider’s address changes', async () => {
    agency.idp.accounts.set('worker-at-idp', { email: 'renamed@elsewhere.example', email_verified: false })
    const web = new WebClient(t.app)
    const back = await signInAt(web, agency, 'worker-at-idp')
    assert.equal(back.headers.location, '/sign-in/two-factor', back.body)
    agency.idp.accounts.set('worker-at-idp', { email: worker.email, email_verified: true })
  })

  test('a provider that enforces its own second factor signs the person in at once', async () => {
    const strict = await addAgencyWithProvider(t, { enforcesMfa: true })
    try {
      const manager = await t.addUser(strict.id, 'team-manager', { enrolled: false })
      strict.idp.accounts.set('manager', { email: manager.email, email_verified: true })
      const web = new WebClient(t.app)
      const chooser = await web.get('/sign-in/organisation')
      assert.match(chooser.body, /Which agency do you work for\?/, 'two agencies: a choice')
      const unknown = await web.get(`/sign-in/organisation/start?agency=${manager.id}`)
      assert.equal(unknown.headers.location, '/sign-in/organisation', 'not an agency with a provider')

      const back = await signInAt(web, strict, 'manager')
      assert.equal(back.headers.location, '/', back.body)
      assert.equal((await web.get('/children')).statusCode, 200)
      const signedIn = (await events(t, 'signed-in')).at(-1)
      assert.deepEqual(signedIn, {
        who: manager.id,
        agency_id: strict.id,
        details: { method: 'single-sign-on' },
      })
    } finally {
      await strict.idp.close()
    }
  })

  test('a person locked out after failed passwords stays locked out', async () => {
    const locked = await t.addUser(agency.id, 'support-worker')
    await t.database.db
      .updateTable('users')
      .set({ locked_until: new Date(Date.now() + 10 * 60_000) })
      .where('id', '=', locked.id)
      .execute()
    agency.idp.accounts.set('locked', { email: locked.email, email_verified: true })
    const web = new WebClient(t.app)
    const back = await signInAt(web, agency, 'locked')
    assert.match(back.body, /Your account is locked/)
    await assertNotSignedIn(web)
    assert.equal((await events(t, 'sign-in-refused-locked')).at(-1)?.who, locked.id)
  })
})

describe('answers that are refused', () => {
  let site: Site
  let t: TestApp
  let agency: Agency
  let worker: TestUser

  before(async () => {
    site = await siteWithWorker('worker', (email) => email)
    ;({ t, agency, worker } = site)
  })
  after(() => closeSite(site))

  /** Signs in as the worker at the provider and checks the answer is refused, for this reason. */
  async function refusedAs(login: string | null, reason: Refusal) {
    const web = new WebClient(t.app)
    assertRefused(await signInAt(web, agency, login), reason)
    await assertNotSignedIn(web)
    const refusal = await lastRefusal(t)
    assert.deepEqual(refusal?.details, { stage: 'single-sign-on', reason })
    return refusal
  }

  test('a provider that cannot be reached, or whose secret cannot be opened any more', async () => {
    const provider = async (issuer: string, sessionSecret: string) => {
      const agencyId = await t.addAgency()
      await identityProviders(t.database.db, sessionSecret, { allowLoopbackHttp: true }).set({
        agencyId,
        issuer,
        clientId: 'adoption-support',
        clientSecret: 'sealed under another SESSION_SECRET',
      })
      return agencyId
    }
    const cases: [string, Refusal][] = [
      // Nothing listens on port 1.
      [await provider('http://127.0.0.1:1', t.config.sessionSecret), 'provider-unavailable'],
      [
        await provider(agency.idp.issuer, 'a-secret-from-before-the-session-secret-changed'),
        'not-configured',
      ],
    ]
    for (const [agencyId, reason] of cases) {
      const web = new WebClient(t.app)
      assertRefused(await web.get(`/sign-in/organisation/start?agency=${agencyId}`), reason)
      assert.ok(!web.cookies.has('sign-in-organisation'), 'nothing in progress')
      const refusal = await lastRefusal(t)
      assert.deepEqual(refusal, {
        who: null,
        agency_id: agencyId,
        details: { stage: 'single-sign-on', reason },
      })
    }
  })

  test('an ID token from another issuer', async () => {
    agency.idp.rewriteNextIdToken((claims) => ({
      ...claims,
      iss: 'https://login.example/another-tenant/v2.0',
    }))
    const refusal = await refusedAs('worker', 'wrong-issuer')
    assert.equal(refusal?.agency_id, agency.id)
  })

  test('an answer from another provider, presented at our callback (a mix-up)', async () => {
    const impostor = await startIdentityProvider({
      redirectUri: serviceLink(t.config.serviceUrl, CALLBACK_PATH),
      client: { id: agency.idp.clientId, secret: agency.idp.clientSecret },
      accounts: agency.idp.accounts,
    })
    try {
      const web = new WebClient(t.app)
      const ours = new URL(await startAt(web, agency))
      const theirs = new URL(`${ours.pathname}${ours.search}`, impostor.issuer)
      const back = await impostor.authorise(theirs.toString(), 'worker')
      assertRefused(await web.get(`${back.pathname}${back.search}`), 'wrong-issuer')
      await assertNotSignedIn(web)
    } finally {
      await impostor.close()
    }
  })

  test('an ID token for another client (wrong audience)', async () => {
    agency.idp.rewriteNextIdToken((claims) => ({ ...claims, aud: 'some-other-application' }))
    await refusedAs('worker', 'wrong-audience')
  })

  test('an expired ID token', async () => {
    const anHourAgo = Math.floor(Date.now() / 1000) - 3600
    agency.idp.rewriteNextIdToken((claims) => ({ ...claims, iat: anHourAgo - 600, exp: anHourAgo }))
    await refusedAs('worker', 'token-expired')
  })

  test('an answer whose state is not the one we sent, or that arrives in another browser', async () => {
    const web = new WebClient(t.app)
    const back = await agency.idp.authorise(await startAt(web, agency), 'worker')
    const forged = new URLSearchParams(back.search)
    forged.set('state', 'chosen-by-someone-else')
    assertRefused(await web.get(`${back.pathname}?${forged}`), 'state-mismatch')
    assert.deepEqual((await lastRefusal(t))?.details, { stage: 'single-sign-on', reason: 'state-mismatch' })

    const elsewhere = new WebClient(t.app)
    const again = await agency.idp.authorise(await startAt(web, agency), 'worker')
    assertRefused(await elsewhere.get(`${again.pathname}${again.search}`), 'no-sign-in-in-progress')
    await assertNotSignedIn(web)
    await assertNotSignedIn(elsewhere)
  })

  test('the person cancels at their provider', async () => {
    await refusedAs(null, 'provider-declined')
  })

  test('no account here for that person, or only at another agency', async () => {
    agency.idp.accounts.set('stranger', { email: 'stranger@agency.example', email_verified: true })
    await refusedAs('stranger', 'no-account')
    const elsewhere = await t.addUser(await t.addAgency(), 'social-worker')
    agency.idp.accounts.set('elsewhere', { email: elsewhere.email, email_verified: true })
    const refusal = await refusedAs('elsewhere', 'no-account')
    assert.equal(refusal?.who, null, 'another agency’s account is not named')
  })

  test('an address the provider has not verified', async () => {
    agency.idp.accounts.set('unverified', { email: worker.email, email_verified: false })
    await refusedAs('unverified', 'email-not-verified')
  })

  test('a deactivated account', async () => {
    const leaver = await t.addUser(agency.id, 'iro')
    await t.database.db.updateTable('users').set({ active: false }).where('id', '=', leaver.id).execute()
    agency.idp.accounts.set('leaver', { email: leaver.email, email_verified: true })
    const refusal = await refusedAs('leaver', 'account-inactive')
    assert.equal(refusal?.who, leaver.id)
  })

  test('an adopter’s account, even at the agency', async () => {
    const email = `adopter-${Date.now()}@home.example`
    await insertUser(t.database.db, {
      agencyId: agency.id,
      email,
      name: 'Test adopter',
      role: ADOPTER_ROLE,
      passwordHash: null,
      totpSecret: null,
    })
    agency.idp.accounts.set('adopter', { email, email_verified: true })
    await refusedAs('adopter', 'not-staff')
  })

  test('an account already linked to another identity', async () => {
    const linked = await t.addUser(agency.id, 'social-worker')
    await t.database.db
      .updateTable('users')
      .set({ sso_issuer: agency.idp.issuer, sso_subject: 'the-first-identity' })
      .where('id', '=', linked.id)
      .execute()
    agency.idp.accounts.set('a-second-identity', { email: linked.email, email_verified: true })
    await refusedAs('a-second-identity', 'linked-to-another-identity')
    assert.equal((await identityOf(t, linked.id)).sso_subject, 'the-first-identity')
  })
})
