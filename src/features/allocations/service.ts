import { z } from 'zod'
import type { Db } from '../../db/database.ts'
import { recordAudit } from '../../platform/audit.ts'
import { type Actor, can } from '../../platform/policy.ts'
import type { StaffRole } from '../../platform/roles.ts'
import { allocatedPeople } from '../children/service.ts'

// Allocation: which social workers, support workers and independent reviewing officers work with a
// child. Team managers allocate in the service; operators with `npm run cli -- allocate`. An
// allocation is ended, never deleted, so who worked with a child stays on the record.

export const ALLOCATABLE_ROLES: readonly StaffRole[] = ['social-worker', 'iro', 'support-worker']

export type Allocation = { id: string; userId: string; name: string; role: string; allocatedAt: Date }

export type AllocationOutcome =
  | { outcome: 'allocated'; id: string }
  | { outcome: 'not-found' }
  | { outcome: 'not-allocatable' }
  | { outcome: 'already-allocated' }

type StaffActor = Actor & { kind: 'staff' }

const isUuid = (value: string) => z.uuid().safeParse(value).success
/** Who is allocating: a team manager in the service, or an operator at the command line. */
type Allocator = StaffActor | { kind: 'operator' }

export function allocationsService(db: Db) {
  return {
    current(childId: string): Promise<Allocation[]> {
      return db
        .selectFrom('allocations')
        .innerJoin('users', 'users.id', 'allocations.user_id')
        .select([
          'allocations.id',
          'allocations.user_id as userId',
          'users.name',
          'users.role',
          'allocations.allocated_at as allocatedAt',
        ])
        .where('allocations.child_id', '=', childId)
        .where('allocations.ended_at', 'is', null)
        .orderBy('allocations.allocated_at')
        .execute()
    },

    /** The agency's active staff who can be allocated to a child. */
    candidates(agencyId: string) {
      return db
        .selectFrom('users')
        .select(['id', 'name', 'role'])
        .where('agency_id', '=', agencyId)
        .where('active', '=', true)
        .where('role', 'in', ALLOCATABLE_ROLES)
        .orderBy('name')
        .execute()
    },

    async allocate(
      allocator: Allocator,
      childId: string,
      userId: string,
      correlationId: string,
    ): Promise<AllocationOutcome> {
      if (!isUuid(childId)) return { outcome: 'not-found' }
      if (!isUuid(userId)) return { outcome: 'not-allocatable' }
      return db.transaction().execute(async (trx) => {
        const child = await trx
          .selectFrom('children')
          .select(['id', 'agency_id'])
          .where('id', '=', childId)
          .executeTakeFirst()
        if (!child) return { outcome: 'not-found' as const }
        if (
          allocator.kind === 'staff' &&
          !can(allocator, 'allocation:manage', { agencyId: child.agency_id })
        ) {
          return { outcome: 'not-found' as const }
        }
        const person = await trx
          .selectFrom('users')
          .select(['id', 'role', 'agency_id', 'active'])
          .where('id', '=', userId)
          .executeTakeFirst()
        if (
          !person ||
          person.agency_id !== child.agency_id ||
          !person.active ||
          !ALLOCATABLE_ROLES.includes(person.role as StaffRole)
        ) {
          return { outcome: 'not-allocatable' as const }
        }
        if ((await allocatedPeople(trx, childId)).includes(userId))
          return { outcome: 'already-allocated' as const }
        const who = allocator.kind === 'staff' ? allocator.userId : null
        const row = await trx
          .insertInto('allocations')
          .values({ agency_id: child.agency_id, child_id: childId, user_id: userId, allocated_by: who })
          .returning('id')
          .executeTakeFirstOrThrow()
        await recordAudit(trx, {
          what: 'allocation-added',
          who,
          agencyId: child.agency_id,
          subjectType: 'child',
          subjectId: childId,
          correlationId,
          details: { userId, role: person.role },
        })
        return { outcome: 'allocated' as const, id: row.id }
      })
    },

    async end(
      actor: StaffActor,
      childId: string,
      allocationId: string,
      correlationId: string,
    ): Promise<boolean> {
      if (!isUuid(childId) || !isUuid(allocationId)) return false
      return db.transaction().execute(async (trx) => {
        const allocation = await trx
          .selectFrom('allocations')
          .select(['id', 'agency_id', 'user_id'])
          .where('id', '=', allocationId)
          .where('child_id', '=', childId)
          .where('ended_at', 'is', null)
          .executeTakeFirst()
        if (!allocation || !can(actor, 'allocation:manage', { agencyId: allocation.agency_id })) return false
        await trx
          .updateTable('allocations')
          .set({ ended_at: new Date(), ended_by: actor.userId })
          .where('id', '=', allocation.id)
          .execute()
        await recordAudit(trx, {
          what: 'allocation-ended',
          who: actor.userId,
          agencyId: allocation.agency_id,
          subjectType: 'child',
          subjectId: childId,
          correlationId,
          details: { userId: allocation.user_id },
        })
        return true
      })
    },
  }
}

export type AllocationsService = ReturnType<typeof allocationsService>
