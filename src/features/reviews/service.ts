import type { Transaction } from 'kysely'
import { z } from 'zod'
import type { Db } from '../../db/database.ts'
import type { Database } from '../../db/schema.ts'
import type { PlanStatus } from '../../plan/lifecycle.ts'
import {
  type PlacementDates,
  type PlacementProblem,
  type PlacementRequest,
  placementAfter,
  placementProblems,
} from '../../plan/placement.ts'
import {
  type AfterPart,
  type BeforePart,
  heldReviewOf,
  type ReviewRecordKind,
  recordReviewProblems,
  type ScheduleView,
  scheduleView,
  startReviewProblems,
} from '../../plan/review-records.ts'
import { todayInEngland } from '../../platform/dates.ts'
import type { Action, Actor } from '../../platform/policy.ts'
import { recordPlanEvent } from '../plans/events.ts'
import {
  findPlan,
  type PlanHeader,
  type PlanIds,
  type PlansService,
  recordVersion,
} from '../plans/service.ts'
import {
  currentMatchOf,
  datesUpdatedOf,
  frontPageRead,
  placementOf,
  type ReviewRecord,
  reviewRecords,
} from './records.ts'

// The placement and the reviews of a plan (AAR 2005 reg 36; issue 5): recording the placement's
// dates, starting a review, the social worker's part before it and the independent reviewing
// officer's part after it. Every write locks the plan's row, checks the rules of src/plan (the same
// for the pages and the API) against the plan as it stands, is audited, and bumps the plan's "last
// changed"; recording the placement or a review also takes a numbered version of the plan. Reads are
// audited as views of the child's record. `today` is the day in England unless a test says otherwise.

type Executor = Db | Transaction<Database>
type Staff = Actor & { kind: 'staff' }
type Person = Actor & { kind: 'staff' | 'adopter' }

export type Refused = { outcome: 'refused'; reasons: string[] }
export type NotFound = { outcome: 'not-found' }

const isUuid = (value: string) => z.uuid().safeParse(value).success

