import { type Expression, type Kysely, sql, type Transaction } from 'kysely'
import { z } from 'zod'
import type { Db } from '../../db/database.ts'
import type { Child, Database } from '../../db/schema.ts'
import { recordAudit } from '../../platform/audit.ts'
import { isRealDate, todayInEngland } from '../../platform/dates.ts'
import { PAGE_SIZE, pageWindow } from '../../platform/pagination.ts'
import { type Actor, can, childListScope, type Resource } from '../../platform/policy.ts'
import { ETHNICITY_CODES, SEX_CODES } from './reference.ts'

// Children's records: list and search within the agency, add, view (audited), change without
// overwriting someone else's change. Every query is scoped by the actor's agency, so a record of
// another agency is simply not found.

const name = (what: string) =>
  z
    .string({ error: `Enter the child’s ${what}` })
    .trim()
    .min(1, `Enter the child’s ${what}`)
    .max(100, `The ${what} must be 100 characters or fewer`)
    .refine((value) => !/[\p{Cc}<>]/u.test(value), `The ${what} must not include the characters < or >`)

export const childDetails = z.object({
  firstName: name('first name'),
  lastName: name('last name'),
  preferredName: z
    .string()
    .trim()
    .max(100, 'The preferred name must be 100 characters or fewer')
    .refine(
      (value) => !/[\p{Cc}<>]/u.test(value),
      'The preferred name must not include the characters < or >',
    )
    .transform((value) => value || null)
    .nullish(),
  dateOfBirth: z
    .string({ error: 'Enter the child’s date of birth' })
    .regex(/^\d{4}-\d{2}-\d{2}$/, 'Date of birth must be a real date')
    .refine(isRealDate, 'Date of birth must be a real date')
    .refine((iso) => iso <= todayInEngland(), 'Date of birth must be today or in the past')
    .refine((iso) => iso >= '1900-01-01', 'Date of birth must be after 1 January 1900'),
  sex: z.enum(SEX_CODES, { error: 'Select the child’s sex' }),
  ethnicity: z.enum(ETHNICITY_CODES, { error: 'Select the child’s ethnicity' }),
  /** Another child of the agency this child is placed with as a sibling group; null for none. */
  siblingOf: z.uuid('Select a sibling from the list').nullish(),
})

export type ChildDetails = z.output<typeof childDetails>

export type ChildSummary = Pick<
  Child,
  'id' | 'first_name' | 'last_name' | 'preferred_name' | 'date_of_birth' | 'sibling_group_id'
>

export type ChildRecord = Child & { siblings: ChildSummary[] }

export type ChildPage = { children: Child[]; total: number; page: number; pages: number; pageSize: number }

export type ChangeResult =
  | { outcome: 'changed'; child: ChildRecord }
  | { outcome: 'not-found' }
  | { outcome: 'conflict'; current: ChildRecord }
  | { outcome: 'invalid-sibling' }

type StaffActor = Actor & { kind: 'staff' }
type Executor = Kysely<Database> | Transaction<Database>

// Every list's page size, said again here because the bench reads it from the children's service.
export { PAGE_SIZE }

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (character) => `\\${character}`)
}

async function siblingsOf(db: Executor, child: Child): Promise<ChildSummary[]> {
  if (!child.sibling_group_id) return []
  return db
    .selectFrom('children')
    .select(['id', 'first_name', 'last_name', 'preferred_name', 'date_of_birth', 'sibling_group_id'])
    .where('sibling_group_id', '=', child.sibling_group_id)
    .where('id', '!=', child.id)
    .orderBy('date_of_birth')
    .execute()
}

/** The group a child joins when placed with `siblingOf`, creating it when that child has none. */
async function siblingGroupFor(
  trx: Transaction<Database>,
  agencyId: string,
  siblingOf: string,
): Promise<string | null> {
  const sibling = await trx
    .selectFrom('children')
    .select(['id', 'sibling_group_id'])
    .where('id', '=', siblingOf)
    .where('agency_id', '=', agencyId)
    .executeTakeFirst()
  if (!sibling) return null
  if (sibling.sibling_group_id) return sibling.sibling_group_id
  const group = await trx
    .insertInto('sibling_groups')
    .values({ agency_id: agencyId })
    .returning('id')
    .executeTakeFirstOrThrow()
  await trx.updateTable('children').set({ sibling_group_id: group.id }).where('id', '=', sibling.id).execute()
  return group.id
}

/** A group of one is no group: when a child leaves, a sibling left alone leaves it too. */
async function dissolveIfAlone(trx: Transaction<Database>, groupId: string | null): Promise<void> {
  if (!groupId) return
  const members = await trx
    .selectFrom('children')
    .select('id')
    .where('sibling_group_id', '=', groupId)
    .execute()
  if (members.length === 1) {
    await trx
      .updateTable('children')
      .set({ sibling_group_id: null })
      .where('sibling_group_id', '=', groupId)
      .execute()
  }
}

