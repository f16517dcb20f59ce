import { sql } from 'kysely'
import { z } from 'zod'
import type { Db } from '../../db/database.ts'
import type { AuditEventRow } from '../../db/schema.ts'
import { recordAudit } from '../../platform/audit.ts'
import { type Actor, can } from '../../platform/policy.ts'
import { CHILD_VIEWED, NOT_RECORD_ACCESS } from './events.ts'
import { type AuditFilter, type Cursor, nextDay, startOfDayInEngland } from './filters.ts'

// Reading the audit log, for an agency's administrators: its own agency's events only, newest first,
// and who has seen one child's record. Pages are keyset (by `seq`) and every filter is a range of
// one of the log's indexes (agency, person or subject, each followed by `seq`), so a page costs the
// same however long the log grows.

type StaffActor = Actor & { kind: 'staff' }

export const PAGE_SIZE = 50

export type Person = { name: string; role: string; agencyId: string; agencyName: string }
export type ChildName = { firstName: string; lastName: string }

/** The people, children, families and agencies a page of events mentions, by id. */
export type Names = {
  people: Map<string, Person>
  children: Map<string, ChildName>
  families: Map<string, string>
  agencies: Map<string, string>
}

export type AuditPage = {
  events: AuditEventRow[]
  /** Cursors for the neighbouring pages, when there are any. */
  newer: number | null
  older: number | null
  names: Names
}

export type PersonAccess = {
  who: string | null
  name: string | null
  role: string | null
  agencyId: string | null
  agencyName: string | null
  views: number
  changes: number
  firstSeen: Date
  lastSeen: Date
  /** English calendar days, ISO, earliest first. */
  days: string[]
}

export type RecordAccess = {
  child: { id: string; firstName: string; lastName: string; dateOfBirth: string }
  people: PersonAccess[]
}

const isUuid = (value: unknown): value is string =>
  typeof value === 'string' && z.uuid().safeParse(value).success

