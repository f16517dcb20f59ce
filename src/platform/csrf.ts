import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto'

// Forms carry a token derived from a random cookie with the server's secret. Another site can make
// a browser send the cookie, but cannot read it, so it cannot produce the matching token.

export const CSRF_COOKIE = 'csrf'
export const CSRF_FIELD = '_csrf'

export function newCsrfSeed(): string {
  return randomBytes(24).toString('base64url')
}

export function csrfToken(secret: string, seed: string): string {
  return createHmac('sha256', secret).update(`csrf:${seed}`).digest('base64url')
}

export function csrfTokenValid(secret: string, seed: string | undefined, token: unknown): boolean {
  if (!seed || typeof token !== 'string') return false
  const expected = Buffer.from(csrfToken(secret, seed))
  const given = Buffer.from(token)
  return expected.length === given.length && timingSafeEqual(expected, given)
}
