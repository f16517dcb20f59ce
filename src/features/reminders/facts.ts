import type { Transaction } from 'kysely'
import type { Db } from '../../db/database.ts'
import type { Database } from '../../db/schema.ts'
import { PLAN_STATUSES, type PlanStatus } from '../../plan/lifecycle.ts'
import { type Audience, type Reminder, type ReminderFacts, remindersFor } from '../../plan/reminders.ts'
import type { ReviewRecordDates } from '../../plan/review-records.ts'
import { scheduleView } from '../../plan/review-records.ts'
import { todayInEngland } from '../../platform/dates.ts'
import { PLAN_STATUSES_SHARED_WITH_ADOPTERS } from '../../platform/policy.ts'

// The facts the reminders are worked out from (src/plan/reminders.ts), for many plans at once: a
// handful of queries for the whole set, never one per plan, so the sweep over every agency and a
// team manager's page over a whole agency cost the same few round trips. Nothing here is stored:
// the next review's due date comes from the placement's dates and the reviews held (the same
// scheduleView the schedule page shows), unanswered from the comments' and requests' own rows, and
// who a reminder is for from the allocations and roles as they are now (docs/adr/0018).

type Executor = Db | Transaction<Database>

/** The reviews are reminded of once the plan is agreed, until the order (which stops the schedule). */
export const REVIEW_REMINDER_STATUSES: readonly PlanStatus[] = ['agreed', 'order-made']
/** Comments and review requests are reminded of while the adopters can see the plan. */
export const ANSWER_REMINDER_STATUSES: readonly string[] = PLAN_STATUSES_SHARED_WITH_ADOPTERS
/** Every status in which a plan can have a reminder. */
export const REMINDER_STATUSES: readonly string[] = [
  ...new Set([...REVIEW_REMINDER_STATUSES, ...ANSWER_REMINDER_STATUSES]),
]
/** Every status but closed: what a caseload shows. */
export const OPEN_STATUSES: readonly string[] = PLAN_STATUSES.filter((status) => status !== 'closed')

export type Recipient = { userId: string; email: string }

export type PlanReminders = {
  planId: string
  agencyId: string
  childId: string
  child: { firstName: string; lastName: string }
  status: string
  /** The schedule's next review due date (shown on caseloads in any status); null when none. */
  nextReviewDueOn: string | null
  /** What the reminder rules were given: the review's date only where reviews are reminded of. */
  facts: ReminderFacts
  reminders: Reminder[]
  /** Who each audience is for this plan, as things stand now. */
  people: Record<Audience, Recipient[]>
}

export type FactsScope = {
  /** One agency's plans; every agency's when left out (the sweep). */
  agencyId?: string
  /** Only the plans of the children on this person's case: allocated to them, or whose plan they lead. */
  caseOf?: string
  /** Only these plans. */
  planIds?: readonly string[]
  /** The statuses to look at; every status that can have a reminder when left out. */
  statuses?: readonly string[]
}

const CHUNK = 500

/** Runs a query over ids a chunk at a time, so that no statement carries thousands of parameters. */
async function inChunks<T>(ids: readonly string[], query: (chunk: string[]) => Promise<T[]>): Promise<T[]> {
  const unique = [...new Set(ids)]
  const rows: T[] = []
  for (let start = 0; start < unique.length; start += CHUNK)
    rows.push(...(await query(unique.slice(start, start + CHUNK))))
  return rows
}

