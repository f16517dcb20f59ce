import assert from 'node:assert/strict'
import { test } from 'node:test'
import {
  beforePart,
  heldReviewOf,
  type ReviewRecordDates,
  recordReviewProblems,
  scheduleView,
  startReviewProblems,
} from './review-records.ts'

const none = { authorityToPlaceOn: null, placedOn: null, orderOn: null, returnedOn: null }
const placed = { ...none, placedOn: '2025-01-06' }

const record = (
  id: string,
  heldOn: string | null,
  kind: ReviewRecordDates['kind'] = 'scheduled',
  startedAt = new Date(`${heldOn ?? '2025-12-01'}T09:00:00Z`),
): ReviewRecordDates => ({ id, kind, status: heldOn ? 'recorded' : 'ready', heldOn, startedAt })

test('the kinds count in the schedule as reg 36 does: an extra review is a review', () => {
  assert.deepEqual(heldReviewOf('scheduled', '2025-02-01'), { heldOn: '2025-02-01', kind: 'statutory' })
  assert.deepEqual(heldReviewOf('extra-requested', '2025-02-01'), {
    heldOn: '2025-02-01',
    kind: 'extra',
    reason: 'adopters-request',
  })
  assert.deepEqual(heldReviewOf('urgent', '2025-02-01'), {
    heldOn: '2025-02-01',
    kind: 'extra',
    reason: 'urgent',
  })
})

test('a review is started once there is a clock, one at a time, and never after the order or the return', () => {
  const facts = { status: 'agreed' as const, placement: placed, open: false }
  assert.deepEqual(startReviewProblems(facts), [])
  assert.deepEqual(startReviewProblems({ ...facts, open: true }), [
    'A review is already being prepared: record it before starting another',
  ])
  assert.deepEqual(startReviewProblems({ ...facts, status: 'draft', placement: none }), [
    'Record the placement, or the date of the authority to place, before starting a review',
  ])
  assert.deepEqual(
    startReviewProblems({
      ...facts,
      status: 'draft',
      placement: { ...none, authorityToPlaceOn: '2024-10-01' },
    }),
    [],
  )
  assert.deepEqual(startReviewProblems({ ...facts, placement: { ...placed, orderOn: '2025-09-01' } }), [
    'The adoption order was made on 1 September 2025: the reviews have stopped',
  ])
  assert.deepEqual(startReviewProblems({ ...facts, placement: { ...placed, returnedOn: '2025-03-01' } }), [
    'The child was returned on 1 March 2025: the reviews have stopped',
  ])
})

test('recording a review needs the worker’s part first, a date not in the future, and one that fits the schedule', () => {
  const facts = { placement: placed, held: [], beforeWritten: true, kind: 'scheduled' as const }
  assert.deepEqual(recordReviewProblems(facts, '2025-02-01', '2025-06-01'), [])
  assert.deepEqual(recordReviewProblems({ ...facts, beforeWritten: false }, '2025-02-01', '2025-06-01'), [
    'The social worker writes the before-review part first',
  ])
  assert.deepEqual(recordReviewProblems(facts, '2025-06-02', '2025-06-01'), [
    'The date of the review must be today or in the past',
  ])
  assert.deepEqual(recordReviewProblems(facts, '2025-01-05', '2025-06-01'), [
    'The review on 5 January 2025 is before placement, so it needs the date of the authority to place',
  ])
})

test('each review held links to its record; the one being prepared is the open one', () => {
  const records = [
    record('late', '2025-05-12'),
    record('early', '2025-01-20'),
    record('extra', '2025-01-20', 'urgent', new Date('2025-01-20T15:00:00Z')),
    record('open', null),
  ]
  const view = scheduleView(placed, records, '2025-12-01')
  assert.deepEqual(
    view.reviews.map((review) => [review.reviewId, review.heldOn, review.state]),
    [
      ['early', '2025-01-20', 'held'],
      ['extra', '2025-01-20', 'held'],
      ['late', '2025-05-12', 'held'],
      [null, null, 'overdue'],
    ],
  )
  assert.equal(view.next?.dueOn, '2025-11-12')
  assert.equal(view.next?.state, 'overdue')
  assert.equal(view.open?.id, 'open')
  assert.equal(scheduleView(placed, [], '2025-01-20').next?.state, 'due-soon')
  assert.equal(scheduleView(placed, [], '2025-02-04').next?.state, 'overdue')
})

test('the before-review part needs every answer, trimmed', () => {
  const parsed = beforePart.safeParse({ needsChanged: '  Settled  ', childViews: '', adoptersViews: 'Happy' })
  assert.equal(parsed.success, false)
  assert.deepEqual(
    parsed.error?.issues.map((issue) => [issue.path[0], issue.message]),
    [['childViews', 'Enter the child’s views, or why they could not be given']],
  )
  assert.deepEqual(beforePart.parse({ needsChanged: ' a ', childViews: 'b', adoptersViews: 'c' }), {
    needsChanged: 'a',
    childViews: 'b',
    adoptersViews: 'c',
  })
})
