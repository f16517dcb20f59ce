import { addDays, addMonths, formatDate, isRealDate } from '../platform/dates.ts'

// When the child's case must be reviewed (Adoption Agencies Regulations 2005, reg 36), worked out
// from the dates reviews were actually held. Pure: the dates come in, the schedule goes out, so the
// plan's page, the reminders and the tests read the same rules. Dates are ISO `YYYY-MM-DD`.
// The regulation's periods are maxima ("not more than"), so any review held, extra ones included,
// satisfies the one due and starts the next period; the choices are in docs/adr/0013.

/** A review not held is "due soon" from this many days before its date; the reminders use it too. */
export const REVIEW_DUE_SOON_DAYS = 14

export type ReviewKind = 'statutory' | 'extra'
export type ExtraReviewReason = 'adopters-request' | 'urgent' | 'other'
export type ReviewPhase = 'before-placement' | 'after-placement'

export type HeldReview = { heldOn: string; kind: ReviewKind; reason?: ExtraReviewReason | null }

export type ScheduleInput = {
  authorityToPlaceOn?: string | null
  placedOn?: string | null
  orderOn?: string | null
  returnedOn?: string | null
  held: readonly HeldReview[]
}

export type ScheduledReview = {
  /** Counted from 1 in each phase: "the first review" after placement is number 1. */
  number: number
  phase: ReviewPhase
  /** The last day the regulation allows for it, counted from the review held before it. */
  dueOn: string
  heldOn: string | null
  kind: ReviewKind
  reason: ExtraReviewReason | null
  /** The rule that set `dueOn`, in words: "within 4 weeks of placement". */
  rule: string
}

export type ReviewStop = { reason: 'order-made' | 'returned'; on: string }

export type ReviewSchedule = {
  /** Every review held, in date order, then the next one due (if any). */
  reviews: ScheduledReview[]
  next: ScheduledReview | null
  stopped: ReviewStop | null
}

export type ReviewState = 'held' | 'due-soon' | 'overdue' | 'upcoming'

type Rule = { words: string; dueAfter: (from: string) => string }

// The rules of each phase in order; the last one repeats.
const RULES: Record<ReviewPhase, readonly Rule[]> = {
  'before-placement': [
    // AAR 2005 reg 36(1)(a): not more than 3 months after the agency first has authority to place
    { words: 'within 3 months of the authority to place', dueAfter: (from) => addMonths(from, 3) },
    // AAR 2005 reg 36(1)(b): then not more than 6 months after the previous review, until placed
    { words: 'within 6 months of the previous review', dueAfter: (from) => addMonths(from, 6) },
  ],
  'after-placement': [
    // AAR 2005 reg 36(3)(a): first review within 4 weeks of placement; 4 weeks is 28 days
    { words: 'within 4 weeks of placement', dueAfter: (from) => addDays(from, 28) },
    // AAR 2005 reg 36(3)(b): not more than 3 months after the first review
    { words: 'within 3 months of the first review', dueAfter: (from) => addMonths(from, 3) },
    // AAR 2005 reg 36(3)(c): then not more than 6 months after the previous review
    { words: 'within 6 months of the previous review', dueAfter: (from) => addMonths(from, 6) },
  ],
}

/** What is wrong with the dates, as sentences a person can act on; none means the schedule can be worked out. */
export function reviewScheduleProblems(input: ScheduleInput): string[] {
  const { authorityToPlaceOn, placedOn, orderOn, returnedOn } = input
  const notReal = (date: string | null | undefined, what: string) =>
    date != null && !isRealDate(date) ? [`${what} must be a real date`] : []
  const dateProblems = [
    ...notReal(authorityToPlaceOn, 'The date of the authority to place'),
    ...notReal(placedOn, 'The date of placement'),
    ...notReal(orderOn, 'The date of the adoption order'),
    ...notReal(returnedOn, 'The date the child was returned'),
    ...(input.held.every((review) => isRealDate(review.heldOn))
      ? []
      : ['Each review’s date must be a real date']),
  ]
  if (dateProblems.length > 0) return dateProblems
  const ends = [
    { date: orderOn, what: 'The adoption order' },
    { date: returnedOn, what: 'The child’s return' },
  ].filter((end) => end.date)
  return [
    ...input.held
      .filter((review) => review.kind !== 'statutory' && review.kind !== 'extra')
      .map((review) => `The review on ${formatDate(review.heldOn)} must be statutory or extra`),
    ...(orderOn && returnedOn ? ['Record either the adoption order or the child’s return, not both'] : []),
    ...ends.flatMap(({ date, what }) =>
      !placedOn
        ? [`${what} needs the date of placement`]
        : date && date < placedOn
          ? [`${what} must be on or after the date of placement`]
          : [],
    ),
    // Before placement the only clock is the authority to place (reg 36(1)): a review held before
    // it, or with no authority recorded, has no place in the schedule.
    ...input.held
      .filter((review) => isBeforePlacement(review, placedOn))
      .filter((review) => !authorityToPlaceOn || review.heldOn < authorityToPlaceOn)
      .map((review) =>
        authorityToPlaceOn
          ? `The review on ${formatDate(review.heldOn)} is before the authority to place`
          : `The review on ${formatDate(review.heldOn)} is before placement, so it needs the date of the authority to place`,
      ),
  ]
}

