import type { FastifyRequest } from 'fastify'

// Conditional writes on the API: the version a client last read comes back in If-Match.

/** `If-Match: "3"` (or 3, or W/"3") as a number; undefined when absent, -1 when unreadable. */
export function ifMatchVersion(request: FastifyRequest): number | undefined {
  const header = request.headers['if-match']
  if (typeof header !== 'string') return undefined
  const match = /^(?:W\/)?"?(\d+)"?$/.exec(header.trim())
  return match ? Number(match[1]) : -1
}
