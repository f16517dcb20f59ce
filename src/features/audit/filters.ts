import { z } from 'zod'
import { type DatePart, type DateParts, dateParts, parseDateInput } from '../../platform/date-input.ts'
import { todayInEngland } from '../../platform/dates.ts'
import { type FormErrors, fromFieldErrors } from '../../platform/forms.ts'
import { EVENT_CODES } from './events.ts'

// The audit log's filters travel in the address (GET), so they are ids, codes and dates only —
// never a name (ADR 0004). Pages are keyset cursors: the `seq` of the last event shown.

export type AuditFilter = {
  person?: string
  child?: string
  action?: string
  /** English calendar days, ISO; both included. */
  from?: string
  to?: string
}

/** Older events come before `before`; newer ones after `after`. */
export type Cursor = { before: number } | { after: number } | null

export type FilterValues = {
  person: string
  child: string
  action: string
  from: DateParts
  to: DateParts
}

export type ParsedQuery =
  | { ok: true; values: FilterValues; filter: AuditFilter; cursor: Cursor }
  | {
      ok: false
      values: FilterValues
      errors: FormErrors
      dateErrorParts: { from?: DatePart; to?: DatePart }
    }

const FIELD_ORDER = ['person', 'child', 'action', 'from', 'to']
const isUuid = (value: string) => z.uuid().safeParse(value).success

function cursor(fields: Record<string, string>): Cursor {
  const seq = (value: string | undefined) => (value && /^\d{1,15}$/.test(value) ? Number(value) : null)
  const before = seq(fields.before)
  if (before !== null) return { before }
  const after = seq(fields.after)
  return after === null ? null : { after }
}

export function parseAuditQuery(fields: Record<string, string>): ParsedQuery {
  const values: FilterValues = {
    person: (fields.person ?? '').trim(),
    child: (fields.child ?? '').trim(),
    action: (fields.action ?? '').trim(),
    from: dateParts(fields, 'from'),
    to: dateParts(fields, 'to'),
  }
  const errors: Record<string, string> = {}
  const dateErrorParts: { from?: DatePart; to?: DatePart } = {}
  // The selects only offer valid choices: these messages are for an address someone edited.
  if (values.person && !isUuid(values.person)) errors.person = 'Select a person from the list'
  if (values.child && !isUuid(values.child)) errors.child = 'Select a child from the list'
  if (values.action && !EVENT_CODES.includes(values.action)) errors.action = 'Select an action from the list'

  const from = parseDateInput(values.from, 'Date from')
  const to = parseDateInput(values.to, 'Date to')
  if ('error' in from) {
    errors.from = from.error
    dateErrorParts.from = from.part
  } else if ('iso' in from && from.iso > todayInEngland()) {
    errors.from = 'Date from must be today or in the past'
    dateErrorParts.from = 'day'
  }
  if ('error' in to) {
    errors.to = to.error
    dateErrorParts.to = to.part
  } else if ('iso' in to && 'iso' in from && to.iso < from.iso) {
    errors.to = 'Date to must be the same as or after date from'
    dateErrorParts.to = 'day'
  }

  if (Object.keys(errors).length > 0) {
    const summary = fromFieldErrors(errors, FIELD_ORDER)
    // The summary links to the box of the date that needs mending.
    summary.errorList = summary.errorList.map((item) => {
      const date = item.href === '#from' ? 'from' : item.href === '#to' ? 'to' : null
      return date ? { ...item, href: `#${date}-${dateErrorParts[date] ?? 'day'}` } : item
    })
    return { ok: false, values, errors: summary, dateErrorParts }
  }
  const filter: AuditFilter = {}
  if (values.person) filter.person = values.person
  if (values.child) filter.child = values.child
  if (values.action) filter.action = values.action
  if ('iso' in from) filter.from = from.iso
  if ('iso' in to) filter.to = to.iso
  return { ok: true, values, filter, cursor: cursor(fields) }
}

/** The address of the log with the same filters, on the page the cursor names. */
export function auditHref(values: FilterValues, page?: { before: number } | { after: number }): string {
  const query = new URLSearchParams()
  for (const key of ['person', 'child', 'action'] as const) if (values[key]) query.set(key, values[key])
  for (const date of ['from', 'to'] as const)
    for (const part of ['day', 'month', 'year'] as const)
      if (values[date][part]) query.set(`${date}-${part}`, values[date][part])
  if (page && 'before' in page) query.set('before', String(page.before))
  if (page && 'after' in page) query.set('after', String(page.after))
  const text = query.toString()
  return text ? `/audit?${text}` : '/audit'
}

/** The moment an English calendar day begins: midnight in London, in GMT or British Summer Time. */
export function startOfDayInEngland(iso: string): Date {
  const utcMidnight = new Date(`${iso}T00:00:00Z`)
  // London is level with UTC or an hour ahead, so at UTC midnight its clock reads 0 or 1 o'clock.
  const londonHour = Number(
    new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', hour: 'numeric', hourCycle: 'h23' }).format(
      utcMidnight,
    ),
  )
  return new Date(utcMidnight.getTime() - londonHour * 3_600_000)
}

export function nextDay(iso: string): string {
  const date = new Date(`${iso}T00:00:00Z`)
  date.setUTCDate(date.getUTCDate() + 1)
  return date.toISOString().slice(0, 10)
}
