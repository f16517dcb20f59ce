import type { Db } from '../../db/database.ts'
import type { Actor } from '../../platform/policy.ts'
import { type Read, type Ref, readAlone, rowRead, toDate } from '../../platform/reads.ts'
import { recordPlanEvent } from '../plans/events.ts'
import type { PlansService } from '../plans/service.ts'

// The adopters' views of the plan in their own words, beside what the worker writes of their views
// in section 3. Each time they write it again a new row is kept; the latest is shown.

type Adopter = Actor & { kind: 'adopter' }

export type OwnViews = { views: string; by: string; at: Date }

export function ownViewsService(db: Db, plans: PlansService) {
  /** What they wrote last, if anything: alone, or read with the plan. */
  function latestRead(planId: Ref<string>): Read<OwnViews | null> {
    return rowRead(
      db
        .selectFrom('plan_adopter_views')
        .innerJoin('users', 'users.id', 'plan_adopter_views.written_by')
        .select(['plan_adopter_views.views', 'plan_adopter_views.written_at', 'users.name'])
        .where('plan_adopter_views.plan_id', '=', planId)
        .orderBy('plan_adopter_views.written_at', 'desc')
        .limit(1),
      (row) => (row ? { views: row.views, by: row.name, at: toDate(row.written_at) } : null),
    )
  }

  const latest = (planId: string) => readAlone(db, latestRead(planId))

  return {
    latest,
    latestRead,

    /** The views form: the plan and what they wrote last (their account's own page). */
    async page(actor: Adopter, planId: string) {
      const plan = await plans.reach(actor, planId, 'plan:give-views')
      if (!plan) return null
      return { plan, latest: await latest(plan.id) }
    },

    async save(
      actor: Adopter,
      planId: string,
      views: string,
      correlationId: string,
    ): Promise<{ outcome: 'saved' | 'not-found' }> {
      return db.transaction().execute(async (trx) => {
        const plan = await plans.reach(actor, planId, 'plan:give-views', trx)
        if (!plan) return { outcome: 'not-found' as const }
        const { id } = await trx
          .insertInto('plan_adopter_views')
          .values({ plan_id: plan.id, views, written_by: actor.userId })
          .returning('id')
          .executeTakeFirstOrThrow()
        await recordPlanEvent(trx, actor, plan, 'plan-adopters-views-written', correlationId, { viewsId: id })
        return { outcome: 'saved' as const }
      })
    },
  }
}

export type OwnViewsService = ReturnType<typeof ownViewsService>
