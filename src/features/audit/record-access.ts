import { type CsvValue, toCsv } from '../../platform/csv.ts'
import { roleName } from './present.ts'
import type { RecordAccess } from './service.ts'

// Who has seen a child's record, as a spreadsheet to answer a subject access request with (UK GDPR
// art. 15, answered within a month: art. 12(3)). Times are England's, written so that they sort.

function englishTime(date: Date): string {
  const parts = new Intl.DateTimeFormat('en-GB', {
    timeZone: 'Europe/London',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(date)
  const part = (type: string) => parts.find((p) => p.type === type)?.value ?? ''
  return `${part('year')}-${part('month')}-${part('day')} ${part('hour')}:${part('minute')}`
}

export function recordAccessCsv(access: RecordAccess): string {
  const rows: CsvValue[][] = [
    ['Name', 'Role', 'Agency', 'Times viewed', 'Times changed', 'First seen', 'Last seen', 'Days seen'],
  ]
  for (const person of access.people) {
    rows.push([
      person.who ? (person.name ?? 'Someone no longer on record') : 'An operator (command line)',
      roleName(person.role),
      person.agencyName,
      person.views,
      person.changes,
      englishTime(person.firstSeen),
      englishTime(person.lastSeen),
      person.days.join(' '),
    ])
  }
  return toCsv(rows)
}
