import * as oidc from 'openid-client'

// Why a sign-in with an organisation account was refused: precise in the audit log (for whoever
// investigates), plain on the page (for the person, who needs to know what to do next).

export type Refusal =
  | 'no-sign-in-in-progress'
  | 'not-configured'
  | 'provider-unavailable'
  | 'provider-declined'
  | 'state-mismatch'
  | 'wrong-issuer'
  | 'wrong-audience'
  | 'nonce-mismatch'
  | 'token-expired'
  | 'token-refused'
  | 'email-not-verified'
  | 'no-account'
  | 'not-staff'
  | 'linked-to-another-identity'
  | 'account-inactive'

/** A field of the error's cause, or of its cause's cause: openid-client wraps oauth4webapi's errors. */
function causeField(error: Error, field: string): unknown {
  const cause = error.cause as Record<string, unknown> | undefined
  const inner = cause?.cause as Record<string, unknown> | undefined
  return cause?.[field] ?? inner?.[field]
}

function fromClientError(error: oidc.ClientError): Refusal {
  const claim = causeField(error, 'claim')
  switch (error.code) {
    case 'OAUTH_JWT_CLAIM_COMPARISON_FAILED':
      if (claim === 'iss') return 'wrong-issuer'
      if (claim === 'aud' || claim === 'azp') return 'wrong-audience'
      return claim === 'nonce' ? 'nonce-mismatch' : 'token-refused'
    case 'OAUTH_JWT_TIMESTAMP_CHECK_FAILED':
      return claim === 'exp' ? 'token-expired' : 'token-refused'
    case 'OAUTH_JSON_ATTRIBUTE_COMPARISON_FAILED':
      // Discovery: the provider at the configured address says it is someone else.
      return causeField(error, 'attribute') === 'issuer' ? 'wrong-issuer' : 'token-refused'
    case 'OAUTH_INVALID_RESPONSE':
      // The authorization response's own "iss" parameter (RFC 9207) names another provider.
      return /"iss"/.test(String((error.cause as Error | undefined)?.message))
        ? 'wrong-issuer'
        : 'token-refused'
    case 'OAUTH_RESPONSE_IS_NOT_CONFORM':
    case 'OAUTH_RESPONSE_IS_NOT_JSON':
    case 'OAUTH_TIMEOUT':
    case 'OAUTH_ABORT':
      return 'provider-unavailable'
    default:
      return 'token-refused'
  }
}

export function refusalFor(error: unknown): Refusal {
  if (error instanceof oidc.AuthorizationResponseError) return 'provider-declined'
  if (error instanceof oidc.ResponseBodyError) return 'token-refused'
  if (error instanceof oidc.ClientError) return fromClientError(error)
  // fetch() could not reach the provider at all.
  if (error instanceof TypeError) return 'provider-unavailable'
  return 'token-refused'
}

type Page = { status: number; title: string; paragraphs: string[]; startAgain: boolean }

const ANSWER_REFUSED: Page = {
  status: 403,
  title: 'We could not accept the answer from your organisation’s sign-in service',
  paragraphs: [
    'This can happen when signing in took too long, or was started again in another tab.',
    'Start again. If it keeps happening, tell your agency administrator.',
  ],
  startAgain: true,
}

const UNAVAILABLE: Page = {
  status: 502,
  title: 'Your organisation’s sign-in service is not available',
  paragraphs: [
    'We could not reach it, or it is not set up correctly for this service. Try again later.',
    'If it keeps happening, tell your agency administrator. You can sign in with your email address and password if you have them.',
  ],
  startAgain: true,
}

const NO_ACCOUNT: Page = {
  status: 403,
  title: 'Your organisation account is not linked to an account here',
  paragraphs: [
    'You signed in to your organisation, but we could not find an active account in this service for you at that agency.',
    'Ask your agency administrator to add you, with the same work email address as your organisation account.',
  ],
  startAgain: false,
}

export const REFUSAL_PAGES: Record<Refusal, Page> = {
  'no-sign-in-in-progress': {
    status: 400,
    title: 'Your sign-in timed out',
    paragraphs: [
      'Signing in must be finished within 10 minutes, in the same browser it was started in.',
      'Start again.',
    ],
    startAgain: true,
  },
  'not-configured': UNAVAILABLE,
  'provider-unavailable': UNAVAILABLE,
  'provider-declined': {
    status: 403,
    title: 'You did not finish signing in with your organisation',
    paragraphs: [
      'Your organisation’s sign-in service did not sign you in.',
      'Start again, or sign in another way.',
    ],
    startAgain: true,
  },
  'state-mismatch': ANSWER_REFUSED,
  'wrong-issuer': ANSWER_REFUSED,
  'wrong-audience': ANSWER_REFUSED,
  'nonce-mismatch': ANSWER_REFUSED,
  'token-expired': ANSWER_REFUSED,
  'token-refused': ANSWER_REFUSED,
  'email-not-verified': {
    ...NO_ACCOUNT,
    paragraphs: [
      'Your organisation did not confirm your email address to us, so we cannot tell which account is yours.',
      'Tell your agency administrator: the sign-in service must send a verified email address the first time you sign in.',
    ],
  },
  'no-account': NO_ACCOUNT,
  // Adopters sign in with their email address and password, never through an agency's provider.
  'not-staff': NO_ACCOUNT,
  'linked-to-another-identity': {
    ...NO_ACCOUNT,
    paragraphs: [
      'Your account in this service is already linked to a different organisation account.',
      'Sign in with that account, or ask your agency administrator for help.',
    ],
  },
  'account-inactive': {
    ...NO_ACCOUNT,
    title: 'Your account is not active',
    paragraphs: [
      'Your account in this service has been closed. Ask your agency administrator if you need it again.',
    ],
  },
}
