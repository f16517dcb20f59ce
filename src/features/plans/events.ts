import type { Transaction } from 'kysely'
import type { Db } from '../../db/database.ts'
import type { Database } from '../../db/schema.ts'
import { recordAudit } from '../../platform/audit.ts'
import type { Actor } from '../../platform/policy.ts'
import type { PlanHeader } from './service.ts'

/** An event of the child's record, about this plan: who did what, with ids only (ADR 0004). */
export function recordPlanEvent(
  executor: Db | Transaction<Database>,
  actor: Actor & { kind: 'staff' | 'adopter' },
  plan: PlanHeader,
  what: string,
  correlationId: string,
  details: Record<string, unknown> = {},
) {
  return recordAudit(executor, {
    what,
    who: actor.userId,
    agencyId: plan.agencyId,
    subjectType: 'child',
    subjectId: plan.childId,
    correlationId,
    details: { planId: plan.id, ...details },
  })
}
