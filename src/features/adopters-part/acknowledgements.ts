import type { Transaction } from 'kysely'
import type { Db } from '../../db/database.ts'
import type { Database } from '../../db/schema.ts'
import { todayInEngland } from '../../platform/dates.ts'
import type { Actor } from '../../platform/policy.ts'
import { type Read, type Ref, readAlone, rowRead, rowsRead } from '../../platform/reads.ts'
import { recordPlanEvent } from '../plans/events.ts'
import type { PlansService } from '../plans/service.ts'

// Once the plan is agreed, each adopter acknowledges the agreed version: the name they type, the
// day, and the version's number and content hash, so that what they acknowledged can be shown
// exactly, whatever changes later.

type Executor = Db | Transaction<Database>
type Adopter = Actor & { kind: 'adopter' }

export type AgreedVersion = { number: number; hash: string; agreedOn: string | null }

/** The version kept when the plan was last agreed (the lifecycle's "agreed" step takes one). */
export function agreedVersionRead(executor: Executor, planId: Ref<string>): Read<AgreedVersion | null> {
  return rowRead(
    executor
      .selectFrom('plan_transitions')
      .innerJoin('plan_versions', (join) =>
        join
          .onRef('plan_versions.plan_id', '=', 'plan_transitions.plan_id')
          .onRef('plan_versions.number', '=', 'plan_transitions.version_number'),
      )
      .select(['plan_versions.number', 'plan_versions.content_hash', 'plan_transitions.on_date'])
      .where('plan_transitions.plan_id', '=', planId)
      .where('plan_transitions.to_status', '=', 'agreed')
      .orderBy('plan_transitions.made_at', 'desc')
      .limit(1),
    (row) => (row ? { number: row.number, hash: row.content_hash, agreedOn: row.on_date } : null),
  )
}

export function agreedVersion(executor: Executor, planId: string): Promise<AgreedVersion | null> {
  return readAlone(executor, agreedVersionRead(executor, planId))
}

export function acknowledgementsService(db: Db, plans: PlansService) {
  /** Everyone's acknowledgements of the plan, oldest first. */
  function acknowledgementsRead(planId: Ref<string>) {
    return rowsRead(
      db
        .selectFrom('plan_acknowledgements')
        .innerJoin('users', 'users.id', 'plan_acknowledgements.acknowledged_by')
        .select([
          'plan_acknowledgements.typed_name as typedName',
          'plan_acknowledgements.acknowledged_on as on',
          'plan_acknowledgements.version_number as version',
          'plan_acknowledgements.content_hash as hash',
          'users.name as account',
          'plan_acknowledgements.acknowledged_by as userId',
        ])
        .where('plan_acknowledgements.plan_id', '=', planId)
        .orderBy('plan_acknowledgements.acknowledged_at'),
      (rows) => rows,
    )
  }

  /** This adopter's acknowledgement of the agreed version, if they have given it. */
  function mine(executor: Executor, actor: Adopter, planId: string, version: number) {
    return executor
      .selectFrom('plan_acknowledgements')
      .select(['typed_name as typedName', 'acknowledged_on as on'])
      .where('plan_id', '=', planId)
      .where('version_number', '=', version)
      .where('acknowledged_by', '=', actor.userId)
      .executeTakeFirst()
  }

  return {
    acknowledgementsOf: (planId: string) => readAlone(db, acknowledgementsRead(planId)),
    acknowledgementsRead,

    /** What the acknowledgement page shows: the agreed version, and whether this adopter has acknowledged it. */
    async page(actor: Adopter, planId: string) {
      const plan = await plans.reach(actor, planId, 'plan:acknowledge')
      const agreed = plan && (await agreedVersion(db, plan.id))
      if (!plan || !agreed) return null
      return { plan, agreed, mine: (await mine(db, actor, plan.id, agreed.number)) ?? null }
    },

    async acknowledge(
      actor: Adopter,
      planId: string,
      typedName: string,
      correlationId: string,
    ): Promise<{ outcome: 'acknowledged' | 'already' | 'not-found' }> {
      return db.transaction().execute(async (trx) => {
        const plan = await plans.reach(actor, planId, 'plan:acknowledge', trx)
        const agreed = plan && (await agreedVersion(trx, plan.id))
        if (!plan || !agreed) return { outcome: 'not-found' as const }
        const inserted = await trx
          .insertInto('plan_acknowledgements')
          .values({
            plan_id: plan.id,
            version_number: agreed.number,
            content_hash: agreed.hash,
            typed_name: typedName,
            acknowledged_on: todayInEngland(),
            acknowledged_by: actor.userId,
          })
          .onConflict((conflict) =>
            conflict.columns(['plan_id', 'version_number', 'acknowledged_by']).doNothing(),
          )
          .returning('id')
          .executeTakeFirst()
        if (!inserted) return { outcome: 'already' as const }
        await recordPlanEvent(trx, actor, plan, 'plan-acknowledged', correlationId, {
          version: agreed.number,
          hash: agreed.hash,
        })
        return { outcome: 'acknowledged' as const }
      })
    },
  }
}

export type AcknowledgementsService = ReturnType<typeof acknowledgementsService>
