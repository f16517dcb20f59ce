import type { Db } from '../../src/db/database.ts'
import { accounts, insertUser } from '../../src/features/accounts/service.ts'
import { allocationsService } from '../../src/features/allocations/service.ts'
import { childrenService } from '../../src/features/children/service.ts'
import { familiesService } from '../../src/features/families/service.ts'
import { plansService } from '../../src/features/plans/service.ts'
import { addDays } from '../../src/platform/dates.ts'
import type { Actor } from '../../src/platform/policy.ts'
import { ADOPTER_ROLE, type StaffRole } from '../../src/platform/roles.ts'
import { childDetailsFor } from './children.ts'

// An agency's people and plans for the reminders' tests, written straight to the database: the
// dates that make a reminder (the placement, when a comment was written) are set directly, as the
// service would have recorded them that many days ago.

export type Staff = Actor & { kind: 'staff' }
/** A member of staff with the address their reminders go to. */
export type StaffWithEmail = {
  kind: 'staff'
  userId: string
  agencyId: string
  role: StaffRole
  email: string
}

let counter = 0

export async function addStaff(db: Db, agencyId: string, role: StaffRole): Promise<StaffWithEmail> {
  const email = `${role}-${++counter}-${Date.now()}@reminders.example`
  const userId = await accounts(db).addUser({ agencyId, email, name: `Test ${role} ${counter}`, role })
  return { kind: 'staff', userId, agencyId, role, email }
}

export type TestPlan = { planId: string; childId: string; familyId: string }

/** A child with a plan led by `worker`, matched with a family, in `status`; IROs and workers allocated. */
export async function planFor(
  db: Db,
  worker: Staff,
  options: { firstName?: string; status?: string; allocate?: readonly Staff[] } = {},
): Promise<TestPlan> {
  const added = await childrenService(db).add(
    worker,
    childDetailsFor({ firstName: options.firstName ?? 'Ada', lastName: 'Reminder' }),
    'test',
  )
  if (added.outcome !== 'added') throw new Error('child not added')
  const childId = added.child.id
  const families = familiesService(db)
  const familyId = await families.add(
    worker,
    {
      approvingAgencyId: worker.agencyId,
      adopters: [{ firstName: 'Sam', lastName: 'Reid', dateOfBirth: '1985-02-01', email: null }],
    },
    'test',
  )
  await families.match(worker, familyId, childId, 'test')
  const created = await plansService(db).create(worker, childId, 'test')
  if (created.outcome !== 'created') throw new Error('plan not created')
  await db
    .updateTable('plans')
    .set({ status: options.status ?? 'agreed', date_agreed: '2025-01-02' })
    .where('id', '=', created.planId)
    .execute()
  for (const person of options.allocate ?? [])
    await allocationsService(db).allocate({ kind: 'operator' }, childId, person.userId, 'test')
  return { planId: created.planId, childId, familyId }
}

/** The child placed `daysAgo` days before `today`: the first review is due 28 days after. */
export async function placedDaysAgo(db: Db, plan: TestPlan, today: string, daysAgo: number): Promise<void> {
  await db
    .updateTable('matches')
    .set({ placed_on: addDays(today, -daysAgo) })
    .where('child_id', '=', plan.childId)
    .where('ended_at', 'is', null)
    .execute()
}

/** An adopter's comment on the plan, written `daysAgo` days ago; answers its id. */
export async function commentDaysAgo(db: Db, plan: TestPlan, adopterUserId: string, daysAgo: number) {
  const { id } = await db
    .insertInto('plan_comments')
    .values({
      plan_id: plan.planId,
      section: 'child',
      section_version: 1,
      body: 'A comment',
      written_by: adopterUserId,
      written_at: new Date(Date.now() - daysAgo * 86_400_000),
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  return id
}

/** An adopters' request for a review, made `daysAgo` days ago; answers its id. */
export async function reviewRequestDaysAgo(db: Db, plan: TestPlan, adopterUserId: string, daysAgo: number) {
  const { id } = await db
    .insertInto('plan_review_requests')
    .values({
      plan_id: plan.planId,
      reason: 'We would like a review',
      asked_by: adopterUserId,
      asked_at: new Date(Date.now() - daysAgo * 86_400_000),
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  return id
}

/** An adopter's account (as an accepted invitation leaves one), for their comments and requests. */
export async function addAdopterUser(db: Db, agencyId: string): Promise<string> {
  return insertUser(db, {
    agencyId,
    email: `adopter-${++counter}-${Date.now()}@home.example`,
    name: 'An adopter',
    role: ADOPTER_ROLE,
    passwordHash: null,
    totpSecret: null,
  })
}
