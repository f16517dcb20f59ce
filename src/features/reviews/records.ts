import type { Transaction } from 'kysely'
import type { Db } from '../../db/database.ts'
import type { Database } from '../../db/schema.ts'
import type { PlacementDates } from '../../plan/placement.ts'
import type { ReviewRecordKind, ReviewRecordStatus } from '../../plan/review-records.ts'
import type { SnapshotReview } from '../../plan/versions.ts'
import { todayInEngland } from '../../platform/dates.ts'
import { groupRead, mapRead, type Ref, readAlone, rowRead, rowsRead, toDate } from '../../platform/reads.ts'
import type { PlanIds } from '../plans/service.ts'

// Reading the placement's dates and the reviews' records, for the reviews' pages and API and for a
// version of the plan (snapshotOf). Knows nothing of who asks: the callers have checked.

type Executor = Db | Transaction<Database>

/** The plan as far as its placement needs it. */
export type PlanRef = { id: string; childId: string; familyId: string | null }

/** The match between the plan's child and family now, with its dates. */
export async function currentMatchOf(executor: Executor, plan: PlanRef) {
  if (!plan.familyId) return null
  return (
    (await executor
      .selectFrom('matches')
      .select(['id', 'placed_on', 'order_on', 'returned_on'])
      .where('child_id', '=', plan.childId)
      .where('family_id', '=', plan.familyId)
      .where('ended_at', 'is', null)
      .executeTakeFirst()) ?? null
  )
}

/**
 * The placement's dates: the authority to place on the plan, the rest on the match now. (The plan's
 * row is `placed` here, so that `plan` may name the columns of an enclosing query's `plans`.)
 */
export function placementRead(executor: Executor, plan: Pick<PlanIds, 'id' | 'childId' | 'familyId'>) {
  return rowRead(
    executor
      .selectFrom('plans as placed')
      .leftJoin('matches', (join) =>
        join
          .on('matches.child_id', '=', plan.childId)
          .on('matches.family_id', '=', plan.familyId as Ref<string>)
          .on('matches.ended_at', 'is', null),
      )
      .select([
        'placed.authority_to_place_on',
        'matches.placed_on',
        'matches.order_on',
        'matches.returned_on',
      ])
      .where('placed.id', '=', plan.id),
    (row): PlacementDates => {
      if (!row) throw new Error('The plan is not there to read its placement')
      return {
        authorityToPlaceOn: row.authority_to_place_on,
        placedOn: row.placed_on ?? null,
        orderOn: row.order_on ?? null,
        returnedOn: row.returned_on ?? null,
      }
    },
  )
}

export async function placementOf(executor: Executor, plan: PlanRef): Promise<PlacementDates> {
  return readAlone(executor, placementRead(executor, plan))
}

/** What the plan's front page shows of its reviews: the days they were recorded, and the placement. */
export function frontPageRead(executor: Executor, plan: PlanIds) {
  return mapRead(
    groupRead({
      recorded: rowsRead(
        executor
          .selectFrom('plan_reviews')
          .select('recorded_at')
          .where('plan_id', '=', plan.id)
          .where('recorded_at', 'is not', null),
        (rows) => rows.map((row) => toDate(row.recorded_at as string)),
      ),
      placement: placementRead(executor, plan),
    }),
    ({ recorded, placement }) => ({
      datesUpdated: datesUpdatedFrom(recorded),
      recorded: recorded.length,
      placement,
    }),
  )
}

export type ReviewRecord = {
  id: string
  kind: ReviewRecordKind
  reason: string | null
  status: ReviewRecordStatus
  startedAt: Date
  startedBy: string | null
  heldOn: string | null
  before: {
    needsChanged: string
    childViews: string
    adoptersViews: string
    by: string | null
    at: Date
  } | null
  after: { recommendations: string; visitFrequency: string; by: string | null; at: Date } | null
  recordedAt: Date | null
}

/** The plan's reviews, in the order they were started; or only the one asked for. */
export async function reviewRecords(
  executor: Executor,
  planId: string,
  reviewId?: string,
): Promise<ReviewRecord[]> {
  let query = executor
    .selectFrom('plan_reviews as r')
    .leftJoin('users as starter', 'starter.id', 'r.started_by')
    .leftJoin('users as before_writer', 'before_writer.id', 'r.before_by')
    .leftJoin('users as after_writer', 'after_writer.id', 'r.after_by')
    .select([
      'r.id',
      'r.kind',
      'r.reason',
      'r.status',
      'r.started_at',
      'starter.name as started_by_name',
      'r.needs_changed',
      'r.child_views',
      'r.adopters_views',
      'before_writer.name as before_by_name',
      'r.before_at',
      'r.held_on',
      'r.recommendations',
      'r.visit_frequency',
      'after_writer.name as after_by_name',
      'r.after_at',
      'r.recorded_at',
    ])
    .where('r.plan_id', '=', planId)
  if (reviewId) query = query.where('r.id', '=', reviewId)
  const rows = await query.orderBy('r.started_at').orderBy('r.id').execute()
  return rows.map((row) => ({
    id: row.id,
    kind: row.kind,
    reason: row.reason,
    status: row.status,
    startedAt: row.started_at,
    startedBy: row.started_by_name,
    heldOn: row.held_on,
    before: row.before_at
      ? {
          needsChanged: row.needs_changed ?? '',
          childViews: row.child_views ?? '',
          adoptersViews: row.adopters_views ?? '',
          by: row.before_by_name,
          at: row.before_at,
        }
      : null,
    after:
      row.after_at && row.status === 'recorded'
        ? {
            recommendations: row.recommendations ?? '',
            visitFrequency: row.visit_frequency ?? '',
            by: row.after_by_name,
            at: row.after_at,
          }
        : null,
    recordedAt: row.recorded_at,
  }))
}

/** The reviews as a version keeps them: the text of each part, who wrote it and when. */
export async function snapshotReviews(executor: Executor, planId: string): Promise<SnapshotReview[]> {
  const records = await reviewRecords(executor, planId)
  return records.map((record) => ({
    kind: record.kind,
    status: record.status,
    heldOn: record.heldOn,
    before: record.before && { ...record.before, at: record.before.at.toISOString() },
    after: record.after && { ...record.after, at: record.after.at.toISOString() },
  }))
}

/** The plan's "dates updated": each day a review was recorded, in England, oldest first. */
export async function datesUpdatedOf(executor: Executor, planId: string): Promise<string[]> {
  const rows = await executor
    .selectFrom('plan_reviews')
    .select('recorded_at')
    .where('plan_id', '=', planId)
    .where('recorded_at', 'is not', null)
    .execute()
  return datesUpdatedFrom(rows.map((row) => row.recorded_at as Date))
}

/** The days, in England, of the times reviews were recorded: each once, oldest first. */
export function datesUpdatedFrom(times: Date[]): string[] {
  return [...new Set(times.map((time) => todayInEngland(time)))].sort()
}
