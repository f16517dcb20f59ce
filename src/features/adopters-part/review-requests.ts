import type { Db } from '../../db/database.ts'
import type { Actor } from '../../platform/policy.ts'
import { type Read, type Ref, readAlone, rowsRead, toDate } from '../../platform/reads.ts'
import { recordPlanEvent } from '../plans/events.ts'
import type { PlansService } from '../plans/service.ts'
import { isRecordId } from './form.ts'

// The adopters may ask for a review of the plan at any time, saying why (AAR 2005 reg 36: extra
// reviews fit into the schedule). The request reaches the worker, the team manager and the IRO;
// one of them answers it. Unanswered is worked out from the dates (asked_at, answered_at), so
// reminders need no flag of their own.

type Adopter = Actor & { kind: 'adopter' }
type Staff = Actor & { kind: 'staff' }

export type ReviewRequest = {
  id: string
  reason: string
  askedBy: string
  askedAt: Date
  answer: string | null
  answeredBy: string | null
  answeredAt: Date | null
}

export function reviewRequestsService(db: Db, plans: PlansService) {
  /** The plan's requests, unanswered first, then the newest. */
  function requestsRead(planId: Ref<string>): Read<ReviewRequest[]> {
    return rowsRead(
      db
        .selectFrom('plan_review_requests')
        .innerJoin('users as asker', 'asker.id', 'plan_review_requests.asked_by')
        .leftJoin('users as answerer', 'answerer.id', 'plan_review_requests.answered_by')
        .select([
          'plan_review_requests.id',
          'plan_review_requests.reason',
          'plan_review_requests.asked_at',
          'plan_review_requests.answer',
          'plan_review_requests.answered_at',
          'asker.name as asker',
          'answerer.name as answerer',
        ])
        .where('plan_review_requests.plan_id', '=', planId)
        .orderBy((eb) => eb('plan_review_requests.answered_at', 'is', null), 'desc')
        .orderBy('plan_review_requests.asked_at', 'desc'),
      (rows) =>
        rows.map((row) => ({
          id: row.id,
          reason: row.reason,
          askedBy: row.asker,
          askedAt: toDate(row.asked_at),
          answer: row.answer,
          answeredBy: row.answerer,
          answeredAt: row.answered_at === null ? null : toDate(row.answered_at),
        })),
    )
  }

  const requestsOf = (planId: string) => readAlone(db, requestsRead(planId))

  return {
    requestsOf,
    requestsRead,

    /** The plan's requests, for their page (audited: the reasons are about the child and family). */
    async page(actor: Adopter | Staff, planId: string, correlationId: string) {
      const plan = await plans.reach(actor, planId, 'plan:view')
      if (!plan) return null
      await recordPlanEvent(db, actor, plan, 'plan-viewed', correlationId, { section: 'review requests' })
      return { plan, requests: await requestsOf(plan.id) }
    },

    async ask(
      actor: Adopter,
      planId: string,
      reason: string,
      correlationId: string,
    ): Promise<{ outcome: 'asked'; id: string } | { outcome: 'not-found' }> {
      return db.transaction().execute(async (trx) => {
        const plan = await plans.reach(actor, planId, 'plan:ask-review', trx)
        if (!plan) return { outcome: 'not-found' as const }
        const { id } = await trx
          .insertInto('plan_review_requests')
          .values({ plan_id: plan.id, reason, asked_by: actor.userId })
          .returning('id')
          .executeTakeFirstOrThrow()
        await recordPlanEvent(trx, actor, plan, 'plan-review-requested', correlationId, { requestId: id })
        return { outcome: 'asked' as const, id }
      })
    },

    /** One answer closes the request; a second person answering finds it already answered. */
    async answer(
      actor: Staff,
      planId: string,
      requestId: string,
      answer: string,
      correlationId: string,
    ): Promise<{ outcome: 'answered' | 'already-answered' | 'not-found' }> {
      if (!isRecordId(requestId)) return { outcome: 'not-found' }
      return db.transaction().execute(async (trx) => {
        const plan = await plans.reach(actor, planId, 'plan:answer-review-request', trx)
        if (!plan) return { outcome: 'not-found' as const }
        const request = await trx
          .selectFrom('plan_review_requests')
          .select(['id', 'answered_at'])
          .where('id', '=', requestId)
          .where('plan_id', '=', plan.id)
          .forUpdate()
          .executeTakeFirst()
        if (!request) return { outcome: 'not-found' as const }
        if (request.answered_at) return { outcome: 'already-answered' as const }
        await trx
          .updateTable('plan_review_requests')
          .set({ answer, answered_by: actor.userId, answered_at: new Date() })
          .where('id', '=', request.id)
          .execute()
        await recordPlanEvent(trx, actor, plan, 'plan-review-request-answered', correlationId, {
          requestId: request.id,
        })
        return { outcome: 'answered' as const }
      })
    },
  }
}

export type ReviewRequestsService = ReturnType<typeof reviewRequestsService>
