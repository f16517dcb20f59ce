import assert from 'node:assert/strict'
import { test } from 'node:test'
import fc from 'fast-check'
import { addDays } from '../platform/dates.ts'
import {
  type HeldReview,
  REVIEW_DUE_SOON_DAYS,
  reviewSchedule,
  reviewScheduleProblems,
  reviewState,
  type ScheduledReview,
} from './reviews.ts'

const statutory = (heldOn: string): HeldReview => ({ heldOn, kind: 'statutory' })
const dates = (reviews: ScheduledReview[]) => reviews.map(({ dueOn, heldOn }) => [dueOn, heldOn])

test('placed with no review held yet: the first is due 4 weeks (28 days) after placement', () => {
  const schedule = reviewSchedule({ placedOn: '2025-03-03', held: [] })
  const first = {
    number: 1,
    phase: 'after-placement',
    dueOn: '2025-03-31',
    heldOn: null,
    kind: 'statutory',
    reason: null,
    rule: 'within 4 weeks of placement',
  }
  assert.deepEqual(schedule, { reviews: [first], next: first, stopped: null })
})

test('each review is due from the one actually held before it, early or late', () => {
  const schedule = reviewSchedule({
    placedOn: '2025-01-06',
    // Given out of order: the schedule puts them in date order.
    held: [statutory('2025-05-12'), statutory('2025-01-20'), statutory('2025-10-01')],
  })
  assert.deepEqual(dates(schedule.reviews), [
    ['2025-02-03', '2025-01-20'], // early: two weeks after placement
    ['2025-04-20', '2025-05-12'], // late: 3 months from the actual first, held 3 weeks after
    ['2025-11-12', '2025-10-01'], // 6 months from the late second, held early
    ['2026-04-01', null], // 6 months from the early third
  ])
  assert.deepEqual(
    schedule.reviews.map((review) => [review.number, review.rule]),
    [
      [1, 'within 4 weeks of placement'],
      [2, 'within 3 months of the first review'],
      [3, 'within 6 months of the previous review'],
      [4, 'within 6 months of the previous review'],
    ],
  )
  assert.equal(schedule.next, schedule.reviews.at(-1))
})

test('an extra review counts as a review: the next is due from it', () => {
  const schedule = reviewSchedule({
    placedOn: '2025-01-06',
    held: [statutory('2025-01-27'), { heldOn: '2025-03-10', kind: 'extra', reason: 'adopters-request' }],
  })
  assert.deepEqual(schedule.reviews[1], {
    number: 2,
    phase: 'after-placement',
    dueOn: '2025-04-27',
    heldOn: '2025-03-10',
    kind: 'extra',
    reason: 'adopters-request',
    rule: 'within 3 months of the first review',
  })
  assert.deepEqual(schedule.next && [schedule.next.number, schedule.next.dueOn, schedule.next.kind], [
    3,
    '2025-09-10',
    'statutory',
  ])
  const urgentFirst = reviewSchedule({
    placedOn: '2025-01-06',
    held: [{ heldOn: '2025-01-09', kind: 'extra', reason: 'urgent' }],
  })
  assert.deepEqual(urgentFirst.next && [urgentFirst.next.number, urgentFirst.next.dueOn], [2, '2025-04-09'])
})

