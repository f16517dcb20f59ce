import { z } from 'zod'
import type { Db } from '../../db/database.ts'
import type { Adopter } from '../../db/schema.ts'
import { recordAudit } from '../../platform/audit.ts'
import { isRealDate, todayInEngland } from '../../platform/dates.ts'
import { pageWindow } from '../../platform/pagination.ts'
import { type Actor, can, type Resource } from '../../platform/policy.ts'
import { type Read, type Ref, readAlone, rowsRead } from '../../platform/reads.ts'
import { childAccessFacts } from '../children/service.ts'

// Prospective adopters: the family, the agency that approved them (another agency's approval makes
// an interagency placement), the children matched with them, which of those the worker has shared
// with the adopters, and the workers of either agency allocated to the family.

const name = (what: string) =>
  z
    .string({ error: `Enter the adopter’s ${what}` })
    .trim()
    .min(1, `Enter the adopter’s ${what}`)
    .max(100, `The ${what} must be 100 characters or fewer`)
    .refine((value) => !/[\p{Cc}<>]/u.test(value), `The ${what} must not include the characters < or >`)

export const adopterDetails = z.object({
  firstName: name('first name'),
  lastName: name('last name'),
  dateOfBirth: z
    .string({ error: 'Enter the adopter’s date of birth' })
    .refine(isRealDate, 'Date of birth must be a real date')
    .refine((iso) => iso < todayInEngland() && iso >= '1900-01-01', 'Date of birth must be in the past'),
  email: z
    .email('Enter an email address in the correct format, like name@example.com')
    .max(254)
    .nullish()
    .or(z.literal('').transform(() => null)),
})

export const familyDetails = z.object({
  approvingAgencyId: z.uuid('Select the agency that approved the adopters'),
  adopters: z.array(adopterDetails).min(1).max(2),
})

export type FamilyDetails = z.output<typeof familyDetails>

export type MatchedChild = {
  matchId: string
  childId: string
  firstName: string
  lastName: string
  dateOfBirth: string
  shared: boolean
}

/** A family as a list shows it: who the adopters are, and which agencies it is between. */
export type FamilySummary = {
  id: string
  agencyId: string
  approvingAgencyId: string
  adopters: Adopter[]
}

export type FamilyPage = {
  families: FamilySummary[]
  total: number
  page: number
  pages: number
  pageSize: number
}

export type FamilyRecord = {
  id: string
  agencyId: string
  approvingAgencyId: string
  approvingAgencyName: string
  adopters: Adopter[]
  children: MatchedChild[]
  workers: { id: string; name: string; role: string; agencyName: string }[]
}

export type MatchOutcome =
  | { outcome: 'matched'; matchId: string }
  | { outcome: 'not-found' }
  | { outcome: 'invalid-child' }
  | { outcome: 'already-matched' }

type StaffActor = Actor & { kind: 'staff' }
const isUuid = (value: string) => z.uuid().safeParse(value).success