export function reviewsService(db: Db, plans: PlansService, clock: () => string = () => todayInEngland()) {
  /** The plan locked for a write, if the actor may take the action on it. */
  async function lockedPlan(trx: Transaction<Database>, actor: Staff, planId: string, action: Action) {
    if (!(await findPlan(trx, planId))) return null
    await trx.selectFrom('plans').select('id').where('id', '=', planId).forUpdate().execute()
    return plans.reach(actor, planId, action, trx)
  }

  async function heldReviews(executor: Executor, planId: string, except?: string) {
    const records = await reviewRecords(executor, planId)
    return records
      .filter((record) => record.status === 'recorded' && record.heldOn && record.id !== except)
      .map((record) => heldReviewOf(record.kind, record.heldOn as string))
  }

  const touch = (trx: Transaction<Database>, planId: string) =>
    trx.updateTable('plans').set({ updated_at: new Date() }).where('id', '=', planId).execute()

  /** A review of the plan, for writing a part of it, locked with its plan. */
  async function reviewFor(
    trx: Transaction<Database>,
    actor: Staff,
    planId: string,
    reviewId: string,
    action: Action,
  ) {
    if (!isUuid(reviewId)) return null
    const plan = await lockedPlan(trx, actor, planId, action)
    if (!plan) return null
    const [record] = await reviewRecords(trx, plan.id, reviewId)
    return record ? { plan, record } : null
  }

  return {
    today: clock,

    /** The placement's dates, and the schedule they make, for someone who reads the plan (audited). */
    async schedule(
      actor: Person,
      planId: string,
      correlationId: string,
    ): Promise<{
      plan: PlanHeader
      placement: PlacementDates
      schedule: ScheduleView
      records: ReviewRecord[]
      today: string
    } | null> {
      const plan = await plans.reach(actor, planId, 'plan:view')
      if (!plan) return null
      const placement = await placementOf(db, plan)
      const records = await reviewRecords(db, plan.id)
      const today = clock()
      await recordPlanEvent(db, actor, plan, 'plan-viewed', correlationId, { section: 'reviews' })
      return {
        plan,
        placement,
        schedule: scheduleView(placement, records, today),
        records,
        today,
      }
    },

    /** One review's record (audited as a view of the child's record). */
    async review(actor: Person, planId: string, reviewId: string, correlationId: string) {
      if (!isUuid(reviewId)) return null
      const plan = await plans.reach(actor, planId, 'plan:view')
      if (!plan) return null
      const [record] = await reviewRecords(db, plan.id, reviewId)
      if (!record) return null
      await recordPlanEvent(db, actor, plan, 'plan-viewed', correlationId, { section: 'review', reviewId })
      return { plan, record, placement: await placementOf(db, plan) }
    },

    /** The plan's "dates updated": the days its reviews were recorded. */
    datesUpdated: (planId: string) => datesUpdatedOf(db, planId),

    /** What the plan's front page shows of its reviews, read with the plan (the page's view is audited there). */
    frontPageRead: (plan: PlanIds) => frontPageRead(db, plan),

    /** What the placement page needs: the plan, if the actor may record its placement, and its dates. */
    async placementFor(actor: Staff, planId: string) {
      const plan = await plans.reach(actor, planId, 'plan:placement')
      if (!plan) return null
      return { plan, placement: await placementOf(db, plan) }
    },

    /**
     * Records the placement's dates: those given change, those left out stay. Refused, with every
     * reason and the field it belongs to, when the plan is not where a placement can be recorded or
     * the dates would not make a review schedule; nothing changes then.
     */
    async recordPlacement(
      actor: Staff,
      planId: string,
      request: PlacementRequest,
      correlationId: string,
    ): Promise<
      | { outcome: 'recorded'; placement: PlacementDates; version: number | null }
      | { outcome: 'refused'; problems: PlacementProblem[] }
      | NotFound
    > {
      return db.transaction().execute(async (trx) => {
        const plan = await lockedPlan(trx, actor, planId, 'plan:placement')
        if (!plan) return { outcome: 'not-found' as const }
        const recorded = await placementOf(trx, plan)
        const match = await currentMatchOf(trx, plan)
        const problems = placementProblems(
          {
            status: plan.status as PlanStatus,
            hasFamily: match !== null,
            dateAgreed: plan.dateAgreed,
            recorded,
            held: await heldReviews(trx, plan.id),
          },
          request,
          clock(),
        )
        if (problems.length > 0) return { outcome: 'refused' as const, problems }
        const after = placementAfter(recorded, request)
        const changed = (Object.keys(after) as (keyof PlacementDates)[]).filter(
          (field) => after[field] !== recorded[field],
        )
        // Nothing new: no version, no audit of a change that did not happen.
        if (changed.length === 0) return { outcome: 'recorded' as const, placement: after, version: null }
        if (after.authorityToPlaceOn !== recorded.authorityToPlaceOn)
          await trx
            .updateTable('plans')
            .set({ authority_to_place_on: after.authorityToPlaceOn })
            .where('id', '=', plan.id)
            .execute()
        if (match && (changed.includes('placedOn') || changed.includes('returnedOn')))
          await trx
            .updateTable('matches')
            .set({ placed_on: after.placedOn, returned_on: after.returnedOn })
            .where('id', '=', match.id)
            .execute()
        await touch(trx, plan.id)
        const reason =
          changed.includes('returnedOn') && after.returnedOn
            ? 'The child’s return recorded'
            : changed.includes('placedOn')
              ? 'Placement recorded'
              : 'The placement’s dates changed'
        const version = await recordVersion(trx, plan, reason, actor.userId, correlationId)
        await recordPlanEvent(trx, actor, plan, 'plan-placement-recorded', correlationId, {
          changed,
          version: version.number,
        })
        return { outcome: 'recorded' as const, placement: after, version: version.number }
      })
    },

    /** Why no review can be started now (for the page's button); null when the plan is out of reach. */
    async startOptions(actor: Staff, planId: string) {
      const plan = await plans.reach(actor, planId, 'plan:review-prepare')
      if (!plan) return null
      const reasons = startReviewProblems({
        status: plan.status as PlanStatus,
        placement: await placementOf(db, plan),
        open: (await reviewRecords(db, plan.id)).some((record) => record.status !== 'recorded'),
      })
      return { plan, reasons }
    },

    /** Starts a review: the one due, or an extra one (asked for by the adopters, or urgent). */
    async start(
      actor: Staff,
      planId: string,
      request: { kind: ReviewRecordKind; reason?: string | null },
      correlationId: string,
    ): Promise<{ outcome: 'started'; review: ReviewRecord } | Refused | NotFound> {
      return db.transaction().execute(async (trx) => {
        const plan = await lockedPlan(trx, actor, planId, 'plan:review-prepare')
        if (!plan) return { outcome: 'not-found' as const }
        const reasons = startReviewProblems({
          status: plan.status as PlanStatus,
          placement: await placementOf(trx, plan),
          open: (await reviewRecords(trx, plan.id)).some((record) => record.status !== 'recorded'),
        })
        if (reasons.length > 0) return { outcome: 'refused' as const, reasons }
        const row = await trx
          .insertInto('plan_reviews')
          .values({
            plan_id: plan.id,
            kind: request.kind,
            reason: request.reason?.trim() || null,
            started_by: actor.userId,
          })
          .returning('id')
          .executeTakeFirstOrThrow()
        await touch(trx, plan.id)
        await recordPlanEvent(trx, actor, plan, 'plan-review-started', correlationId, {
          reviewId: row.id,
          kind: request.kind,
        })
        const [review] = await reviewRecords(trx, plan.id, row.id)
        return { outcome: 'started' as const, review: review as ReviewRecord }
      })
    },

    /** The review, if the actor may write the part `action` names. */
    async forWriting(actor: Staff, planId: string, reviewId: string, action: Action) {
      if (!isUuid(reviewId)) return null
      const plan = await plans.reach(actor, planId, action)
      if (!plan) return null
      const [record] = await reviewRecords(db, plan.id, reviewId)
      return record ? { plan, record, placement: await placementOf(db, plan) } : null
    },

    /** The social worker's part, before the review; changed as often as needed until it is recorded. */
    async writeBefore(
      actor: Staff,
      planId: string,
      reviewId: string,
      part: BeforePart,
      correlationId: string,
    ): Promise<{ outcome: 'saved'; review: ReviewRecord } | Refused | NotFound> {
      return db.transaction().execute(async (trx) => {
        const found = await reviewFor(trx, actor, planId, reviewId, 'plan:review-prepare')
        if (!found) return { outcome: 'not-found' as const }
        const { plan, record } = found
        if (record.status === 'recorded')
          return {
            outcome: 'refused' as const,
            reasons: ['This review has been recorded: its before-review part no longer changes'],
          }
        await trx
          .updateTable('plan_reviews')
          .set({
            needs_changed: part.needsChanged,
            child_views: part.childViews,
            adopters_views: part.adoptersViews,
            before_by: actor.userId,
            before_at: new Date(),
            status: 'ready',
          })
          .where('id', '=', record.id)
          .execute()
        await touch(trx, plan.id)
        await recordPlanEvent(trx, actor, plan, 'plan-review-before-written', correlationId, {
          reviewId: record.id,
        })
        const [review] = await reviewRecords(trx, plan.id, record.id)
        return { outcome: 'saved' as const, review: review as ReviewRecord }
      })
    },

    /**
     * The reviewing officer's part, after the review, and the date it was held: this records the
     * review, which gives the plan a numbered version and a "date updated". A correction later takes
     * another version; the first recording stays the date updated.
     */
    async writeAfter(
      actor: Staff,
      planId: string,
      reviewId: string,
      part: AfterPart & { heldOn: string },
      correlationId: string,
    ): Promise<{ outcome: 'recorded'; review: ReviewRecord; version: number } | Refused | NotFound> {
      return db.transaction().execute(async (trx) => {
        const found = await reviewFor(trx, actor, planId, reviewId, 'plan:review-record')
        if (!found) return { outcome: 'not-found' as const }
        const { plan, record } = found
        const reasons = recordReviewProblems(
          {
            placement: await placementOf(trx, plan),
            held: await heldReviews(trx, plan.id, record.id),
            beforeWritten: record.before !== null,
            kind: record.kind,
          },
          part.heldOn,
          clock(),
        )
        if (reasons.length > 0) return { outcome: 'refused' as const, reasons }
        const now = new Date()
        await trx
          .updateTable('plan_reviews')
          .set({
            held_on: part.heldOn,
            recommendations: part.recommendations,
            visit_frequency: part.visitFrequency,
            after_by: actor.userId,
            after_at: now,
            recorded_at: record.recordedAt ?? now,
            status: 'recorded',
          })
          .where('id', '=', record.id)
          .execute()
        await touch(trx, plan.id)
        const version = await recordVersion(
          trx,
          plan,
          record.status === 'recorded' ? 'A review’s record corrected' : 'Review recorded',
          actor.userId,
          correlationId,
        )
        await recordPlanEvent(trx, actor, plan, 'plan-review-recorded', correlationId, {
          reviewId: record.id,
          version: version.number,
        })
        const [review] = await reviewRecords(trx, plan.id, record.id)
        return { outcome: 'recorded' as const, review: review as ReviewRecord, version: version.number }
      })
    },
  }
}

export type ReviewsService = ReturnType<typeof reviewsService>
