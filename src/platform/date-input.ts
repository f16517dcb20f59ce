import { isRealDate } from './dates.ts'

// The Design System's date input: three boxes named `<prefix>-day`, `-month` and `-year`, checked
// with its error messages, and which box to mark when one is wrong.

export type DateParts = { day: string; month: string; year: string }
export type DatePart = keyof DateParts

export type DateInput = { empty: true } | { iso: string } | { error: string; part: DatePart }

export function dateParts(fields: Record<string, string>, prefix: string): DateParts {
  return {
    day: (fields[`${prefix}-day`] ?? '').trim(),
    month: (fields[`${prefix}-month`] ?? '').trim(),
    year: (fields[`${prefix}-year`] ?? '').trim(),
  }
}

/** `label` names the date in messages, as the page does ("Date from must include a month"). */
export function parseDateInput({ day, month, year }: DateParts, label: string): DateInput {
  if (!day && !month && !year) return { empty: true }
  if (!day) return { error: `${label} must include a day`, part: 'day' }
  if (!month) return { error: `${label} must include a month`, part: 'month' }
  if (!year) return { error: `${label} must include a year`, part: 'year' }
  if (!/^\d{1,2}$/.test(day)) return { error: `${label} must be a real date`, part: 'day' }
  if (!/^\d{1,2}$/.test(month)) return { error: `${label} must be a real date`, part: 'month' }
  if (!/^\d{4}$/.test(year)) return { error: `${label} must include a year with 4 numbers`, part: 'year' }
  const iso = `${year}-${month.padStart(2, '0')}-${day.padStart(2, '0')}`
  return isRealDate(iso) ? { iso } : { error: `${label} must be a real date`, part: 'day' }
}
