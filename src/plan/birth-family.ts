import { createHmac, randomBytes, randomInt } from 'node:crypto'
import { dateParts, parseDateInput } from '../platform/date-input.ts'
import { formatDate, todayInEngland } from '../platform/dates.ts'

// Birth family sign-off (issue 5, ADR 0014): a birth relative reads the support section 4 of the
// plan offers them, through a link or a code printed in a letter, and confirms it or declines it.
// The rules here are pure: how a link or code is made, kept (only its keyed hash) and read back,
// and what state it is in. The feature (src/features/birth-family) keeps them in the database.

/** How long a link or a letter's code stays usable: long enough for a letter to arrive and be answered. */
export const LINK_DAYS = 28

/**
 * The letters and digits of a code: no I, L, O or U, and no 0 or 1, so nothing read off paper can be
 * mistaken for something else (as Crockford's base 32 does). 30 symbols, 8 of them: about 6.6 × 10¹¹
 * codes, tried at most a few at a time (the code page is rate-limited).
 */
export const CODE_ALPHABET = 'ABCDEFGHJKMNPQRSTVWXYZ23456789'
export const CODE_LENGTH = 8

export type LinkKind = 'link' | 'code'

/** 256 random bits, as they travel in the link's address. */
export function newLinkToken(): string {
  return randomBytes(32).toString('base64url')
}

export function newCode(): string {
  let code = ''
  for (let i = 0; i < CODE_LENGTH; i++) code += CODE_ALPHABET[randomInt(CODE_ALPHABET.length)]
  return code
}

/** The code as printed: two groups of four, easier to copy. */
export function formatCode(code: string): string {
  return `${code.slice(0, 4)}-${code.slice(4)}`
}

/** What a person typed, as a code: spaces and dashes dropped, any case; null if it cannot be one. */
export function normaliseCode(typed: string): string | null {
  const code = typed.replace(/[\s-]/g, '').toUpperCase()
  if (code.length !== CODE_LENGTH) return null
  return [...code].every((symbol) => CODE_ALPHABET.includes(symbol)) ? code : null
}

/** A link's token looks like this; anything else is not looked up at all. */
export function isLinkToken(value: string): boolean {
  return /^[A-Za-z0-9_-]{43}$/.test(value)
}

/**
 * What is stored of a link or code: an HMAC with the service's secret, never the secret itself, so a
 * copy of the database lets nobody open a link, nor try every code offline. The kind is part of it: a
 * code typed into a link's address finds nothing.
 */
export function secretHash(serviceSecret: string, kind: LinkKind, value: string): string {
  return createHmac('sha256', serviceSecret).update(`birth-family:${kind}:${value}`).digest('hex')
}

export type LinkStatus = 'waiting' | 'confirmed' | 'declined' | 'revoked' | 'expired' | 'used'

export const LINK_STATUS_TEXT: Record<LinkStatus, string> = {
  waiting: 'Waiting for an answer',
  confirmed: 'Confirmed',
  declined: 'Declined',
  revoked: 'Withdrawn',
  expired: 'Expired',
  used: 'Closed: answered another way',
}

export type LinkState = {
  expiresAt: Date
  revokedAt: Date | null
  answeredAt: Date | null
  answer: 'confirmed' | 'declined' | null
  /** Closed without an answer of its own: the relative answered through another link, or on paper. */
  closedAt: Date | null
}

/**
 * Where a link stands. An answer is final, whatever happened after; then a withdrawal (by the
 * worker, or the relative taken out of section 4); then closing; then the date.
 */
export function linkStatus(link: LinkState, now: Date, relativeRemoved = false): LinkStatus {
  if (link.answeredAt && link.answer) return link.answer
  if (link.revokedAt || relativeRemoved) return 'revoked'
  if (link.closedAt) return 'used'
  if (link.expiresAt.getTime() <= now.getTime()) return 'expired'
  return 'waiting'
}