/** A child's details as the columns that hold them. */
function columns(details: ChildDetails, siblingGroupId: string | null) {
  return {
    first_name: details.firstName,
    last_name: details.lastName,
    preferred_name: details.preferredName ?? null,
    date_of_birth: details.dateOfBirth,
    sex: details.sex,
    ethnicity: details.ethnicity,
    sibling_group_id: siblingGroupId,
  }
}

function auditable(child: Child): Record<string, unknown> {
  return {
    firstName: child.first_name,
    lastName: child.last_name,
    preferredName: child.preferred_name,
    dateOfBirth: child.date_of_birth,
    sex: child.sex,
    ethnicity: child.ethnicity,
    siblingGroupId: child.sibling_group_id,
  }
}

function changedFields(before: Record<string, unknown>, after: Record<string, unknown>) {
  const changed = Object.keys(after).filter((key) => before[key] !== after[key])
  return {
    before: Object.fromEntries(changed.map((key) => [key, before[key]])),
    after: Object.fromEntries(changed.map((key) => [key, after[key]])),
  }
}

/**
 * What the policy needs to know about a child, as columns of any query in which `childId` names the
 * child: who is allocated, the families matched now (and whether the plan is shared with them), and
 * the workers allocated to those families. Subqueries, so that reading a record and deciding who may
 * see it is one round trip.
 */
export function accessFactColumns(childId: Expression<string>) {
  return [
    sql<string[]>`(select coalesce(json_agg(a.user_id), '[]'::json) from allocations a
      where a.child_id = ${childId} and a.ended_at is null)`.as('access_allocated'),
    sql<string[]>`(select coalesce(json_agg(m.family_id), '[]'::json) from matches m
      where m.child_id = ${childId} and m.ended_at is null
        and m.shared_with_adopters_at is not null)`.as('access_shared_with'),
    sql<string[]>`(select coalesce(json_agg(fa.user_id), '[]'::json) from family_allocations fa
      join matches m on m.family_id = fa.family_id
      where m.child_id = ${childId} and m.ended_at is null and fa.ended_at is null)`.as(
      'access_family_workers',
    ),
  ] as const
}

type AccessFactRow = {
  access_allocated: string[]
  access_shared_with: string[]
  access_family_workers: string[]
}

/** The policy's resource from a row read with `accessFactColumns`. */
export function accessFactsOf(agencyId: string, row: AccessFactRow): Resource {
  return {
    agencyId,
    allocatedTo: row.access_allocated,
    sharedWithFamilies: row.access_shared_with,
    matchedFamilyWorkers: row.access_family_workers,
  }
}

export async function childAccessFacts(
  db: Executor,
  child: Pick<Child, 'id' | 'agency_id'>,
): Promise<Resource> {
  const row = await db.selectNoFrom(accessFactColumns(sql.val(child.id))).executeTakeFirstOrThrow()
  return accessFactsOf(child.agency_id, row)
}

/** The people currently allocated to a child. */
export async function allocatedPeople(db: Executor, childId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('allocations')
    .select('user_id')
    .where('child_id', '=', childId)
    .where('ended_at', 'is', null)
    .execute()
  return rows.map((row) => row.user_id)
}

