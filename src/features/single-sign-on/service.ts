import * as oidc from 'openid-client'
import type { Config } from '../../config.ts'
import type { Db } from '../../db/database.ts'
import type { User } from '../../db/schema.ts'
import { recordAudit } from '../../platform/audit.ts'
import { serviceLink } from '../../platform/mail/messages.ts'
import { isStaffRole } from '../../platform/roles.ts'
import { seal, unseal } from '../../platform/sealed.ts'
import { findUserByEmail } from '../accounts/service.ts'
import { type Attempt, accountEvent } from '../sign-in/service.ts'
import { type IdentityProvider, identityProviders } from './providers.ts'
import { type Refusal, refusalFor } from './refusals.ts'

// Signing in with an organisation account (OpenID Connect, authorization code flow with PKCE, state
// and nonce). The identity is only ever mapped to an account that already exists: first by the
// identity linked to it, otherwise, the first time, by the verified e-mail address, which then links
// it. The sign-in in progress travels sealed in the browser's cookie, never in the address.

export const CALLBACK_PATH = '/sign-in/organisation/callback'
export const IN_PROGRESS_MINUTES = 10

const IN_PROGRESS_PURPOSE = 'single sign-on in progress'
const PROVIDER_TIMEOUT_SECONDS = 10

type InProgress = { agencyId: string; state: string; nonce: string; codeVerifier: string; expiresAt: number }

export type Begun =
  | { outcome: 'redirect'; url: string; inProgress: string }
  | { outcome: 'unknown-agency' }
  | { outcome: 'refused'; reason: Refusal }

export type Finished =
  | { outcome: 'signed-in'; user: User; secondFactorDone: boolean }
  | { outcome: 'locked'; until: Date }
  | { outcome: 'refused'; reason: Refusal }

type Matched = { user: User; link: boolean } | { refusal: Refusal; user?: User }

/** Why the provider, or its answer, could not be used. */
class ProviderRefused extends Error {
  readonly reason: Refusal

  constructor(reason: Refusal) {
    super(reason)
    this.reason = reason
  }
}