/** Why a link cannot be used, said to the relative who opened it. */
export const LINK_REFUSALS: Record<Exclude<LinkStatus, 'waiting'>, { title: string; message: string }> = {
  confirmed: {
    title: 'This link has already been used',
    message: 'An answer has already been sent with this link, so it cannot be used again.',
  },
  declined: {
    title: 'This link has already been used',
    message: 'An answer has already been sent with this link, so it cannot be used again.',
  },
  used: {
    title: 'This link has already been used',
    message: 'An answer has already been given, so this link cannot be used again.',
  },
  revoked: {
    title: 'This link has been withdrawn',
    message: 'The social worker who sent it has withdrawn this link, so it no longer works.',
  },
  expired: {
    title: 'This link has expired',
    message: `Links work for ${LINK_DAYS} days after they are made, and this one is older.`,
  },
}

// A code that is wrong, used, withdrawn or expired gets one answer: a code is short enough to guess
// at, so the page must not tell anyone which codes exist.
export const CODE_REFUSED =
  'The code is not right, or it can no longer be used. Check it against your letter.'

export type Answer =
  | { answer: 'confirmed'; name: string; date: string }
  | { answer: 'declined'; reason: string }

export const NAME_MAX = 200
export const REASON_MAX = 2000

/**
 * The relative's answer from the form's fields, or the messages to show beside them. A confirmation
 * needs their name and the date they confirm (a real day, not before the link was made and not after
 * today); declining needs their reason.
 */
export function parseAnswer(
  fields: Record<string, string>,
  linkCreatedAt: Date,
  now: Date = new Date(),
): { ok: true; answer: Answer } | { ok: false; errors: Record<string, string> } {
  const choice = fields.answer
  if (choice === 'decline') {
    const reason = (fields.reason ?? '').trim()
    if (!reason)
      return { ok: false, errors: { reason: 'Enter why you do not agree with the support offered' } }
    if (reason.length > REASON_MAX)
      return { ok: false, errors: { reason: `Your reason must be ${REASON_MAX} characters or fewer` } }
    return { ok: true, answer: { answer: 'declined', reason } }
  }
  if (choice !== 'confirm')
    return { ok: false, errors: { answer: 'Select whether you confirm the support offered to you' } }
  const errors: Record<string, string> = {}
  const name = (fields.name ?? '').trim()
  if (!name) errors.name = 'Enter your full name'
  else if (name.length > NAME_MAX) errors.name = `Your name must be ${NAME_MAX} characters or fewer`
  const date = signedDate(fields, 'date', 'The date', linkCreatedAt, now)
  if ('error' in date) errors[date.field] = date.error
  if (Object.keys(errors).length > 0 || !('iso' in date)) return { ok: false, errors }
  return { ok: true, answer: { answer: 'confirmed', name, date: date.iso } }
}

/**
 * A date someone signed on, from the three boxes named `<prefix>-day`, `-month`, `-year`: needed,
 * real, not in the future and, when `notBefore` is given, not before that day.
 */
export function signedDate(
  fields: Record<string, string>,
  prefix: string,
  label: string,
  notBefore: Date | null,
  now: Date = new Date(),
): { iso: string } | { error: string; field: string } {
  const parsed = parseDateInput(dateParts(fields, prefix), label)
  if ('empty' in parsed) return { error: `Enter ${label.toLowerCase()}`, field: `${prefix}-day` }
  if ('error' in parsed) return { error: parsed.error, field: `${prefix}-${parsed.part}` }
  if (parsed.iso > todayInEngland(now))
    return { error: `${label} must be today or in the past`, field: `${prefix}-day` }
  const earliest = notBefore ? todayInEngland(notBefore) : null
  if (earliest && parsed.iso < earliest)
    return { error: `${label} must be on or after ${formatDate(earliest)}`, field: `${prefix}-day` }
  return { iso: parsed.iso }
}
