import { addDays, isRealDate } from '../platform/dates.ts'

// Working days in England: Monday to Friday, less the bank holidays of England and Wales. The
// holidays are reference data (GOV.UK publishes them a year or two ahead): add each new year here.
// Outside the years listed only weekends are skipped, so a date late in a year with no list counts
// a holiday as a working day: a reminder a day early, never a day late.

export const BANK_HOLIDAYS_ENGLAND: ReadonlySet<string> = new Set([
  // 2025
  '2025-01-01',
  '2025-04-18',
  '2025-04-21',
  '2025-05-05',
  '2025-05-26',
  '2025-08-25',
  '2025-12-25',
  '2025-12-26',
  // 2026
  '2026-01-01',
  '2026-04-03',
  '2026-04-06',
  '2026-05-04',
  '2026-05-25',
  '2026-08-31',
  '2026-12-25',
  '2026-12-28',
  // 2027
  '2027-01-01',
  '2027-03-26',
  '2027-03-29',
  '2027-05-03',
  '2027-05-31',
  '2027-08-30',
  '2027-12-27',
  '2027-12-28',
])

export function isWorkingDay(iso: string): boolean {
  if (!isRealDate(iso)) throw new RangeError(`Not a real ISO date: ${iso}`)
  const weekday = new Date(`${iso}T00:00:00Z`).getUTCDay()
  return weekday !== 0 && weekday !== 6 && !BANK_HOLIDAYS_ENGLAND.has(iso)
}

/** The day `days` working days after `iso` (which need not be a working day itself). */
export function addWorkingDays(iso: string, days: number): string {
  if (!Number.isInteger(days) || days < 0) throw new RangeError('Working days are counted forwards')
  let date = iso
  for (let counted = 0; counted < days; ) {
    date = addDays(date, 1)
    if (isWorkingDay(date)) counted++
  }
  return date
}
