import type { AuditEventRow } from '../../db/schema.ts'
import { formatDate } from '../../platform/dates.ts'
import { type Actor, can } from '../../platform/policy.ts'
import { isStaffRole, ROLE_NAMES } from '../../platform/roles.ts'
import { ethnicityText, sexText } from '../children/reference.ts'
import { eventName } from './events.ts'
import type { Names, Person } from './service.ts'

// Events as an administrator reads them: who (name and role), what in words, about whom, and what
// changed — before and after, since that is what an investigation needs (ADR 0004).

export type Link = { text: string; href?: string; hiddenText?: string }
export type DetailLine = { label: string; value?: string; before?: string; after?: string }

export type EventView = {
  seq: number
  when: Date
  who: { name: string; role: string }
  what: string
  subject: Link | null
  details: DetailLine[]
}

const FIELD_LABELS: Record<string, string> = {
  firstName: 'First name',
  lastName: 'Last name',
  preferredName: 'Preferred name',
  dateOfBirth: 'Date of birth',
  sex: 'Sex',
  ethnicity: 'Ethnicity',
  siblingGroupId: 'Sibling group',
  userId: 'Person',
  childId: 'Child',
  role: 'Role',
  stage: 'Stage',
  failures: 'Failed attempts in a row',
  minutes: 'Locked for (minutes)',
  method: 'How',
  days: 'Valid for (days)',
  approvingAgencyId: 'Approving agency',
  adopters: 'Number of adopters',
  format: 'Format',
  people: 'People listed',
  reason: 'Reason',
  issuer: 'Sign-in service',
  enforcesMfa: 'Sign-in service checks a second factor',
  identitiesUnlinked: 'Organisation accounts unlinked',
}

// Internal references that mean nothing to a reader and name nobody.
const HIDDEN_FIELDS = new Set(['matchId'])

const WORDS: Record<string, string> = {
  password: 'Password',
  'second-factor': 'Code from the authenticator app',
  'password-and-totp': 'Password and authenticator app',
  'single-sign-on': 'Organisation account (single sign-on)',
  csv: 'Spreadsheet (CSV)',
}

export function roleName(role: string | null | undefined): string {
  if (!role) return ''
  if (isStaffRole(role)) return ROLE_NAMES[role]
  return role === 'adopter' ? 'Adopter' : role
}

export function personName(person: Person | undefined, actor: Actor & { kind: 'staff' }): string {
  if (!person) return 'Someone no longer on record'
  return person.agencyId === actor.agencyId ? person.name : `${person.name} (${person.agencyName})`
}

function fieldValue(key: string, value: unknown, names: Names, actor: Actor & { kind: 'staff' }): string {
  if (value === null || value === undefined || value === '') return 'blank'
  if (typeof value !== 'string') return typeof value === 'object' ? JSON.stringify(value) : String(value)
  switch (key) {
    case 'dateOfBirth':
      return formatDate(value)
    case 'sex':
      return sexText(value)
    case 'ethnicity':
      return ethnicityText(value)
    case 'siblingGroupId':
      return 'a sibling group'
    case 'role':
      return roleName(value)
    case 'userId':
      return personName(names.people.get(value), actor)
    case 'childId': {
      const child = names.children.get(value)
      return child ? `${child.firstName} ${child.lastName}` : 'A child of another agency'
    }
    case 'approvingAgencyId':
      return names.agencies.get(value) ?? value
    default:
      return WORDS[value] ?? value
  }
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value)

function detailLines(
  details: Record<string, unknown>,
  names: Names,
  actor: Actor & { kind: 'staff' },
): DetailLine[] {
  const label = (key: string) => FIELD_LABELS[key] ?? key
  const { before, after, ...rest } = details
  const lines: DetailLine[] = []
  if (isRecord(before) || isRecord(after)) {
    const was = isRecord(before) ? before : {}
    const now = isRecord(after) ? after : {}
    for (const key of new Set([...Object.keys(was), ...Object.keys(now)])) {
      if (!isRecord(before)) lines.push({ label: label(key), value: fieldValue(key, now[key], names, actor) })
      else
        lines.push({
          label: label(key),
          before: fieldValue(key, was[key], names, actor),
          after: fieldValue(key, now[key], names, actor),
        })
    }
  }
  for (const [key, value] of Object.entries(rest)) {
    if (!HIDDEN_FIELDS.has(key))
      lines.push({ label: label(key), value: fieldValue(key, value, names, actor) })
  }
  return lines
}

function subject(event: AuditEventRow, names: Names, actor: Actor & { kind: 'staff' }): Link | null {
  const id = event.subject_id
  if (!id) return null
  switch (event.subject_type) {
    case 'child': {
      const child = names.children.get(id)
      if (!child) return { text: 'A child' }
      // Administrators do not read children's records; they can see who has.
      return {
        text: `${child.firstName} ${child.lastName}`,
        href: `/audit/children/${id}`,
        hiddenText: ': who has seen this record',
      }
    }
    case 'user': {
      const person = names.people.get(id)
      const href =
        person && can(actor, 'staff:manage', { agencyId: person.agencyId }) ? `/staff/${id}` : undefined
      return { text: personName(person, actor), href }
    }
    case 'family':
      return { text: `Family of ${names.families.get(id) ?? 'adopters of another agency'}` }
    default:
      return { text: event.subject_type ?? 'Something' }
  }
}

export function presentEvents(
  events: AuditEventRow[],
  names: Names,
  actor: Actor & { kind: 'staff' },
): EventView[] {
  return events.map((event) => {
    const person = event.who ? names.people.get(event.who) : undefined
    return {
      seq: event.seq,
      when: event.when,
      who: event.who
        ? { name: personName(person, actor), role: roleName(person?.role) }
        : event.what.startsWith('birth-family-link-')
          ? { name: 'A birth relative', role: 'Link or letter code, no account' }
          : { name: 'An operator', role: 'Command line' },
      what: eventName(event.what),
      subject: subject(event, names, actor),
      details: detailLines(event.details, names, actor),
    }
  })
}
