import { sql } from 'kysely'
import type { Db } from '../../db/database.ts'
import { type Repeating, repeatEvery } from '../repeating.ts'
import { isMailKind, renderMail } from './messages.ts'
import type { MailTransport } from './transports.ts'

// Drains the outbox. A message is claimed before it is sent: one short statement takes due rows
// with `for update skip locked` and stamps them `locked_until`, so another worker (another app
// instance, or this one's next tick) passes them by. Nothing holds a database connection while a
// mail server is being talked to (PGlite has only one). Sent, the row is marked and its link, which
// may be a credential such as an invitation, is wiped. A claim left by a process that died runs
// out and the message is tried again: a crash between sending and marking can send twice, never none.

export type MailWorkerOptions = {
  db: Db
  transport: MailTransport
  serviceUrl: string
  log?: MailLog
  batchSize?: number
  intervalMs?: number
  maxAttempts?: number
  /** Longer than any send can take, or another worker could take the message over mid-send. */
  claimMs?: number
  sendTimeoutMs?: number
  /** The wait before retry n (1, 2, …). */
  backoffMs?: (attempt: number) => number
}

type MailLog = {
  info: (details: object, message: string) => void
  warn: (details: object, message: string) => void
  error: (details: object, message: string) => void
}

export type DrainResult = { sent: number; failed: number; gaveUp: number }

type ClaimedMail = { id: string; to_address: string; kind: string; link: string | null; attempts: number }

const silent: MailLog = { info() {}, warn() {}, error() {} }

// One minute, doubling, at most six hours: eight attempts span about four hours.
export const defaultBackoff = (attempt: number) => Math.min(60_000 * 2 ** (attempt - 1), 6 * 3_600_000)

const ADDRESS = /[^\s<>()"',;:]+@[^\s<>()"',;:]+/g

/** What went wrong, in a line, with any e-mail address taken out (servers like to quote them). */
export function errorSummary(error: unknown): string {
  const parts: string[] = []
  if (error && typeof error === 'object') {
    const { code, responseCode, response } = error as Record<string, unknown>
    // Notify (through axios) puts its reasons in the response body.
    const { status, data } = (response ?? {}) as {
      status?: unknown
      data?: { errors?: { message?: unknown }[] }
    }
    for (const part of [code, responseCode, status]) if (part !== undefined) parts.push(String(part))
    parts.push(error instanceof Error ? error.message : String(error))
    for (const reason of data?.errors ?? [])
      if (reason.message !== undefined) parts.push(String(reason.message))
  } else {
    parts.push(String(error))
  }
  return parts.join(' ').replace(ADDRESS, '[address]').replace(/\s+/g, ' ').slice(0, 300)
}

function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer from the mail transport in ${ms} ms`)), ms)
  })
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer))
}

// Stopping mid-batch hands the unsent rest back at once, instead of when their claim runs out.
async function release(db: Db, messages: ClaimedMail[]): Promise<void> {
  await db
    .updateTable('mail_outbox')
    .set((eb) => ({ locked_until: null, attempts: eb('attempts', '-', 1) }))
    .where(
      'id',
      'in',
      messages.map((message) => message.id),
    )
    .execute()
}

/** Sends what is due, one batch after another, until nothing is left or `stopping()` says so. */
export async function drainMail(options: MailWorkerOptions, stopping = () => false): Promise<DrainResult> {
  const { db, transport, serviceUrl } = options
  const log = options.log ?? silent
  const batchSize = options.batchSize ?? 10
  const maxAttempts = options.maxAttempts ?? 8
  const claimMs = options.claimMs ?? 10 * 60_000
  const sendTimeoutMs = options.sendTimeoutMs ?? 60_000
  const backoff = options.backoffMs ?? defaultBackoff
  const result: DrainResult = { sent: 0, failed: 0, gaveUp: 0 }

  while (!stopping()) {
    // Materialised, so that the locking select runs once and its limit holds.
    const { rows: batch } = await sql<ClaimedMail>`
      with due as materialized (
        select id from mail_outbox
        where sent_at is null and gave_up_at is null and send_after <= now()
          and (locked_until is null or locked_until < now())
        order by send_after, created_at
        limit ${batchSize}
        for update skip locked
      )
      update mail_outbox
      set locked_until = now() + ${`${claimMs} milliseconds`}::interval, attempts = attempts + 1
      from due where mail_outbox.id = due.id
      returning mail_outbox.id, to_address, kind, link, attempts
    `.execute(db)

    for (const [index, message] of batch.entries()) {
      if (stopping()) {
        await release(db, batch.slice(index))
        break
      }
      try {
        if (!isMailKind(message.kind)) throw new Error(`unknown kind of mail: ${message.kind}`)
        if (!message.link) throw new Error('the message has no link')
        const { subject, body } = renderMail(message.kind, serviceUrl, message.link)
        await withTimeout(
          transport.send({ id: message.id, to: message.to_address, subject, body }),
          sendTimeoutMs,
        )
        await db
          .updateTable('mail_outbox')
          .set({ sent_at: new Date(), locked_until: null, link: null, last_error: null })
          .where('id', '=', message.id)
          .execute()
        result.sent++
      } catch (error) {
        const lastError = errorSummary(error)
        const givingUp = message.attempts >= maxAttempts
        await db
          .updateTable('mail_outbox')
          .set({
            locked_until: null,
            last_error: lastError,
            ...(givingUp
              ? { gave_up_at: new Date() }
              : { send_after: new Date(Date.now() + backoff(message.attempts)) }),
          })
          .where('id', '=', message.id)
          .execute()
        const details = {
          mailId: message.id,
          kind: message.kind,
          attempts: message.attempts,
          error: lastError,
        }
        if (givingUp) {
          result.gaveUp++
          log.error(details, 'mail not sent: gave up')
        } else {
          result.failed++
          log.warn(details, 'mail not sent: will try again')
        }
      }
    }
    if (batch.length < batchSize) break
  }
  if (result.sent + result.failed + result.gaveUp > 0) log.info({ ...result }, 'mail outbox drained')
  return result
}

export type MailWorker = Repeating

/** Drains the outbox every `intervalMs` (default 5 s) until stopped. */
export function startMailWorker(options: MailWorkerOptions): MailWorker {
  const log = options.log ?? silent
  const repeating = repeatEvery({
    intervalMs: options.intervalMs ?? 5_000,
    run: (stopped) => drainMail(options, stopped).then(() => undefined),
    onError: (error) => log.error({ error: errorSummary(error) }, 'mail outbox could not be drained'),
  })
  return {
    poke: repeating.poke,
    async stop() {
      await repeating.stop()
      options.transport.close?.()
    },
  }
}
