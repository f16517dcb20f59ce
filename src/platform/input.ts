import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { isApiRequest, sendProblem } from './errors.ts'

// Text that no person types: C0 control characters other than tab and line ends, DEL, and UTF-16
// halves without their pair. PostgreSQL refuses NUL in text and jsonb (and an unpaired surrogate in
// jsonb), so they would reach the database and fail there as a 500; the others are invisible, and
// kept they would turn up in documents and spreadsheets. Found by test/bad-input.test.ts.
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding them is the point
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g

function hasUntypable(value: string): boolean {
  CONTROL.lastIndex = 0
  return CONTROL.test(value) || !value.isWellFormed()
}

function clean(value: string): string {
  return value.replace(CONTROL, '').toWellFormed()
}

/** Every string in a parsed body or query, at any depth (keys too: a key is a field's name). */
function mapStrings(value: unknown, change: (text: string) => string): unknown {
  if (typeof value === 'string') return change(value)
  if (Array.isArray(value)) return value.map((item) => mapStrings(item, change))
  if (value && typeof value === 'object' && !Buffer.isBuffer(value)) {
    const out: Record<string, unknown> = Object.create(Object.getPrototypeOf(value))
    for (const [key, item] of Object.entries(value)) out[change(key)] = mapStrings(item, change)
    return out
  }
  return value
}

function containsUntypable(value: unknown): boolean {
  let found = false
  mapStrings(value, (text) => {
    if (hasUntypable(text)) found = true
    return text
  })
  return found
}

/**
 * Before any route sees a request: a page's form and query lose the characters nobody types (a
 * person cannot see them to mend them, and they are most often pasted in by accident); the API,
 * whose clients are programs, is told plainly instead, so that their data is not changed unseen.
 */
export function cleanInput(app: FastifyInstance): void {
  app.addHook('preValidation', async (request: FastifyRequest, reply: FastifyReply) => {
    if (isApiRequest(request)) {
      if (containsUntypable(request.body) || containsUntypable(request.query))
        return sendProblem(
          reply,
          400,
          'Bad Request',
          'Text must not contain control characters (other than tab and line breaks) or unpaired surrogates.',
        )
      return
    }
    if (request.body && typeof request.body === 'object') request.body = mapStrings(request.body, clean)
    if (request.query && typeof request.query === 'object') request.query = mapStrings(request.query, clean)
  })
}
