import { createHash } from 'node:crypto'
import { sql, type Transaction } from 'kysely'
import type { Db } from '../db/database.ts'
import type { Database } from '../db/schema.ts'

// The audit log: append-only, one shape for every event, each event carrying the hash of the one
// before it so that any later change to a stored event breaks the chain where it was made.

export type AuditEvent = {
  what: string
  who: string | null
  agencyId?: string | null
  subjectType?: string | null
  subjectId?: string | null
  correlationId?: string | null
  details?: Record<string, unknown>
}

type Executor = Db | Transaction<Database>

const GENESIS = '0'.repeat(64) // the database function starts the chain with the same
// Any fixed number: it names the lock that puts concurrent writers of the chain in a line.
const AUDIT_CHAIN_LOCK = 4_270_221

function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`
  if (value && typeof value === 'object' && !(value instanceof Date)) {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`
  }
  return JSON.stringify(value instanceof Date ? value.toISOString() : value)
}

type EventFields = {
  what: string
  who: string | null
  agencyId: string | null
  when: Date
  subjectType: string | null
  subjectId: string | null
  correlationId: string | null
  details: Record<string, unknown>
}

export function eventHash(previousHash: string, event: EventFields): string {
  return createHash('sha256').update(previousHash).update(canonical(event)).digest('hex')
}

/**
 * Records an event, in the caller's transaction or on its own: one statement either way. The
 * database function (migration 0015) takes the chain's lock, reads the last hash and stores the
 * event with SHA-256(last hash + the canonical text made here): `eventHash`, computed there.
 */
export async function recordAudit(executor: Executor, event: AuditEvent): Promise<void> {
  // A JS date has milliseconds only, so the hash can be recomputed from what the database gives back.
  const fields: EventFields = {
    what: event.what,
    who: event.who,
    agencyId: event.agencyId ?? null,
    when: new Date(),
    subjectType: event.subjectType ?? null,
    subjectId: event.subjectId ?? null,
    correlationId: event.correlationId ?? null,
    details: event.details ?? {},
  }
  await sql`select audit_append(${fields.what}, ${fields.who}, ${fields.agencyId}, ${fields.when},
    ${fields.subjectType}, ${fields.subjectId}, ${fields.correlationId}, ${JSON.stringify(fields.details)},
    ${canonical(fields)}, ${AUDIT_CHAIN_LOCK})`.execute(executor)
}

export type ChainCheck = { ok: true; events: number } | { ok: false; events: number; brokenAt: number }

/** Walks the chain from the start and reports the first event whose hash does not hold. */
export async function verifyAuditChain(db: Db, batchSize = 5000): Promise<ChainCheck> {
  let previousHash = GENESIS
  let afterSeq = 0
  let count = 0
  for (;;) {
    const rows = await db
      .selectFrom('audit_events')
      .selectAll()
      .where('seq', '>', afterSeq)
      .orderBy('seq')
      .limit(batchSize)
      .execute()
    if (rows.length === 0) return { ok: true, events: count }
    for (const row of rows) {
      const expected = eventHash(previousHash, {
        what: row.what,
        who: row.who,
        agencyId: row.agency_id,
        when: row.when,
        subjectType: row.subject_type,
        subjectId: row.subject_id,
        correlationId: row.correlation_id,
        details: row.details,
      })
      if (row.previous_hash !== previousHash || row.hash !== expected) {
        return { ok: false, events: count, brokenAt: row.seq }
      }
      previousHash = row.hash
      afterSeq = row.seq
      count++
    }
  }
}
