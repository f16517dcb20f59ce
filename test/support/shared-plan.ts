import { childrenService } from '../../src/features/children/service.ts'
import { familiesService } from '../../src/features/families/service.ts'
import { lifecycleService } from '../../src/features/plans/lifecycle.ts'
import { findPlan, type PlanHeader, plansService, recordVersion } from '../../src/features/plans/service.ts'
import type { Actor } from '../../src/platform/policy.ts'
import type { TestApp, TestUser } from './app.ts'
import { childDetailsFor } from './children.ts'

// A plan the worker has shared with the adopters, and the people around it: the worker, a team
// manager, the IRO allocated to the child, and the family's adopter with an account.

export type SharedPlan = {
  agencyId: string
  planId: string
  childId: string
  familyId: string
  worker: TestUser
  manager: TestUser
  iro: TestUser
  adopter: TestUser
  workerActor: Actor & { kind: 'staff' }
}

export async function sharedPlan(
  t: TestApp,
  names: { child?: string; adopterFirst?: string; adopterLast?: string } = {},
): Promise<SharedPlan> {
  const db = t.database.db
  const agencyId = await t.addAgency()
  const worker = await t.addUser(agencyId, 'social-worker')
  const manager = await t.addUser(agencyId, 'team-manager')
  const iro = await t.addUser(agencyId, 'iro')
  const workerActor = { kind: 'staff' as const, userId: worker.id, agencyId, role: 'social-worker' as const }
  const added = await childrenService(db).add(
    workerActor,
    childDetailsFor({ firstName: names.child ?? 'Ada' }),
    'test',
  )
  if (added.outcome !== 'added') throw new Error('child not added')
  const childId = added.child.id
  await db
    .insertInto('allocations')
    .values({ agency_id: agencyId, child_id: childId, user_id: iro.id })
    .execute()
  const families = familiesService(db)
  const familyId = await families.add(
    workerActor,
    {
      approvingAgencyId: agencyId,
      adopters: [
        {
          firstName: names.adopterFirst ?? 'Sam',
          lastName: names.adopterLast ?? 'Reid',
          dateOfBirth: '1985-02-01',
          email: null,
        },
      ],
    },
    'test',
  )
  await families.match(workerActor, familyId, childId, 'test')
  const plans = plansService(db)
  const created = await plans.create(workerActor, childId, 'test')
  if (created.outcome !== 'created') throw new Error('plan not created')
  const moved = await lifecycleService(db, plans).transition(
    workerActor,
    created.planId,
    { to: 'with-adopters', note: 'Shared for comments' },
    'test',
  )
  if (moved.outcome !== 'moved') throw new Error('plan not shared')
  const adopter = await t.addAdopterAccount(familyId, agencyId)
  return { agencyId, planId: created.planId, childId, familyId, worker, manager, iro, adopter, workerActor }
}

/**
 * The plan as the lifecycle leaves it once agreed: its status, the date agreed, a version, and the
 * move that took it. Set directly, as the steps before it (panel, decision) are not what is tested.
 */
export async function markAgreed(t: TestApp, planId: string, by: string, on = '2026-03-20'): Promise<number> {
  return t.database.db.transaction().execute(async (trx) => {
    await trx
      .updateTable('plans')
      .set({ status: 'agreed', date_agreed: on })
      .where('id', '=', planId)
      .execute()
    const plan = (await findPlan(trx, planId)) as PlanHeader
    const version = await recordVersion(trx, plan, 'Record the plan as agreed (Agreed)', by, 'test')
    await trx
      .insertInto('plan_transitions')
      .values({
        plan_id: planId,
        from_status: 'match-approved',
        to_status: 'agreed',
        on_date: on,
        note: null,
        version_number: version.number,
        made_by: by,
      })
      .execute()
    return version.number
  })
}
