import type { Transaction } from 'kysely'
import { z } from 'zod'
import type { Db } from '../../db/database.ts'
import type { Database } from '../../db/schema.ts'
import { isMailKind, type MailKind } from './messages.ts'

// Queueing an e-mail is writing a row, in the caller's transaction: the message goes if and only if
// the change that caused it is committed. The worker (worker.ts) sends it later.

type Executor = Db | Transaction<Database>

export type QueuedMail = {
  to: string
  kind: MailKind
  /** A path on this service, such as `/invitations/abc`: no host, no query string, no fragment. */
  link: string
  /** Not before this time (a reminder for later); now when left out. */
  sendAfter?: Date
  /**
   * Names this message so that queueing it again does nothing, such as `review-due:<plan id>:<date>`:
   * two app instances deciding on the same reminder send it once. Identifiers only, never names.
   */
  dedupeKey?: string
}

export class InvalidMailError extends Error {}

const address = z.email().max(254)
// Only the characters of random identifiers and plain path segments: a query string, a fragment,
// another host (`//host`), or percent-encoded text (which could spell a name) are all refused.
const LINK = /^\/(?!\/)[A-Za-z0-9._~\-/]{0,500}$/
const DEDUPE_KEY = /^[A-Za-z0-9._:\-/]{1,200}$/

export function checkLink(link: string): string {
  if (!LINK.test(link) || link.split('/').includes('..')) {
    throw new InvalidMailError('A mail link must be a plain path on this service, with no query string')
  }
  return link
}

/** Adds a message to the outbox; answers false when one with the same `dedupeKey` is there already. */
export async function queueMail(executor: Executor, mail: QueuedMail): Promise<boolean> {
  if (!address.safeParse(mail.to).success) throw new InvalidMailError('The mail address is not valid')
  if (!isMailKind(mail.kind)) throw new InvalidMailError(`There is no kind of mail called ${mail.kind}`)
  checkLink(mail.link)
  if (mail.dedupeKey !== undefined && !DEDUPE_KEY.test(mail.dedupeKey)) {
    throw new InvalidMailError('A mail dedupe key is made of identifiers only')
  }
  const inserted = await executor
    .insertInto('mail_outbox')
    .values({
      to_address: mail.to,
      kind: mail.kind,
      link: mail.link,
      dedupe_key: mail.dedupeKey ?? null,
      send_after: mail.sendAfter,
    })
    .onConflict((conflict) => conflict.column('dedupe_key').doNothing())
    .returning('id')
    .executeTakeFirst()
  return inserted !== undefined
}
