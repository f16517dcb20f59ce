import { randomUUID } from 'node:crypto'
import type { FastifyServerOptions } from 'fastify'

// Structured logs with a request id and nothing personal: no query strings (a search for a child's
// name would sit in them), no bodies, no cookies or tokens.

const REQUEST_ID = /^[A-Za-z0-9._-]{8,64}$/

export function loggerOptions(level: string): FastifyServerOptions['logger'] {
  return {
    level,
    redact: ['req.headers.cookie', 'req.headers.authorization', 'res.headers["set-cookie"]'],
    serializers: {
      req: (request: { id: string; method: string; url: string }) => ({
        id: request.id,
        method: request.method,
        path: loggedPath(request.url),
      }),
    },
  }
}

// Addresses that carry a credential until it is used: an invitation link, and a birth relative's
// link (ADR 0014). What follows their prefix is never written down anywhere.
const SECRET_PATHS: [RegExp, string][] = [
  [/^\/invitations\/[^/]+/, '/invitations/…'],
  [/^\/birth-family\/.+/, '/birth-family/…'],
]

/** A request's address as the log keeps it: no query string, no secret in the path. */
export function loggedPath(url: string): string {
  let path = url.split('?')[0] ?? ''
  for (const [secret, kept] of SECRET_PATHS) path = path.replace(secret, kept)
  return path
}

export function requestId(request: { headers: Record<string, string | string[] | undefined> }): string {
  const given = request.headers['x-request-id']
  return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID()
}