export function singleSignOn(db: Db, config: Pick<Config, 'env' | 'sessionSecret' | 'serviceUrl'>) {
  // Plain http to this machine is for tests and local trials only; production insists on https.
  const allowLoopbackHttp = config.env !== 'production'
  const providers = identityProviders(db, config.sessionSecret, { allowLoopbackHttp })
  const redirectUri = serviceLink(config.serviceUrl, CALLBACK_PATH)

  // Discovered on every sign-in rather than cached: sign-ins are rare, and a provider changed with
  // `sso set` then takes effect at once on every instance.
  async function discover(provider: IdentityProvider): Promise<oidc.Configuration> {
    if (provider.clientSecret === null) throw new ProviderRefused('not-configured')
    const insecure = allowLoopbackHttp && new URL(provider.issuer).protocol === 'http:'
    try {
      return await oidc.discovery(
        new URL(provider.issuer),
        provider.clientId,
        provider.clientSecret,
        undefined,
        {
          execute: insecure ? [oidc.allowInsecureRequests] : [],
          timeout: PROVIDER_TIMEOUT_SECONDS,
        },
      )
    } catch (error) {
      throw new ProviderRefused(refusalFor(error))
    }
  }

  async function refuse(
    reason: Refusal,
    attempt: Attempt,
    about: { agencyId?: string; user?: User } = {},
  ): Promise<{ outcome: 'refused'; reason: Refusal }> {
    const details = { stage: 'single-sign-on', reason }
    await recordAudit(
      db,
      about.user
        ? accountEvent('sign-in-failed', about.user, attempt, details)
        : {
            what: 'sign-in-failed',
            who: null,
            agencyId: about.agencyId ?? null,
            correlationId: attempt.correlationId,
            details,
          },
    )
    return { outcome: 'refused', reason }
  }

  function openInProgress(sealed: string | undefined): InProgress | null {
    const opened = sealed ? unseal(config.sessionSecret, IN_PROGRESS_PURPOSE, sealed) : null
    if (!opened) return null
    const inProgress = JSON.parse(opened) as InProgress
    return inProgress.expiresAt > Date.now() ? inProgress : null
  }

  async function exchange(
    provider: IdentityProvider,
    inProgress: InProgress,
    callbackUrl: URL,
  ): Promise<oidc.IDToken> {
    // Checked here as well as by openid-client, so that the audit log names it for what it is.
    if (callbackUrl.searchParams.get('state') !== inProgress.state)
      throw new ProviderRefused('state-mismatch')
    const configuration = await discover(provider)
    try {
      const tokens = await oidc.authorizationCodeGrant(configuration, callbackUrl, {
        pkceCodeVerifier: inProgress.codeVerifier,
        expectedState: inProgress.state,
        expectedNonce: inProgress.nonce,
        idTokenExpected: true,
      })
      const claims = tokens.claims()
      if (!claims) throw new ProviderRefused('token-refused')
      return claims
    } catch (error) {
      throw error instanceof ProviderRefused ? error : new ProviderRefused(refusalFor(error))
    }
  }

  async function match(provider: IdentityProvider, claims: oidc.IDToken): Promise<Matched> {
    const linked = await db
      .selectFrom('users')
      .selectAll()
      .where('sso_issuer', '=', provider.issuer)
      .where('sso_subject', '=', claims.sub)
      .executeTakeFirst()
    let user = linked
    if (!user) {
      // An address the provider has not verified could be anyone's (Entra ID lets users edit theirs).
      if (claims.email_verified !== true || typeof claims.email !== 'string')
        return { refusal: 'email-not-verified' }
      user = await findUserByEmail(db, claims.email)
    }
    // One agency's provider speaks for that agency's staff only; adopters never sign in this way.
    if (!user || user.agency_id !== provider.agencyId) return { refusal: 'no-account' }
    if (!isStaffRole(user.role)) return { refusal: 'not-staff', user }
    if (!user.active) return { refusal: 'account-inactive', user }
    if (!linked && user.sso_subject !== null) return { refusal: 'linked-to-another-identity', user }
    return { user, link: !linked }
  }

  async function accept(
    provider: IdentityProvider,
    claims: oidc.IDToken,
    user: User,
    link: boolean,
    attempt: Attempt,
  ): Promise<Finished> {
    const linkedNow = await db.transaction().execute(async (trx) => {
      if (link) {
        const result = await trx
          .updateTable('users')
          .set({ sso_issuer: provider.issuer, sso_subject: claims.sub, updated_at: new Date() })
          .where('id', '=', user.id)
          .where('sso_subject', 'is', null)
          .executeTakeFirst()
        // Someone else's sign-in linked the account a moment ago.
        if (result.numUpdatedRows === 0n) return false
        await recordAudit(
          trx,
          accountEvent('organisation-account-linked', user, attempt, { issuer: provider.issuer }),
        )
      }
      if (provider.enforcesMfa) {
        await trx
          .updateTable('users')
          .set({ failed_sign_ins: 0, updated_at: new Date() })
          .where('id', '=', user.id)
          .execute()
      }
      // Without the provider's second factor, ours is still to come: only then is it 'signed-in'.
      const what = provider.enforcesMfa ? 'signed-in' : 'organisation-account-accepted'
      await recordAudit(trx, accountEvent(what, user, attempt, { method: 'single-sign-on' }))
      return true
    })
    if (!linkedNow) return refuse('linked-to-another-identity', attempt, { user })
    return { outcome: 'signed-in', user, secondFactorDone: provider.enforcesMfa }
  }

  return {
    providers,

    /** The agencies whose staff may sign in with their organisation account. */
    agencies: () => providers.agencies(),

    /** Where to send the person, and the sealed sign-in in progress to keep in their browser. */
    async begin(agencyId: string, attempt: Attempt): Promise<Begun> {
      const provider = await providers.find(agencyId)
      if (!provider) return { outcome: 'unknown-agency' }
      try {
        const configuration = await discover(provider)
        const inProgress: InProgress = {
          agencyId,
          state: oidc.randomState(),
          nonce: oidc.randomNonce(),
          codeVerifier: oidc.randomPKCECodeVerifier(),
          expiresAt: Date.now() + IN_PROGRESS_MINUTES * 60_000,
        }
        const url = oidc.buildAuthorizationUrl(configuration, {
          redirect_uri: redirectUri,
          scope: 'openid email',
          state: inProgress.state,
          nonce: inProgress.nonce,
          code_challenge: await oidc.calculatePKCECodeChallenge(inProgress.codeVerifier),
          code_challenge_method: 'S256',
        })
        const sealed = seal(config.sessionSecret, IN_PROGRESS_PURPOSE, JSON.stringify(inProgress))
        return { outcome: 'redirect', url: url.toString(), inProgress: sealed }
      } catch (error) {
        if (error instanceof ProviderRefused) return refuse(error.reason, attempt, { agencyId })
        throw error
      }
    },

    /** The provider's answer at our callback address: a member of staff to sign in, or why not. */
    async finish(sealed: string | undefined, query: string, attempt: Attempt): Promise<Finished> {
      const inProgress = openInProgress(sealed)
      if (!inProgress) return refuse('no-sign-in-in-progress', attempt)
      const { agencyId } = inProgress
      const provider = await providers.find(agencyId)
      if (!provider) return refuse('not-configured', attempt, { agencyId })
      // The address registered with the provider, whatever host name the request arrived by.
      const callbackUrl = new URL(redirectUri)
      callbackUrl.search = query
      let claims: oidc.IDToken
      try {
        claims = await exchange(provider, inProgress, callbackUrl)
      } catch (error) {
        if (error instanceof ProviderRefused) return refuse(error.reason, attempt, { agencyId })
        throw error
      }
      const matched = await match(provider, claims)
      if ('refusal' in matched) return refuse(matched.refusal, attempt, { agencyId, user: matched.user })
      const { user } = matched
      if (user.locked_until && user.locked_until > new Date()) {
        await recordAudit(db, accountEvent('sign-in-refused-locked', user, attempt))
        return { outcome: 'locked', until: user.locked_until }
      }
      return accept(provider, claims, user, matched.link, attempt)
    },
  }
}