export function auditService(db: Db) {
  /**
   * The first `seq` stamped at or after `instant`. The log is appended under one lock and each event
   * is stamped inside it, so time only rises with `seq`: halving on the primary key finds the place
   * in about 20 look-ups for a million events, where a filter on "when" would read them all.
   */
  async function firstSeqFrom(instant: Date): Promise<number> {
    const last = await db
      .selectFrom('audit_events')
      .select(['seq', 'when'])
      .orderBy('seq', 'desc')
      .limit(1)
      .executeTakeFirst()
    if (!last || last.when < instant) return (last?.seq ?? 0) + 1
    // The first event at or after `high` is on time; none at or before `low` is.
    let low = 0
    let high = last.seq
    while (high - low > 1) {
      const middle = Math.floor((low + high) / 2)
      const event = await db
        .selectFrom('audit_events')
        .select(['seq', 'when'])
        .where('seq', '>=', middle)
        .orderBy('seq')
        .limit(1)
        .executeTakeFirstOrThrow()
      if (event.when >= instant) high = middle
      else low = event.seq
    }
    return high
  }

  async function filtered(actor: StaffActor, filter: AuditFilter) {
    let query = db.selectFrom('audit_events').where('agency_id', '=', actor.agencyId)
    if (filter.person) query = query.where('who', '=', filter.person)
    if (filter.child) query = query.where('subject_type', '=', 'child').where('subject_id', '=', filter.child)
    if (filter.action) query = query.where('what', '=', filter.action)
    if (filter.from) query = query.where('seq', '>=', await firstSeqFrom(startOfDayInEngland(filter.from)))
    if (filter.to)
      query = query.where('seq', '<', await firstSeqFrom(startOfDayInEngland(nextDay(filter.to))))
    return query
  }

  async function names(actor: StaffActor, events: AuditEventRow[]): Promise<Names> {
    const people = new Set<string>()
    const children = new Set<string>()
    const families = new Set<string>()
    const agencies = new Set<string>()
    for (const event of events) {
      if (event.who) people.add(event.who)
      const subject = event.subject_id
      if (event.subject_type === 'user' && isUuid(subject)) people.add(subject)
      if (event.subject_type === 'child' && isUuid(subject)) children.add(subject)
      if (event.subject_type === 'family' && isUuid(subject)) families.add(subject)
      if (isUuid(event.details.userId)) people.add(event.details.userId)
      if (isUuid(event.details.childId)) children.add(event.details.childId)
      if (isUuid(event.details.approvingAgencyId)) agencies.add(event.details.approvingAgencyId)
    }
    const [personRows, childRows, adopterRows, agencyRows] = await Promise.all([
      people.size
        ? db
            .selectFrom('users')
            .innerJoin('agencies', 'agencies.id', 'users.agency_id')
            .select([
              'users.id',
              'users.name',
              'users.role',
              'users.agency_id',
              'agencies.name as agencyName',
            ])
            .where('users.id', 'in', [...people])
            .execute()
        : [],
      children.size
        ? db
            .selectFrom('children')
            .select(['id', 'first_name', 'last_name'])
            .where('id', 'in', [...children])
            .where('agency_id', '=', actor.agencyId)
            .execute()
        : [],
      families.size
        ? db
            .selectFrom('adopters')
            .innerJoin('families', 'families.id', 'adopters.family_id')
            .select(['adopters.family_id', 'adopters.first_name', 'adopters.last_name'])
            .where('adopters.family_id', 'in', [...families])
            .where((eb) =>
              eb.or([
                eb('families.agency_id', '=', actor.agencyId),
                eb('families.approving_agency_id', '=', actor.agencyId),
              ]),
            )
            .orderBy('adopters.position')
            .execute()
        : [],
      agencies.size
        ? db
            .selectFrom('agencies')
            .select(['id', 'name'])
            .where('id', 'in', [...agencies])
            .execute()
        : [],
    ])
    const adopters = new Map<string, string[]>()
    for (const row of adopterRows)
      adopters.set(row.family_id, [
        ...(adopters.get(row.family_id) ?? []),
        `${row.first_name} ${row.last_name}`,
      ])
    return {
      people: new Map(
        personRows.map((row) => [
          row.id,
          { name: row.name, role: row.role, agencyId: row.agency_id, agencyName: row.agencyName },
        ]),
      ),
      children: new Map(
        childRows.map((row) => [row.id, { firstName: row.first_name, lastName: row.last_name }]),
      ),
      families: new Map([...adopters].map(([id, list]) => [id, list.join(' and ')])),
      agencies: new Map(agencyRows.map((row) => [row.id, row.name])),
    }
  }

  return {
    /** The people and children an administrator can filter the log by. */
    async choices(actor: StaffActor) {
      const [people, children] = await Promise.all([
        db
          .selectFrom('users')
          .select(['id', 'name', 'role', 'active'])
          .where('agency_id', '=', actor.agencyId)
          .orderBy('name')
          .orderBy('id')
          .execute(),
        db
          .selectFrom('children')
          .select(['id', 'first_name', 'last_name', 'date_of_birth'])
          .where('agency_id', '=', actor.agencyId)
          .orderBy('last_name')
          .orderBy('first_name')
          .orderBy('id')
          .execute(),
      ])
      return { people, children }
    },

    /** One page of the agency's events, newest first. */
    async events(actor: StaffActor, filter: AuditFilter, cursor: Cursor): Promise<AuditPage> {
      const base = await filtered(actor, filter)
      const newestFirst = cursor === null || 'before' in cursor
      let query = base.selectAll()
      if (cursor && 'before' in cursor) query = query.where('seq', '<', cursor.before)
      if (cursor && 'after' in cursor) query = query.where('seq', '>', cursor.after)
      const rows = await query
        .orderBy('seq', newestFirst ? 'desc' : 'asc')
        .limit(PAGE_SIZE + 1)
        .execute()
      const more = rows.length > PAGE_SIZE
      const events = rows.slice(0, PAGE_SIZE)
      if (!newestFirst) events.reverse()
      const newest = events[0]?.seq
      const oldest = events.at(-1)?.seq
      const exists = async (direction: '<' | '>', seq: number | undefined) =>
        seq !== undefined &&
        (await base.select('seq').where('seq', direction, seq).limit(1).executeTakeFirst()) !== undefined
      const hasOlder = newestFirst ? more : await exists('<', oldest)
      const hasNewer = newestFirst ? cursor !== null && (await exists('>', newest)) : more
      return {
        events,
        newer: hasNewer ? (newest ?? null) : null,
        older: hasOlder ? (oldest ?? null) : null,
        names: await names(actor, events),
      }
    },

    /** Everyone who viewed or changed a child's record, for a subject access request. */
    async recordAccess(actor: StaffActor, childId: string): Promise<RecordAccess | null> {
      if (!isUuid(childId)) return null
      const child = await db
        .selectFrom('children')
        .select(['id', 'agency_id', 'first_name', 'last_name', 'date_of_birth'])
        .where('id', '=', childId)
        .executeTakeFirst()
      if (!child || !can(actor, 'audit:read', { agencyId: child.agency_id })) return null
      const day = sql<string>`to_char(audit_events."when" at time zone 'Europe/London', 'YYYY-MM-DD')`
      const rows = await db
        .selectFrom('audit_events')
        .leftJoin('users', 'users.id', 'audit_events.who')
        .leftJoin('agencies', 'agencies.id', 'users.agency_id')
        .where('audit_events.subject_type', '=', 'child')
        .where('audit_events.subject_id', '=', child.id)
        .where('audit_events.agency_id', '=', child.agency_id)
        .where('audit_events.what', 'not in', [...NOT_RECORD_ACCESS])
        .groupBy(['audit_events.who', 'users.name', 'users.role', 'users.agency_id', 'agencies.name'])
        .select([
          'audit_events.who',
          'users.name',
          'users.role',
          'users.agency_id',
          'agencies.name as agencyName',
        ])
        .select((eb) => [
          eb.fn.countAll<number>().filterWhere('audit_events.what', '=', CHILD_VIEWED).as('views'),
          eb.fn.countAll<number>().filterWhere('audit_events.what', '!=', CHILD_VIEWED).as('changes'),
          eb.fn.min('audit_events.when').as('firstSeen'),
          eb.fn.max('audit_events.when').as('lastSeen'),
          sql<string>`string_agg(distinct ${day}, ',' order by ${day})`.as('days'),
        ])
        .orderBy('lastSeen', 'desc')
        .execute()
      return {
        child: {
          id: child.id,
          firstName: child.first_name,
          lastName: child.last_name,
          dateOfBirth: child.date_of_birth,
        },
        people: rows.map((row) => ({
          who: row.who,
          name: row.name,
          role: row.role,
          agencyId: row.agency_id,
          agencyName: row.agencyName,
          views: row.views,
          changes: row.changes,
          firstSeen: row.firstSeen,
          lastSeen: row.lastSeen,
          days: row.days.split(','),
        })),
      }
    },

    /** A download of who has seen a record is itself an event in the log. */
    async exported(actor: StaffActor, childId: string, people: number, correlationId: string) {
      await recordAudit(db, {
        what: 'audit-exported',
        who: actor.userId,
        agencyId: actor.agencyId,
        subjectType: 'child',
        subjectId: childId,
        correlationId,
        details: { format: 'csv', people },
      })
    },
  }
}

export type AuditService = ReturnType<typeof auditService>
