import assert from 'node:assert/strict'
import { test } from 'node:test'
import { type ReminderFacts, remindersFor, reminderText } from './reminders.ts'

const plan = (facts: Partial<ReminderFacts>): ReminderFacts => ({
  planId: 'p1',
  nextReviewDueOn: null,
  comments: [],
  reviewRequests: [],
  ...facts,
})

test('a review is due soon from 14 days before its date, to the worker and the IRO', () => {
  assert.deepEqual(remindersFor(plan({ nextReviewDueOn: '2026-12-08' }), '2026-11-23'), [])
  const [soon] = remindersFor(plan({ nextReviewDueOn: '2026-12-07' }), '2026-11-23')
  assert.equal(soon?.kind, 'review-due-soon')
  assert.equal(soon?.since, '2026-11-23')
  assert.deepEqual(soon?.audience, ['worker', 'iro'])
  assert.equal(
    remindersFor(plan({ nextReviewDueOn: '2026-11-23' }), '2026-11-23')[0]?.kind,
    'review-due-soon',
  )
})

test('the day after its date a review is overdue, and the team manager hears too', () => {
  const [overdue] = remindersFor(plan({ nextReviewDueOn: '2026-11-22' }), '2026-11-23')
  assert.equal(overdue?.kind, 'review-overdue')
  assert.equal(overdue?.about, '2026-11-22')
  assert.deepEqual(overdue?.audience, ['worker', 'iro', 'team-manager'])
  assert.equal(
    reminderText(overdue as NonNullable<typeof overdue>),
    'Review overdue: it was due by 22 November 2026',
  )
})

test('no schedule, no review reminder', () => {
  assert.deepEqual(remindersFor(plan({}), '2026-11-23'), [])
})

test('a comment unanswered for 5 working days is a reminder for the worker; answered, it is not', () => {
  // Made on Monday 16 November: 5 working days is Monday the 23rd; a reminder from Tuesday.
  const comments = [{ id: 'c1', madeOn: '2026-11-16', answered: false }]
  assert.deepEqual(remindersFor(plan({ comments }), '2026-11-23'), [])
  const [late] = remindersFor(plan({ comments }), '2026-11-24')
  assert.equal(late?.kind, 'comment-unanswered')
  assert.equal(late?.about, 'c1')
  assert.deepEqual(late?.audience, ['worker'])
  assert.deepEqual(
    remindersFor(plan({ comments: [{ ...comments[0], answered: true }] as never }), '2026-12-24'),
    [],
  )
})

test('an unanswered request for a review reaches the worker, the IRO and the team manager', () => {
  const reviewRequests = [{ id: 'r1', madeOn: '2026-12-23', answered: false }]
  // Five working days over Christmas: Monday 4 January 2027.
  assert.deepEqual(remindersFor(plan({ reviewRequests }), '2027-01-04'), [])
  const [late] = remindersFor(plan({ reviewRequests }), '2027-01-05')
  assert.equal(late?.kind, 'review-request-unanswered')
  assert.deepEqual(late?.audience, ['worker', 'iro', 'team-manager'])
})
