import { allocationsService } from '../../src/features/allocations/service.ts'
import { childrenService } from '../../src/features/children/service.ts'
import { familiesService } from '../../src/features/families/service.ts'
import { plansService } from '../../src/features/plans/service.ts'
import type { TestApp, TestUser } from './app.ts'
import { childDetailsFor } from './children.ts'

// A child matched with a family, with a plan agreed at the placement planning meeting (set directly,
// as the lifecycle's own tests walk the steps), and an IRO allocated: ready to be placed and reviewed.

export async function agreedPlan(
  t: TestApp,
  worker: TestUser,
  options: { iro?: TestUser; dateAgreed?: string; firstName?: string } = {},
): Promise<{ planId: string; childId: string; familyId: string }> {
  const db = t.database.db
  const actor = {
    kind: 'staff' as const,
    userId: worker.id,
    agencyId: worker.agencyId,
    role: 'social-worker' as const,
  }
  const added = await childrenService(db).add(
    actor,
    childDetailsFor({ firstName: options.firstName ?? 'Ada' }),
    'test',
  )
  if (added.outcome !== 'added') throw new Error('child not added')
  const childId = added.child.id
  const families = familiesService(db)
  const familyId = await families.add(
    actor,
    {
      approvingAgencyId: worker.agencyId,
      adopters: [{ firstName: 'Sam', lastName: 'Reid', dateOfBirth: '1985-02-01', email: null }],
    },
    'test',
  )
  await families.match(actor, familyId, childId, 'test')
  const created = await plansService(db).create(actor, childId, 'test')
  if (created.outcome !== 'created') throw new Error('plan not created')
  await db
    .updateTable('plans')
    .set({ status: 'agreed', date_agreed: options.dateAgreed ?? '2025-01-02' })
    .where('id', '=', created.planId)
    .execute()
  if (options.iro)
    await allocationsService(db).allocate({ kind: 'operator' }, childId, options.iro.id, 'test')
  return { planId: created.planId, childId, familyId }
}