test('month ends: the day of the month is kept, or the month’s last day when it has none', () => {
  const placedEndOfJanuary = reviewSchedule({
    placedOn: '2025-01-31',
    held: [statutory('2025-02-28'), statutory('2025-05-28')],
  })
  assert.deepEqual(dates(placedEndOfJanuary.reviews), [
    ['2025-02-28', '2025-02-28'],
    ['2025-05-28', '2025-05-28'], // 3 months from 28 February is 28 May, not the end of May
    ['2025-11-28', null],
  ])
  const leapYear = reviewSchedule({
    placedOn: '2023-11-02',
    held: [statutory('2023-11-30'), statutory('2024-02-29'), statutory('2024-08-31')],
  })
  assert.deepEqual(dates(leapYear.reviews), [
    ['2023-11-30', '2023-11-30'],
    ['2024-02-29', '2024-02-29'], // 30 November + 3 months, in a leap year
    ['2024-08-29', '2024-08-31'],
    ['2025-02-28', null], // 31 August + 6 months, not a leap year
  ])
  const notLeapYear = reviewSchedule({ placedOn: '2024-11-02', held: [statutory('2024-11-30')] })
  assert.equal(notLeapYear.next?.dueOn, '2025-02-28')
  assert.equal(reviewSchedule({ placedOn: '2024-01-31', held: [] }).next?.dueOn, '2024-02-28')
  assert.equal(reviewSchedule({ authorityToPlaceOn: '2025-01-31', held: [] }).next?.dueOn, '2025-04-30')
  assert.equal(reviewSchedule({ authorityToPlaceOn: '2024-01-31', held: [] }).next?.dueOn, '2024-04-30')
  assert.equal(reviewSchedule({ authorityToPlaceOn: '2023-11-30', held: [] }).next?.dueOn, '2024-02-29')
})

test('the adoption order stops the schedule: nothing more is due, the reviews held stay', () => {
  const held = [statutory('2025-02-01'), statutory('2025-04-20')]
  const schedule = reviewSchedule({ placedOn: '2025-01-06', orderOn: '2025-06-15', held })
  assert.deepEqual(schedule.stopped, { reason: 'order-made', on: '2025-06-15' })
  assert.equal(schedule.next, null)
  assert.deepEqual(dates(schedule.reviews), [
    ['2025-02-03', '2025-02-01'],
    ['2025-05-01', '2025-04-20'],
  ])
  // A review that was due before the order and never held is no longer due either.
  const missed = reviewSchedule({ placedOn: '2025-01-06', orderOn: '2025-03-01', held: [] })
  assert.deepEqual([missed.reviews, missed.next], [[], null])
  // A review held on or after the day of the order is still kept.
  const onTheDay = reviewSchedule({
    placedOn: '2025-01-06',
    orderOn: '2025-02-01',
    held: [statutory('2025-02-01')],
  })
  assert.deepEqual(dates(onTheDay.reviews), [['2025-02-03', '2025-02-01']])
})

test('the child returned stops the schedule the same way', () => {
  const schedule = reviewSchedule({ placedOn: '2025-01-06', returnedOn: '2025-01-20', held: [] })
  assert.deepEqual(schedule, { reviews: [], next: null, stopped: { reason: 'returned', on: '2025-01-20' } })
  const afterOne = reviewSchedule({
    placedOn: '2025-01-06',
    returnedOn: '2025-05-01',
    held: [statutory('2025-02-03')],
  })
  assert.deepEqual([afterOne.reviews.length, afterOne.next, afterOne.stopped?.reason], [1, null, 'returned'])
})

test('before placement: 3 months after the authority to place, then 6-monthly, until placement', () => {
  const authorityToPlaceOn = '2024-10-15'
  const waiting = reviewSchedule({ authorityToPlaceOn, held: [] })
  assert.deepEqual(waiting.next, {
    number: 1,
    phase: 'before-placement',
    dueOn: '2025-01-15',
    heldOn: null,
    kind: 'statutory',
    reason: null,
    rule: 'within 3 months of the authority to place',
  })
  const held = [statutory('2025-01-10'), statutory('2025-07-01')]
  const stillWaiting = reviewSchedule({ authorityToPlaceOn, held })
  assert.deepEqual(dates(stillWaiting.reviews), [
    ['2025-01-15', '2025-01-10'],
    ['2025-07-10', '2025-07-01'],
    ['2026-01-01', null],
  ])
  assert.equal(stillWaiting.next?.rule, 'within 6 months of the previous review')
  // Placed: the reviews held before stay in their phase; the next follows the placement rule.
  const placed = reviewSchedule({ authorityToPlaceOn, placedOn: '2025-09-01', held })
  assert.deepEqual(
    placed.reviews.map((review) => [review.phase, review.number, review.dueOn, review.heldOn]),
    [
      ['before-placement', 1, '2025-01-15', '2025-01-10'],
      ['before-placement', 2, '2025-07-10', '2025-07-01'],
      ['after-placement', 1, '2025-09-29', null],
    ],
  )
  // A review held on the day of placement is the first review after it.
  const onPlacementDay = reviewSchedule({
    authorityToPlaceOn,
    placedOn: '2025-09-01',
    held: [...held, statutory('2025-09-01')],
  })
  assert.deepEqual(onPlacementDay.next && [onPlacementDay.next.phase, onPlacementDay.next.number], [
    'after-placement',
    2,
  ])
  // Placed before the authority to place (reg 35(3), a baby under 6 weeks): no review before placement.
  const placedFirst = reviewSchedule({ authorityToPlaceOn: '2025-03-01', placedOn: '2025-02-01', held: [] })
  assert.deepEqual(dates(placedFirst.reviews), [['2025-03-01', null]])
  assert.deepEqual(reviewSchedule({ held: [] }), { reviews: [], next: null, stopped: null })
})

