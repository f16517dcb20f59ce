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
        // An invitation link is a credential until it is used: it is not written down anywhere.
        path: request.url.split('?')[0]?.replace(/^\/invitations\/[^/]+/, '/invitations/…'),
      }),
    },
  }
}

export function requestId(request: { headers: Record<string, string | string[] | undefined> }): string {
  const given = request.headers['x-request-id']
  return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID()
}