export function childrenService(db: Db) {
  /** The children a list may show this actor (the policy's 'child:view', for a whole query). */
  function visibleChildren(actor: StaffActor) {
    const scope = childListScope(actor)
    const query = db.selectFrom('children').where('children.agency_id', '=', actor.agencyId)
    if (scope === 'agency') return query
    if (scope === 'allocated') {
      return query.where((eb) =>
        eb.exists(
          eb
            .selectFrom('allocations')
            .select('allocations.id')
            .whereRef('allocations.child_id', '=', 'children.id')
            .where('allocations.user_id', '=', actor.userId)
            .where('allocations.ended_at', 'is', null),
        ),
      )
    }
    return query.where(sql<boolean>`false`)
  }

  /** The child's record if the actor may take the action on it (reading, by default). */
  async function find(
    actor: Actor,
    id: string,
    action: 'child:view' | 'child:update' = 'child:view',
  ): Promise<ChildRecord | null> {
    if (!z.uuid().safeParse(id).success) return null
    const child = await db.selectFrom('children').selectAll().where('id', '=', id).executeTakeFirst()
    if (!child || !can(actor, action, await childAccessFacts(db, child))) return null
    return { ...child, siblings: await siblingsOf(db, child) }
  }

  return {
    async list(actor: StaffActor, options: { search?: string; page?: number }): Promise<ChildPage> {
      const words = (options.search ?? '').trim().split(/\s+/).filter(Boolean).slice(0, 5)
      let query = visibleChildren(actor)
      for (const word of words) {
        const pattern = `%${escapeLike(word)}%`
        query = query.where((eb) =>
          eb.or([
            eb('first_name', 'ilike', pattern),
            eb('last_name', 'ilike', pattern),
            eb('preferred_name', 'ilike', pattern),
          ]),
        )
      }
      const { total } = await query
        .select((eb) => eb.fn.countAll<number>().as('total'))
        .executeTakeFirstOrThrow()
      const { page, pages, offset, limit } = pageWindow(total, options.page)
      const children = await query
        .selectAll()
        .orderBy('last_name')
        .orderBy('first_name')
        .orderBy('id')
        .limit(limit)
        .offset(offset)
        .execute()
      return { children, total, page, pages, pageSize: PAGE_SIZE }
    },

    /** Every child of the agency, by name, for choosing a sibling. */
    async choices(actor: StaffActor): Promise<ChildSummary[]> {
      return visibleChildren(actor)
        .select(['id', 'first_name', 'last_name', 'preferred_name', 'date_of_birth', 'sibling_group_id'])
        .orderBy('last_name')
        .orderBy('first_name')
        .execute()
    },

    /** A child's record for someone to read: the view is audited. */
    async view(
      actor: Actor & { userId: string },
      id: string,
      correlationId: string,
    ): Promise<ChildRecord | null> {
      const child = await find(actor, id)
      if (!child) return null
      await recordAudit(db, {
        what: 'child-viewed',
        who: actor.userId,
        agencyId: child.agency_id,
        subjectType: 'child',
        subjectId: child.id,
        correlationId,
      })
      return child
    },

    /** A child's record for a form, without counting as a view: the change is audited instead. */
    find,

    async add(
      actor: StaffActor,
      details: ChildDetails,
      correlationId: string,
    ): Promise<{ outcome: 'added'; child: ChildRecord } | { outcome: 'invalid-sibling' }> {
      return db.transaction().execute(async (trx) => {
        const groupId = details.siblingOf
          ? await siblingGroupFor(trx, actor.agencyId, details.siblingOf)
          : null
        if (details.siblingOf && !groupId) return { outcome: 'invalid-sibling' as const }
        const child = await trx
          .insertInto('children')
          .values({
            agency_id: actor.agencyId,
            ...columns(details, groupId),
            created_by: actor.userId,
            updated_by: actor.userId,
          })
          .returningAll()
          .executeTakeFirstOrThrow()
        await recordAudit(trx, {
          what: 'child-added',
          who: actor.userId,
          agencyId: actor.agencyId,
          subjectType: 'child',
          subjectId: child.id,
          correlationId,
          details: { after: auditable(child) },
        })
        return { outcome: 'added' as const, child: { ...child, siblings: await siblingsOf(trx, child) } }
      })
    },

    /**
     * Changes a child's details if nobody else has since the version the person started from;
     * otherwise nothing is written and the current record comes back to be shown.
     */
    async change(
      actor: StaffActor,
      id: string,
      details: ChildDetails,
      expectedVersion: number | undefined,
      correlationId: string,
    ): Promise<ChangeResult> {
      return db.transaction().execute(async (trx) => {
        const before = await trx
          .selectFrom('children')
          .selectAll()
          .where('id', '=', id)
          .where('agency_id', '=', actor.agencyId)
          .forUpdate()
          .executeTakeFirst()
        if (!before || !can(actor, 'child:update', await childAccessFacts(trx, before)))
          return { outcome: 'not-found' as const }
        if (expectedVersion !== undefined && before.version !== expectedVersion) {
          return {
            outcome: 'conflict' as const,
            current: { ...before, siblings: await siblingsOf(trx, before) },
          }
        }
        // Left out, the sibling group stays as it is; null takes the child out of it.
        let groupId: string | null = details.siblingOf === undefined ? before.sibling_group_id : null
        if (details.siblingOf) {
          if (details.siblingOf === id) return { outcome: 'invalid-sibling' as const }
          groupId = await siblingGroupFor(trx, actor.agencyId, details.siblingOf)
          if (!groupId) return { outcome: 'invalid-sibling' as const }
        }
        const after = await trx
          .updateTable('children')
          .set({
            ...columns(details, groupId),
            version: sql<number>`version + 1`,
            updated_at: new Date(),
            updated_by: actor.userId,
          })
          .where('id', '=', id)
          .returningAll()
          .executeTakeFirstOrThrow()
        if (before.sibling_group_id !== groupId) await dissolveIfAlone(trx, before.sibling_group_id)
        await recordAudit(trx, {
          what: 'child-changed',
          who: actor.userId,
          agencyId: actor.agencyId,
          subjectType: 'child',
          subjectId: id,
          correlationId,
          details: changedFields(auditable(before), auditable(after)),
        })
        return { outcome: 'changed' as const, child: { ...after, siblings: await siblingsOf(trx, after) } }
      })
    },
  }
}

export type ChildrenService = ReturnType<typeof childrenService>