test('how a review stands: due soon from exactly 14 days before, overdue the day after', () => {
  const review = { dueOn: '2025-03-31', heldOn: null }
  assert.equal(REVIEW_DUE_SOON_DAYS, 14)
  assert.equal(reviewState(review, '2025-03-16'), 'upcoming')
  assert.equal(reviewState(review, '2025-03-17'), 'due-soon') // exactly 14 days before
  assert.equal(reviewState(review, '2025-03-31'), 'due-soon') // due today
  assert.equal(reviewState(review, '2025-04-01'), 'overdue') // was due yesterday
  assert.equal(reviewState({ ...review, heldOn: '2025-04-20' }, '2025-04-01'), 'held')
  assert.equal(reviewState({ ...review, heldOn: '2025-04-20' }, '2025-06-01'), 'held')
  assert.throws(() => reviewState(review, '2025-02-30'), RangeError)
})

test('dates that cannot make a schedule are refused, in words', () => {
  assert.deepEqual(reviewScheduleProblems({ placedOn: '2025-02-30', orderOn: '1/3/2025', held: [] }), [
    'The date of placement must be a real date',
    'The date of the adoption order must be a real date',
  ])
  assert.deepEqual(reviewScheduleProblems({ placedOn: '2025-01-06', held: [statutory('2025-13-01')] }), [
    'Each review’s date must be a real date',
  ])
  assert.deepEqual(reviewScheduleProblems({ orderOn: '2025-03-01', held: [] }), [
    'The adoption order needs the date of placement',
  ])
  assert.deepEqual(
    reviewScheduleProblems({
      placedOn: '2025-01-06',
      orderOn: '2025-01-05',
      returnedOn: '2025-01-07',
      held: [],
    }),
    [
      'Record either the adoption order or the child’s return, not both',
      'The adoption order must be on or after the date of placement',
    ],
  )
  assert.deepEqual(
    reviewScheduleProblems({ authorityToPlaceOn: '2025-01-06', held: [statutory('2025-01-05')] }),
    ['The review on 5 January 2025 is before the authority to place'],
  )
  assert.deepEqual(reviewScheduleProblems({ placedOn: '2025-01-06', held: [statutory('2025-01-05')] }), [
    'The review on 5 January 2025 is before placement, so it needs the date of the authority to place',
  ])
  assert.deepEqual(
    reviewScheduleProblems({
      placedOn: '2025-01-06',
      held: [{ heldOn: '2025-01-07', kind: 'other' as 'extra' }],
    }),
    ['The review on 7 January 2025 must be statutory or extra'],
  )
  assert.throws(() => reviewSchedule({ orderOn: '2025-03-01', held: [] }), {
    name: 'RangeError',
    message: 'No review schedule: The adoption order needs the date of placement',
  })
})

test('the given reviews are not reordered in place', () => {
  const held = [statutory('2025-05-12'), statutory('2025-01-20')]
  reviewSchedule({ placedOn: '2025-01-06', held })
  assert.deepEqual(
    held.map((review) => review.heldOn),
    ['2025-05-12', '2025-01-20'],
  )
})