/**
 * The reviews held and the next one due. The next is always counted from the last review held (or
 * from the placement, or the authority to place); nothing is due once the order is made or the
 * child is returned. Throws a RangeError, with `reviewScheduleProblems`' sentences, on bad dates.
 */
export function reviewSchedule(input: ScheduleInput): ReviewSchedule {
  const problems = reviewScheduleProblems(input)
  if (problems.length > 0) throw new RangeError(`No review schedule: ${problems.join('; ')}`)
  const { authorityToPlaceOn, placedOn } = input
  const held = [...input.held].sort((a, b) => (a.heldOn < b.heldOn ? -1 : a.heldOn > b.heldOn ? 1 : 0))
  const before = authorityToPlaceOn
    ? phaseSchedule(
        'before-placement',
        authorityToPlaceOn,
        held.filter((review) => isBeforePlacement(review, placedOn)),
      )
    : { reviews: [], next: null }
  const after = placedOn
    ? phaseSchedule(
        'after-placement',
        placedOn,
        held.filter((review) => !isBeforePlacement(review, placedOn)),
      )
    : null
  const stopped = stoppedBy(input)
  const next = stopped ? null : (after ?? before).next
  return { reviews: [...before.reviews, ...(after?.reviews ?? []), ...(next ? [next] : [])], next, stopped }
}

/** How a review stands on `today`: held, or how close its due date is. */
export function reviewState(review: Pick<ScheduledReview, 'dueOn' | 'heldOn'>, today: string): ReviewState {
  if (!isRealDate(today)) throw new RangeError(`Today must be a real ISO date: ${today}`)
  if (review.heldOn) return 'held'
  if (review.dueOn < today) return 'overdue'
  return review.dueOn <= addDays(today, REVIEW_DUE_SOON_DAYS) ? 'due-soon' : 'upcoming'
}

// A review held on the day of placement is the first review after it.
function isBeforePlacement(review: HeldReview, placedOn: string | null | undefined): boolean {
  return !placedOn || review.heldOn < placedOn
}

// One phase: each review held fills the review then due, and the next is due from the last held.
function phaseSchedule(
  phase: ReviewPhase,
  start: string,
  held: readonly HeldReview[],
): { reviews: ScheduledReview[]; next: ScheduledReview } {
  let from = start
  const reviews = held.map((review, index) => {
    const scheduled = due(phase, index + 1, from, review)
    from = review.heldOn
    return scheduled
  })
  return { reviews, next: due(phase, held.length + 1, from, null) }
}

function due(phase: ReviewPhase, number: number, from: string, held: HeldReview | null): ScheduledReview {
  const rules = RULES[phase]
  const rule = rules[Math.min(number, rules.length) - 1] as Rule
  return {
    number,
    phase,
    dueOn: rule.dueAfter(from),
    heldOn: held?.heldOn ?? null,
    kind: held?.kind ?? 'statutory',
    reason: held?.kind === 'extra' ? (held.reason ?? null) : null,
    rule: rule.words,
  }
}

// AAR 2005 reg 36(3): reviews after placement continue "unless the child is returned to the agency
// by the prospective adopter or an adoption order is made".
function stoppedBy({ orderOn, returnedOn }: ScheduleInput): ReviewStop | null {
  if (orderOn) return { reason: 'order-made', on: orderOn }
  if (returnedOn) return { reason: 'returned', on: returnedOn }
  return null
}
