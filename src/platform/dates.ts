// Dates as GOV.UK writes them ("4 June 2021"), and checks of dates people type in three boxes.

const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
]

export function formatDate(iso: string): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso)
  if (!match) return iso
  const [, year, month, day] = match
  return `${Number(day)} ${MONTHS[Number(month) - 1]} ${year}`
}

export function isRealDate(iso: string): boolean {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso)
  if (!match) return false
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])]
  const date = new Date(Date.UTC(year, month - 1, day))
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day
}

// Calendar arithmetic on ISO days, done in UTC so that clocks changing in England never move a day.
function calendarDay(iso: string): Date {
  if (!isRealDate(iso)) throw new RangeError(`Not a real ISO date: ${iso}`)
  return new Date(`${iso}T00:00:00Z`)
}

/** The day `days` after `iso` (before it, when negative). */
export function addDays(iso: string, days: number): string {
  const date = calendarDay(iso)
  date.setUTCDate(date.getUTCDate() + days)
  return date.toISOString().slice(0, 10)
}

/**
 * The same day of the month `months` later; where that month is shorter, its last day (31 January
 * plus 1 month is 28 February, or 29 in a leap year), so a period "of N months" never runs long.
 */
export function addMonths(iso: string, months: number): string {
  const date = calendarDay(iso)
  const day = date.getUTCDate()
  date.setUTCDate(1)
  date.setUTCMonth(date.getUTCMonth() + months)
  const lastDay = new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 0)).getUTCDate()
  date.setUTCDate(Math.min(day, lastDay))
  return date.toISOString().slice(0, 10)
}

// Made once: a formatter with a time zone costs far more to build than to use.
const ENGLISH_DAY = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London' })
const LONDON_TIME = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/London',
  hour: 'numeric',
  minute: '2-digit',
  hour12: true,
})

/** Today in England, as an ISO date (the service's dates are English calendar days). */
export function todayInEngland(now: Date = new Date()): string {
  return ENGLISH_DAY.format(now)
}

/** A time of day as GOV.UK writes it ("9:05am"), in England. */
export function londonTime(date: Date): string {
  return LONDON_TIME.format(date).replace(' ', '')
}
