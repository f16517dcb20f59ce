import { z } from 'zod'
import { formatDate } from '../platform/dates.ts'
import type { PlanStatus } from './lifecycle.ts'
import type { PlacementDates } from './placement.ts'
import {
  type HeldReview,
  type ReviewSchedule,
  type ReviewState,
  reviewSchedule,
  reviewScheduleProblems,
  reviewState,
  type ScheduledReview,
} from './reviews.ts'

// The records of the reviews (section 5 of the plan, "Review of the plan"): which kinds there are,
// what each part holds, when one may be started and recorded, and how the records sit in the
// schedule src/plan/reviews.ts works out. Pure, like the schedule: the page, the API and the tests
// read the same rules.

export const REVIEW_RECORD_KINDS = ['scheduled', 'extra-requested', 'urgent'] as const
export type ReviewRecordKind = (typeof REVIEW_RECORD_KINDS)[number]

export const REVIEW_KIND_NAMES: Record<ReviewRecordKind, string> = {
  scheduled: 'The review that is due',
  'extra-requested': 'An extra review, asked for by the adopters',
  urgent: 'An urgent review',
}

/** How a record counts in the schedule: an extra review is a review (docs/adr/0013). */
export function heldReviewOf(kind: ReviewRecordKind, heldOn: string): HeldReview {
  if (kind === 'scheduled') return { heldOn, kind: 'statutory' }
  return { heldOn, kind: 'extra', reason: kind === 'urgent' ? 'urgent' : 'adopters-request' }
}

/** preparing: the worker's part is not written yet; ready: it is; recorded: the IRO recorded the review. */
export type ReviewRecordStatus = 'preparing' | 'ready' | 'recorded'

export const REVIEW_STATUS_NAMES: Record<ReviewRecordStatus, string> = {
  preparing: 'Before-review part to write',
  ready: 'Waiting for the reviewing officer',
  recorded: 'Recorded',
}

const PART_MAX = 20_000
const text = (empty: string, label: string) =>
  z
    .string(empty)
    .trim()
    .min(1, empty)
    .max(PART_MAX, `${label} must be ${PART_MAX.toLocaleString('en-GB')} characters or fewer`)

/** The social worker's part, written before the review. */
export const beforePart = z.object({
  needsChanged: text(
    'Enter how the child’s and the family’s needs have changed',
    'How the needs have changed',
  ),
  childViews: text('Enter the child’s views, or why they could not be given', 'The child’s views'),
  adoptersViews: text('Enter the adopters’ views', 'The adopters’ views'),
})
export type BeforePart = z.output<typeof beforePart>
export const BEFORE_FIELDS = ['needsChanged', 'childViews', 'adoptersViews'] as const

/** The independent reviewing officer's part, written after the review; `heldOn` is checked apart. */
export const afterPart = z.object({
  recommendations: text(
    'Enter the review’s recommendations that add to or change the support',
    'The recommendations',
  ),
  visitFrequency: text('Enter how often the social worker visits until the next review', 'The visits'),
})
export type AfterPart = z.output<typeof afterPart>
export const AFTER_FIELDS = ['heldOn', 'recommendations', 'visitFrequency'] as const

/** A reason for an extra review, kept short: the detail goes in the before-review part. */
export const REASON_MAX = 2000

export type StartFacts = {
  status: PlanStatus
  placement: PlacementDates
  /** A review is started and not yet recorded. */
  open: boolean
}

/** Why no review can be started now; none means one may. */
export function startReviewProblems(facts: StartFacts): string[] {
  const { placement } = facts
  if (facts.status === 'closed') return ['The plan is closed']
  if (placement.orderOn)
    return [`The adoption order was made on ${formatDate(placement.orderOn)}: the reviews have stopped`]
  if (placement.returnedOn)
    return [`The child was returned on ${formatDate(placement.returnedOn)}: the reviews have stopped`]
  if (!placement.placedOn && !placement.authorityToPlaceOn)
    return ['Record the placement, or the date of the authority to place, before starting a review']
  if (facts.open) return ['A review is already being prepared: record it before starting another']
  return []
}

export type RecordFacts = {
  placement: PlacementDates
  /** The other reviews recorded as held. */
  held: readonly HeldReview[]
  beforeWritten: boolean
  kind: ReviewRecordKind
}

/** Why the review cannot be recorded as held on `heldOn`; none means it may. */
export function recordReviewProblems(facts: RecordFacts, heldOn: string, today: string): string[] {
  if (!facts.beforeWritten) return ['The social worker writes the before-review part first']
  if (heldOn > today) return ['The date of the review must be today or in the past']
  const held = [...facts.held, heldReviewOf(facts.kind, heldOn)]
  return reviewScheduleProblems({ ...facts.placement, held })
}

/** A review as stored, as far as the schedule needs it. */
export type ReviewRecordDates = {
  id: string
  kind: ReviewRecordKind
  status: ReviewRecordStatus
  heldOn: string | null
  startedAt: Date
}

export type ScheduleEntry = ScheduledReview & { state: ReviewState; reviewId: string | null }

export type ScheduleView = Omit<ReviewSchedule, 'reviews' | 'next'> & {
  reviews: ScheduleEntry[]
  next: ScheduleEntry | null
  /** The review started and not yet recorded, if any: it fills the next one due. */
  open: ReviewRecordDates | null
}

/**
 * The schedule with each review held linked to its record, and how each stands on `today`. The
 * records are passed in date order (then in the order they were started), as reviewSchedule keeps
 * them, so the n-th review held is the n-th record.
 */
export function scheduleView(
  placement: PlacementDates,
  records: readonly ReviewRecordDates[],
  today: string,
): ScheduleView {
  const recorded = records
    .filter((record) => record.status === 'recorded' && record.heldOn)
    .sort((a, b) =>
      a.heldOn === b.heldOn
        ? a.startedAt.getTime() - b.startedAt.getTime()
        : (a.heldOn as string) < (b.heldOn as string)
          ? -1
          : 1,
    )
  const schedule = reviewSchedule({
    ...placement,
    held: recorded.map((record) => heldReviewOf(record.kind, record.heldOn as string)),
  })
  let heldIndex = 0
  const reviews = schedule.reviews.map((review): ScheduleEntry => {
    const record = review.heldOn ? recorded[heldIndex++] : undefined
    return { ...review, state: reviewState(review, today), reviewId: record?.id ?? null }
  })
  const next = schedule.next ? (reviews.at(-1) as ScheduleEntry) : null
  return {
    reviews,
    next,
    stopped: schedule.stopped,
    open: records.find((record) => record.status !== 'recorded') ?? null,
  }
}
