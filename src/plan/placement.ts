import { formatDate, isRealDate } from '../platform/dates.ts'
import type { PlanStatus } from './lifecycle.ts'
import { type HeldReview, reviewScheduleProblems } from './reviews.ts'

// The placement's key dates (PUT /plans/{id}/placement and its page): when the agency was first
// authorised to place the child, when the child was placed, and how the placement ended, by the
// adoption order or the child's return. Pure: the plan's facts and the request come in, the problems
// go out, each a sentence a person can act on and the field it belongs to. The review schedule
// (src/plan/reviews.ts) is worked out from these dates, so they must make one.

export type PlacementDates = {
  authorityToPlaceOn: string | null
  placedOn: string | null
  orderOn: string | null
  returnedOn: string | null
}

export type PlacementField = keyof PlacementDates

/** What a person asks to record: a date left out (undefined) stays as it is; null clears it. */
export type PlacementRequest = { [field in PlacementField]?: string | null }

export type PlacementFacts = {
  status: PlanStatus
  hasFamily: boolean
  dateAgreed: string | null
  recorded: PlacementDates
  /** The reviews recorded as held: the new dates must still make a schedule with them. */
  held: readonly HeldReview[]
}

export type PlacementProblem = { field: PlacementField | null; text: string }

export const PLACEMENT_LABELS: Record<PlacementField, string> = {
  authorityToPlaceOn: 'The date of the authority to place',
  placedOn: 'The date of placement',
  orderOn: 'The date of the adoption order',
  returnedOn: 'The date the child was returned',
}

const FIELDS = Object.keys(PLACEMENT_LABELS) as PlacementField[]

/** The placement's dates once the request is applied. */
export function placementAfter(recorded: PlacementDates, request: PlacementRequest): PlacementDates {
  const after = { ...recorded }
  for (const field of FIELDS) {
    const value = request[field]
    if (value !== undefined) after[field] = value
  }
  return after
}

// The placement follows the plan agreed at the placement planning meeting; once the adoption order
// is made it is history, and the order's date belongs to the lifecycle's step that records it.
const AFTER_THE_ORDER: readonly PlanStatus[] = ['order-made', 'post-order']
const BEFORE_AGREED: readonly PlanStatus[] = ['draft', 'with-adopters', 'at-panel', 'match-approved']

/** Every reason the request cannot be recorded now; none means it may. `today` is an ISO date. */
export function placementProblems(
  facts: PlacementFacts,
  request: PlacementRequest,
  today: string,
): PlacementProblem[] {
  if (facts.status === 'closed')
    return [{ field: null, text: 'The plan is closed: its dates no longer change' }]
  const dateProblems = FIELDS.flatMap((field): PlacementProblem[] => {
    const value = request[field]
    if (value == null) return []
    if (!isRealDate(value)) return [{ field, text: `${PLACEMENT_LABELS[field]} must be a real date` }]
    return value > today ? [{ field, text: `${PLACEMENT_LABELS[field]} must be today or in the past` }] : []
  })
  if (dateProblems.length > 0) return dateProblems

  const changed = (field: PlacementField) =>
    request[field] !== undefined && request[field] !== facts.recorded[field]
  const after = placementAfter(facts.recorded, request)
  const orderMade = AFTER_THE_ORDER.includes(facts.status)
  const problems: PlacementProblem[] = []
  if (changed('orderOn'))
    problems.push({
      field: 'orderOn',
      text: 'The adoption order is recorded with the plan’s step “Record the adoption order”',
    })
  if (changed('placedOn')) {
    if (after.placedOn === null)
      problems.push({
        field: 'placedOn',
        text: 'A placement cannot be taken back: record the date the child was returned instead',
      })
    else if (orderMade)
      problems.push({
        field: 'placedOn',
        text: 'The adoption order has been made: the placement no longer changes',
      })
    else if (!facts.hasFamily)
      problems.push({
        field: 'placedOn',
        text: 'Match the child with a family before recording the placement',
      })
    else if (BEFORE_AGREED.includes(facts.status))
      problems.push({
        field: 'placedOn',
        text: 'Record the plan as agreed at the placement planning meeting before the placement',
      })
    else if (facts.dateAgreed && after.placedOn < facts.dateAgreed)
      problems.push({
        field: 'placedOn',
        text: `The date of placement must be the same as or after the date the plan was agreed (${formatDate(facts.dateAgreed)})`,
      })
  }
  if (changed('returnedOn') && orderMade)
    problems.push({
      field: 'returnedOn',
      text: 'The adoption order has been made: the child can no longer be returned to the agency',
    })
  if (problems.length > 0) return problems

  // The dates must still make a review schedule with the reviews already held (reviews.ts says why not).
  return reviewScheduleProblems({ ...after, held: facts.held }).map((text) => ({
    field: text.includes('return')
      ? 'returnedOn'
      : text.includes('authority to place') && changed('authorityToPlaceOn')
        ? 'authorityToPlaceOn'
        : text.includes('adoption order')
          ? 'orderOn'
          : 'placedOn',
    text,
  }))
}
