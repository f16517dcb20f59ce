import type { Db } from '../../db/database.ts'
import type { Actor } from '../../platform/policy.ts'
import { type Ref, readAlone, rowsRead, toDate } from '../../platform/reads.ts'
import { recordPlanEvent } from '../plans/events.ts'
import type { PlansService } from '../plans/service.ts'

// The adoption support planning meeting (domain.md, "Lifecycle of a plan", step 1): the draft is
// ideally agreed there, with the adoption support service consulted on what it commits to. The
// worker records each meeting held: when, who came, the service consulted and what was agreed.

type Staff = Actor & { kind: 'staff' }

export type Meeting = {
  heldOn: string
  attended: string
  supportService: string
  agreed: string
}

export function meetingsService(db: Db, plans: PlansService) {
  /** The plan's meetings, the latest first: alone, or read with the plan. */
  function meetingsRead(planId: Ref<string>) {
    return rowsRead(
      db
        .selectFrom('plan_meetings')
        .innerJoin('users', 'users.id', 'plan_meetings.recorded_by')
        .select([
          'plan_meetings.id',
          'plan_meetings.held_on as heldOn',
          'plan_meetings.attended',
          'plan_meetings.support_service as supportService',
          'plan_meetings.agreed',
          'plan_meetings.recorded_at as recordedAt',
          'users.name as recordedBy',
        ])
        .where('plan_meetings.plan_id', '=', planId)
        .orderBy('plan_meetings.held_on', 'desc')
        .orderBy('plan_meetings.recorded_at', 'desc'),
      (rows) => rows.map((row) => ({ ...row, recordedAt: toDate(row.recordedAt) })),
    )
  }

  return {
    /** The plan's meetings, the latest first. */
    meetingsOf: (planId: string) => readAlone(db, meetingsRead(planId)),

    meetingsRead,

    /** The plan, if this person may record a meeting for it. */
    planFor: (actor: Staff, planId: string) => plans.reach(actor, planId, 'plan:record-meeting'),

    async record(
      actor: Staff,
      planId: string,
      meeting: Meeting,
      correlationId: string,
    ): Promise<{ outcome: 'recorded'; id: string } | { outcome: 'not-found' }> {
      return db.transaction().execute(async (trx) => {
        const plan = await plans.reach(actor, planId, 'plan:record-meeting', trx)
        if (!plan) return { outcome: 'not-found' as const }
        const { id } = await trx
          .insertInto('plan_meetings')
          .values({
            plan_id: plan.id,
            held_on: meeting.heldOn,
            attended: meeting.attended,
            support_service: meeting.supportService,
            agreed: meeting.agreed,
            recorded_by: actor.userId,
          })
          .returning('id')
          .executeTakeFirstOrThrow()
        await recordPlanEvent(trx, actor, plan, 'plan-meeting-recorded', correlationId, { meetingId: id })
        return { outcome: 'recorded' as const, id }
      })
    },
  }
}

export type MeetingsService = ReturnType<typeof meetingsService>