export function familiesService(db: Db) {
  /** The family's adopters in order (none without a family), to read alone or with a plan. */
  function adoptersRead(familyId: Ref<string | null>): Read<Adopter[]> {
    return rowsRead(
      db
        .selectFrom('adopters')
        .selectAll()
        .where('family_id', '=', familyId as Ref<string>)
        .orderBy('position'),
      (rows) => rows,
    )
  }

  async function facts(family: {
    id: string
    agency_id: string
    approving_agency_id: string
  }): Promise<Resource> {
    const workers = await db
      .selectFrom('family_allocations')
      .select('user_id')
      .where('family_id', '=', family.id)
      .where('ended_at', 'is', null)
      .execute()
    return {
      agencyId: family.agency_id,
      familyId: family.id,
      approvingAgencyId: family.approving_agency_id,
      familyWorkers: workers.map((worker) => worker.user_id),
    }
  }

  async function load(id: string) {
    if (!isUuid(id)) return undefined
    return db.selectFrom('families').selectAll().where('id', '=', id).executeTakeFirst()
  }

  async function find(actor: Actor, id: string, action: 'family:view' | 'family:update' | 'family:allocate') {
    const family = await load(id)
    if (!family || !can(actor, action, await facts(family))) return null
    const [agency, adopters, matches, workers] = await Promise.all([
      db
        .selectFrom('agencies')
        .select('name')
        .where('id', '=', family.approving_agency_id)
        .executeTakeFirstOrThrow(),
      db.selectFrom('adopters').selectAll().where('family_id', '=', id).orderBy('position').execute(),
      db
        .selectFrom('matches')
        .innerJoin('children', 'children.id', 'matches.child_id')
        .select([
          'matches.id as matchId',
          'children.id as childId',
          'children.agency_id as agencyId',
          'children.first_name as firstName',
          'children.last_name as lastName',
          'children.date_of_birth as dateOfBirth',
          'matches.shared_with_adopters_at as sharedAt',
        ])
        .where('matches.family_id', '=', id)
        .where('matches.ended_at', 'is', null)
        .execute(),
      db
        .selectFrom('family_allocations')
        .innerJoin('users', 'users.id', 'family_allocations.user_id')
        .innerJoin('agencies', 'agencies.id', 'users.agency_id')
        .select(['users.id', 'users.name', 'users.role', 'agencies.name as agencyName'])
        .where('family_allocations.family_id', '=', id)
        .where('family_allocations.ended_at', 'is', null)
        .execute(),
    ])
    // Each matched child is listed only to those who may see that child's record.
    const children: MatchedChild[] = []
    for (const match of matches) {
      if (
        !can(
          actor,
          'child:view',
          await childAccessFacts(db, { id: match.childId, agency_id: match.agencyId }),
        )
      )
        continue
      const { agencyId: _agency, sharedAt, ...child } = match
      children.push({ ...child, shared: sharedAt !== null })
    }
    const record: FamilyRecord = {
      id: family.id,
      agencyId: family.agency_id,
      approvingAgencyId: family.approving_agency_id,
      approvingAgencyName: agency.name,
      adopters,
      children,
      workers,
    }
    return record
  }

  async function audit(
    actor: Actor & { userId: string },
    what: string,
    family: { id: string; agencyId: string },
    correlationId: string,
    details?: Record<string, unknown>,
  ) {
    await recordAudit(db, {
      what,
      who: actor.userId,
      agencyId: family.agencyId,
      subjectType: 'family',
      subjectId: family.id,
      correlationId,
      details,
    })
  }

  return {
    agencies() {
      return db.selectFrom('agencies').select(['id', 'name']).orderBy('name').execute()
    },

    /** Whether an approving agency named by a client is one we know. */
    async isAgency(id: string): Promise<boolean> {
      if (!isUuid(id)) return false
      const agency = await db.selectFrom('agencies').select('id').where('id', '=', id).executeTakeFirst()
      return agency !== undefined
    },

    /** Families this agency places with or approved, newest first, a page at a time. */
    async list(actor: StaffActor, options: { page?: number } = {}): Promise<FamilyPage> {
      const reach = db
        .selectFrom('families')
        .where((eb) =>
          eb.or([eb('agency_id', '=', actor.agencyId), eb('approving_agency_id', '=', actor.agencyId)]),
        )
      const { total } = await reach
        .select((eb) => eb.fn.countAll<number>().as('total'))
        .executeTakeFirstOrThrow()
      const { page, pages, offset, limit } = pageWindow(total, options.page)
      const rows = await reach
        .select(['id', 'agency_id', 'approving_agency_id'])
        .orderBy('created_at', 'desc')
        .orderBy('id')
        .limit(limit)
        .offset(offset)
        .execute()
      const ids = rows.map((row) => row.id)
      const adopters = ids.length
        ? await db
            .selectFrom('adopters')
            .selectAll()
            .where('family_id', 'in', ids)
            .orderBy('position')
            .execute()
        : []
      const families = rows.map((row) => ({
        id: row.id,
        agencyId: row.agency_id,
        approvingAgencyId: row.approving_agency_id,
        adopters: adopters.filter((adopter) => adopter.family_id === row.id),
      }))
      return { families, total, page, pages, pageSize: limit }
    },

    /** The family's adopters in order, for a plan's front page (the plan's own check decides who sees it). */
    adoptersOf(familyId: string): Promise<Adopter[]> {
      return readAlone(db, adoptersRead(familyId))
    },

    adoptersRead,

    async add(actor: StaffActor, details: FamilyDetails, correlationId: string): Promise<string> {
      return db.transaction().execute(async (trx) => {
        const family = await trx
          .insertInto('families')
          .values({
            agency_id: actor.agencyId,
            approving_agency_id: details.approvingAgencyId,
            created_by: actor.userId,
          })
          .returning('id')
          .executeTakeFirstOrThrow()
        for (const [index, adopter] of details.adopters.entries()) {
          await trx
            .insertInto('adopters')
            .values({
              family_id: family.id,
              first_name: adopter.firstName,
              last_name: adopter.lastName,
              date_of_birth: adopter.dateOfBirth,
              email: adopter.email ?? null,
              position: index + 1,
            })
            .execute()
        }
        await recordAudit(trx, {
          what: 'family-added',
          who: actor.userId,
          agencyId: actor.agencyId,
          subjectType: 'family',
          subjectId: family.id,
          correlationId,
          details: { approvingAgencyId: details.approvingAgencyId, adopters: details.adopters.length },
        })
        return family.id
      })
    },

    find,

    /** A family's record for someone to read: the view is audited. */
    async view(actor: Actor & { userId: string }, id: string, correlationId: string) {
      const family = await find(actor, id, 'family:view')
      if (family) await audit(actor, 'family-viewed', family, correlationId)
      return family
    },

    async match(
      actor: StaffActor,
      familyId: string,
      childId: string,
      correlationId: string,
    ): Promise<MatchOutcome> {
      const family = await find(actor, familyId, 'family:update')
      if (!family) return { outcome: 'not-found' }
      if (!isUuid(childId)) return { outcome: 'invalid-child' }
      const child = await db
        .selectFrom('children')
        .select(['id', 'agency_id'])
        .where('id', '=', childId)
        .executeTakeFirst()
      if (!child || child.agency_id !== actor.agencyId) return { outcome: 'invalid-child' }
      const current = await db
        .selectFrom('matches')
        .select('id')
        .where('child_id', '=', childId)
        .where('ended_at', 'is', null)
        .executeTakeFirst()
      if (current) return { outcome: 'already-matched' }
      const match = await db
        .insertInto('matches')
        .values({
          agency_id: actor.agencyId,
          child_id: childId,
          family_id: familyId,
          created_by: actor.userId,
        })
        .returning('id')
        .executeTakeFirstOrThrow()
      await audit(actor, 'child-matched', family, correlationId, { childId })
      return { outcome: 'matched', matchId: match.id }
    },

    /** Lets the adopters see the child's details in their account. */
    async share(
      actor: StaffActor,
      familyId: string,
      matchId: string,
      correlationId: string,
    ): Promise<boolean> {
      const family = await find(actor, familyId, 'family:update')
      if (!family || !isUuid(matchId)) return false
      const result = await db
        .updateTable('matches')
        .set({ shared_with_adopters_at: new Date() })
        .where('id', '=', matchId)
        .where('family_id', '=', familyId)
        .where('ended_at', 'is', null)
        .where('shared_with_adopters_at', 'is', null)
        .executeTakeFirst()
      if (result.numUpdatedRows === 0n) return false
      await audit(actor, 'child-shared-with-adopters', family, correlationId, { matchId })
      return true
    },

    /** Either agency's team manager allocates one of their own workers to the family. */
    async allocateWorker(
      actor: StaffActor,
      familyId: string,
      userId: string,
      correlationId: string,
    ): Promise<boolean> {
      const family = await find(actor, familyId, 'family:allocate')
      if (!family || !isUuid(userId)) return false
      const worker = await db
        .selectFrom('users')
        .select(['id', 'agency_id', 'role', 'active'])
        .where('id', '=', userId)
        .executeTakeFirst()
      if (
        !worker?.active ||
        worker.agency_id !== actor.agencyId ||
        !['social-worker', 'support-worker'].includes(worker.role)
      )
        return false
      if (family.workers.some((current) => current.id === userId)) return false
      await db
        .insertInto('family_allocations')
        .values({ family_id: familyId, user_id: userId, allocated_by: actor.userId })
        .execute()
      await audit(actor, 'family-worker-allocated', family, correlationId, { userId })
      return true
    },

    /** The workers of the actor's own agency who could be allocated to a family. */
    workerCandidates(actor: StaffActor) {
      return db
        .selectFrom('users')
        .select(['id', 'name', 'role'])
        .where('agency_id', '=', actor.agencyId)
        .where('active', '=', true)
        .where('role', 'in', ['social-worker', 'support-worker'])
        .orderBy('name')
        .execute()
    },

    /** The children of the actor's agency not yet matched with any family. */
    unmatchedChildren(actor: StaffActor) {
      return db
        .selectFrom('children')
        .select(['id', 'first_name', 'last_name', 'date_of_birth'])
        .where('agency_id', '=', actor.agencyId)
        .where((eb) =>
          eb.not(
            eb.exists(
              eb
                .selectFrom('matches')
                .select('matches.id')
                .whereRef('matches.child_id', '=', 'children.id')
                .where('matches.ended_at', 'is', null),
            ),
          ),
        )
        .orderBy('last_name')
        .orderBy('first_name')
        .execute()
    },
  }
}

export type FamiliesService = ReturnType<typeof familiesService>