// Whole days from one ISO date to another, counted independently of the module's month arithmetic.
const daysFrom = (from: string, to: string) => (Date.parse(to) - Date.parse(from)) / 86_400_000

// The statutory maximum of each period in days: 4 weeks; 3 calendar months are 89 to 92 days and
// 6 are 181 to 184, whichever months they cover.
const PERIOD_DAYS = { fourWeeks: [28, 28], threeMonths: [89, 92], sixMonths: [181, 184] } as const

test('property: no gap runs past the statutory maximum from the review held before, nothing due after an order', () => {
  const gaps = fc.array(fc.integer({ min: 0, max: 250 }), { maxLength: 8 })
  fc.assert(
    fc.property(
      fc.integer({ min: 0, max: 3650 }),
      fc.option(fc.integer({ min: 0, max: 900 })),
      gaps,
      gaps,
      fc.option(fc.integer({ min: 0, max: 1500 })),
      fc.constantFrom('order-made', 'returned'),
      fc.boolean(),
      (atpDay, placedAfter, gapsBefore, gapsAfter, endAfter, endReason, extrasEvery2nd) => {
        const authorityToPlaceOn = addDays('2015-01-01', atpDay)
        const placedOn = placedAfter === null ? null : addDays(authorityToPlaceOn, placedAfter)
        const heldFrom = (start: string, gaps: number[]) =>
          gaps.map((_, index) =>
            addDays(
              start,
              gaps.slice(0, index + 1).reduce((sum, gap) => sum + gap, 0),
            ),
          )
        const heldDates = [
          ...heldFrom(authorityToPlaceOn, gapsBefore).filter((date) => !placedOn || date < placedOn),
          ...(placedOn ? heldFrom(placedOn, gapsAfter) : []),
        ]
        const held = heldDates.map(
          (heldOn, index): HeldReview =>
            extrasEvery2nd && index % 2 === 1
              ? { heldOn, kind: 'extra', reason: 'urgent' }
              : statutory(heldOn),
        )
        const endOn = placedOn && endAfter !== null ? addDays(placedOn, endAfter) : null
        const schedule = reviewSchedule({
          authorityToPlaceOn,
          placedOn,
          orderOn: endReason === 'order-made' ? endOn : null,
          returnedOn: endReason === 'returned' ? endOn : null,
          held,
        })

        const listedHeld = schedule.reviews.filter((review) => review.heldOn !== null)
        assert.deepEqual(
          listedHeld.map((review) => review.heldOn),
          [...heldDates].sort(),
        )
        assert.ok(schedule.reviews.filter((review) => review.heldOn === null).length <= 1)

        for (const phase of ['before-placement', 'after-placement'] as const) {
          const reviews = schedule.reviews.filter((review) => review.phase === phase)
          reviews.forEach((review, index) => {
            const previous = index === 0 ? null : (reviews[index - 1] as ScheduledReview)
            const from = previous?.heldOn ?? (phase === 'before-placement' ? authorityToPlaceOn : placedOn)
            assert.ok(from)
            const [shortest, longest] =
              phase === 'after-placement' && index === 0
                ? PERIOD_DAYS.fourWeeks
                : index === 0 || (phase === 'after-placement' && index === 1)
                  ? PERIOD_DAYS.threeMonths
                  : PERIOD_DAYS.sixMonths
            const gap = daysFrom(from, review.dueOn)
            assert.ok(
              gap >= shortest && gap <= longest,
              `${phase} ${review.number}: ${from} → ${review.dueOn}`,
            )
            assert.equal(review.number, index + 1)
          })
        }

        if (endOn) {
          assert.deepEqual(schedule.stopped, { reason: endReason, on: endOn })
          assert.equal(schedule.next, null)
          assert.ok(schedule.reviews.every((review) => review.heldOn !== null))
        } else {
          assert.equal(schedule.next, schedule.reviews.at(-1))
          assert.equal(schedule.next?.phase, placedOn ? 'after-placement' : 'before-placement')
        }
      },
    ),
    { numRuns: 500 },
  )
})