function groupBy<T>(rows: readonly T[], key: (row: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>()
  for (const row of rows) {
    const group = groups.get(key(row))
    if (group) group.push(row)
    else groups.set(key(row), [row])
  }
  return groups
}

/** The next review due by the plan's schedule; null when none is, or the dates make no schedule. */
function nextReviewDue(
  placement: Parameters<typeof scheduleView>[0],
  records: readonly ReviewRecordDates[],
  today: string,
): string | null {
  try {
    return scheduleView(placement, records, today).next?.dueOn ?? null
  } catch (error) {
    // Dates that make no schedule are refused where they are entered; old rows are shown, not reminded.
    if (error instanceof RangeError) return null
    throw error
  }
}

/** The plans in scope with their reminders on `today`, ordered by the child's name. */
export async function reminderFacts(
  executor: Executor,
  scope: FactsScope,
  today: string,
): Promise<PlanReminders[]> {
  if (scope.planIds && scope.planIds.length === 0) return []
  let query = executor
    .selectFrom('plans')
    .innerJoin('children', 'children.id', 'plans.child_id')
    // The match between the plan's child and family now: its dates are the placement's.
    .leftJoin('matches', (join) =>
      join
        .onRef('matches.child_id', '=', 'plans.child_id')
        .onRef('matches.family_id', '=', 'plans.family_id')
        .on('matches.ended_at', 'is', null),
    )
    .select([
      'plans.id',
      'plans.agency_id',
      'plans.child_id',
      'plans.status',
      'plans.lead_worker_id',
      'plans.authority_to_place_on',
      'children.first_name',
      'children.last_name',
      'matches.placed_on',
      'matches.order_on',
      'matches.returned_on',
    ])
    .where('plans.status', 'in', [...(scope.statuses ?? REMINDER_STATUSES)])
  if (scope.agencyId) query = query.where('plans.agency_id', '=', scope.agencyId)
  if (scope.planIds) query = query.where('plans.id', 'in', [...scope.planIds])
  if (scope.caseOf) {
    // The person's plans first, each way by its own index; then the facts of those plans alone. As
    // one condition ("leads it or is allocated") the planner cannot count the rows, and reads every
    // child and match in the country to join a caseload of thirty.
    const person = scope.caseOf
    const led = executor.selectFrom('plans').select('plans.id').where('plans.lead_worker_id', '=', person)
    const allocated = executor
      .selectFrom('allocations')
      .innerJoin('plans', 'plans.child_id', 'allocations.child_id')
      .select('plans.id')
      .where('allocations.user_id', '=', person)
      .where('allocations.ended_at', 'is', null)
    const ids = (await led.union(allocated).execute()).map((row) => row.id)
    if (ids.length === 0) return []
    query = query.where('plans.id', 'in', ids)
  }
  const plans = await query
    .orderBy('children.last_name')
    .orderBy('children.first_name')
    .orderBy('plans.id')
    .execute()
  if (plans.length === 0) return []
  const planIds = plans.map((plan) => plan.id)

  const reviews = await inChunks(planIds, (chunk) =>
    executor
      .selectFrom('plan_reviews')
      .select(['id', 'plan_id', 'kind', 'status', 'held_on', 'started_at'])
      .where('plan_id', 'in', chunk)
      .where('status', '=', 'recorded')
      .orderBy('started_at')
      .execute(),
  )
  // Unanswered: neither resolved nor answered by a member of staff (docs/adr/0018).
  const comments = await inChunks(planIds, (chunk) =>
    executor
      .selectFrom('plan_comments')
      .select(['id', 'plan_id', 'written_at'])
      .where('plan_id', 'in', chunk)
      .where('resolved_at', 'is', null)
      .where(({ not, exists, selectFrom }) =>
        not(
          exists(
            selectFrom('plan_comment_replies')
              .select('plan_comment_replies.id')
              .whereRef('plan_comment_replies.comment_id', '=', 'plan_comments.id')
              .where('plan_comment_replies.author_kind', '=', 'staff'),
          ),
        ),
      )
      .orderBy('written_at')
      .execute(),
  )
  const requests = await inChunks(planIds, (chunk) =>
    executor
      .selectFrom('plan_review_requests')
      .select(['id', 'plan_id', 'asked_at'])
      .where('plan_id', 'in', chunk)
      .where('answered_at', 'is', null)
      .orderBy('asked_at')
      .execute(),
  )
  // The people, as they are now: only active accounts are reminded.
  const allocated = await inChunks(
    plans.map((plan) => plan.child_id),
    (chunk) =>
      executor
        .selectFrom('allocations')
        .innerJoin('users', 'users.id', 'allocations.user_id')
        .select(['allocations.child_id', 'users.id', 'users.email', 'users.role'])
        .where('allocations.child_id', 'in', chunk)
        .where('allocations.ended_at', 'is', null)
        .where('users.active', '=', true)
        .where('users.role', 'in', ['social-worker', 'iro'])
        .orderBy('allocations.allocated_at')
        .execute(),
  )
  const leads = await inChunks(
    plans.flatMap((plan) => (plan.lead_worker_id ? [plan.lead_worker_id] : [])),
    (chunk) =>
      executor
        .selectFrom('users')
        .select(['id', 'email', 'agency_id'])
        .where('id', 'in', chunk)
        .where('active', '=', true)
        .where('role', '=', 'social-worker')
        .execute(),
  )
  const managers = await inChunks(
    plans.map((plan) => plan.agency_id),
    (chunk) =>
      executor
        .selectFrom('users')
        .select(['id', 'email', 'agency_id'])
        .where('agency_id', 'in', chunk)
        .where('active', '=', true)
        .where('role', '=', 'team-manager')
        .orderBy('name')
        .execute(),
  )

  const reviewsOf = groupBy(reviews, (row) => row.plan_id)
  const commentsOf = groupBy(comments, (row) => row.plan_id)
  const requestsOf = groupBy(requests, (row) => row.plan_id)
  const allocatedTo = groupBy(allocated, (row) => row.child_id)
  const managersOf = groupBy(managers, (row) => row.agency_id)
  const leadById = new Map(leads.map((lead) => [lead.id, lead]))
  const recipient = (row: { id: string; email: string }): Recipient => ({ userId: row.id, email: row.email })
  const unique = (people: Recipient[]) => [...new Map(people.map((one) => [one.userId, one])).values()]

  return plans.map((plan) => {
    const next = nextReviewDue(
      {
        authorityToPlaceOn: plan.authority_to_place_on,
        placedOn: plan.placed_on,
        orderOn: plan.order_on,
        returnedOn: plan.returned_on,
      },
      (reviewsOf.get(plan.id) ?? []).map((row) => ({
        id: row.id,
        kind: row.kind,
        status: row.status,
        heldOn: row.held_on,
        startedAt: row.started_at,
      })),
      today,
    )
    const answersDue = ANSWER_REMINDER_STATUSES.includes(plan.status)
    const facts: ReminderFacts = {
      planId: plan.id,
      nextReviewDueOn: REVIEW_REMINDER_STATUSES.includes(plan.status as PlanStatus) ? next : null,
      comments: answersDue
        ? (commentsOf.get(plan.id) ?? []).map((row) => ({
            id: row.id,
            madeOn: todayInEngland(row.written_at),
            answered: false,
          }))
        : [],
      reviewRequests: answersDue
        ? (requestsOf.get(plan.id) ?? []).map((row) => ({
            id: row.id,
            madeOn: todayInEngland(row.asked_at),
            answered: false,
          }))
        : [],
    }
    const onCase = allocatedTo.get(plan.child_id) ?? []
    const lead = plan.lead_worker_id ? leadById.get(plan.lead_worker_id) : undefined
    return {
      planId: plan.id,
      agencyId: plan.agency_id,
      childId: plan.child_id,
      child: { firstName: plan.first_name, lastName: plan.last_name },
      status: plan.status,
      nextReviewDueOn: next,
      facts,
      reminders: remindersFor(facts, today),
      people: {
        worker: unique([
          ...onCase.filter((row) => row.role === 'social-worker').map(recipient),
          // The plan's lead worker, when still a social worker of the plan's agency.
          ...(lead && lead.agency_id === plan.agency_id ? [recipient(lead)] : []),
        ]),
        iro: unique(onCase.filter((row) => row.role === 'iro').map(recipient)),
        'team-manager': unique((managersOf.get(plan.agency_id) ?? []).map(recipient)),
      },
    }
  })
}

/** The people a reminder of this plan is for: each of its audiences, each person once. */
export function recipientsOf(plan: PlanReminders, reminder: Reminder): Recipient[] {
  const people = reminder.audience.flatMap((audience) => plan.people[audience])
  return [...new Map(people.map((one) => [one.userId, one])).values()]
}
