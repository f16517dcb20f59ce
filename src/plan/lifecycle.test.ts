import assert from 'node:assert/strict'
import { test } from 'node:test'
import {
  checkTransition,
  type LifecycleFacts,
  PLAN_STATUSES,
  TRANSITIONS,
  transitionsFrom,
} from './lifecycle.ts'

const ready: LifecycleFacts = {
  status: 'with-adopters',
  hasFamily: true,
  sectionsNotCompleted: [],
  signedOff: true,
  panelOn: null,
  decisionOn: null,
  placedOn: null,
  today: '2027-12-31',
}

test('every status but closed leads somewhere, and every rule names who may take it', () => {
  for (const status of PLAN_STATUSES.filter((status) => status !== 'closed'))
    assert.ok(transitionsFrom(status).length > 0, status)
  assert.deepEqual(transitionsFrom('closed'), [])
  for (const rule of TRANSITIONS) assert.ok(rule.roles.length > 0, rule.to)
})

test('to panel: every unmet condition is given, in words', () => {
  const check = checkTransition(
    'social-worker',
    { ...ready, hasFamily: false, signedOff: false, sectionsNotCompleted: ['2. All about the child'] },
    { to: 'at-panel', date: '2026-03-01' },
  )
  assert.equal(check.ok, false)
  assert.deepEqual(!check.ok && check.reasons, [
    'Match the child with a family before the panel',
    'Complete the section “2. All about the child”',
    'A team manager must sign off the plan as it stands now',
  ])
  assert.equal(checkTransition('social-worker', ready, { to: 'at-panel', date: '2026-03-01' }).ok, true)
})

test('the wrong role is told whose step it is', () => {
  const facts = { ...ready, status: 'at-panel' as const, panelOn: '2026-03-01' }
  const check = checkTransition('social-worker', facts, { to: 'match-approved', date: '2026-03-05' })
  assert.deepEqual(!check.ok && check.reasons, [
    'Only the agency decision maker can record the agency decision approving the match',
  ])
  assert.equal(
    checkTransition('decision-maker', facts, { to: 'match-approved', date: '2026-03-05' }).ok,
    true,
  )
  const close = checkTransition(
    'social-worker',
    { ...ready, status: 'post-order' },
    { to: 'closed', note: 'Done' },
  )
  assert.deepEqual(!close.ok && close.reasons, ['Only team managers can close the plan'])
})

test('dates: asked for, and never before the step they follow', () => {
  const facts = { ...ready, status: 'at-panel' as const, panelOn: '2026-03-01' }
  const missing = checkTransition('decision-maker', facts, { to: 'match-approved' })
  assert.deepEqual(!missing.ok && [missing.field, missing.reasons], [
    'date',
    ['Enter the date of the agency decision'],
  ])
  const early = checkTransition('decision-maker', facts, { to: 'match-approved', date: '2026-02-28' })
  assert.deepEqual(!early.ok && early.reasons, ['The date must be the same as or after the panel'])
  const order = checkTransition(
    'social-worker',
    { ...ready, status: 'agreed' },
    { to: 'order-made', date: '2027-01-01' },
  )
  assert.deepEqual(!order.ok && order.reasons, ['Record the placement before the adoption order'])
  const afterReturn = checkTransition(
    'social-worker',
    { ...ready, status: 'agreed', placedOn: '2026-05-01', returnedOn: '2026-06-01' },
    { to: 'order-made', date: '2027-01-01' },
  )
  assert.deepEqual(!afterReturn.ok && afterReturn.reasons, [
    'The child was returned to the agency: this placement ends without an adoption order',
  ])
})

test('a step that does not follow from the status is refused; going back needs a reason', () => {
  const skip = checkTransition(
    'social-worker',
    { ...ready, status: 'draft' },
    { to: 'agreed', date: '2026-01-01' },
  )
  assert.deepEqual(!skip.ok && skip.reasons, ['A plan that is “Draft” cannot become “Agreed”'])
  const back = checkTransition(
    'decision-maker',
    { ...ready, status: 'at-panel' },
    { to: 'draft', note: '  ' },
  )
  assert.deepEqual(!back.ok && [back.field, back.reasons], [
    'note',
    ['Enter a note saying why, so the others know what to do next'],
  ])
  assert.equal(
    checkTransition(
      'decision-maker',
      { ...ready, status: 'at-panel' },
      { to: 'draft', note: 'Panel asks for more on contact' },
    ).ok,
    true,
  )
})

test('a decision, an agreement and an order are never dated after today; a panel may be to come', () => {
  const today = '2026-11-23'
  const cases = [
    { status: 'at-panel', role: 'decision-maker', to: 'match-approved', what: 'date of the agency decision' },
    {
      status: 'match-approved',
      role: 'social-worker',
      to: 'agreed',
      what: 'date agreed at the placement planning meeting',
    },
    { status: 'agreed', role: 'social-worker', to: 'order-made', what: 'date of the adoption order' },
  ] as const
  for (const { status, role, to, what } of cases) {
    const facts = { ...ready, status, placedOn: '2026-05-01', today }
    const tomorrow = checkTransition(role, facts, { to, date: '2026-11-24' })
    assert.deepEqual(!tomorrow.ok && [tomorrow.field, tomorrow.reasons], [
      'date',
      [`The ${what} must be today or in the past`],
    ])
    assert.equal(checkTransition(role, facts, { to, date: today }).ok, true, to)
  }
  const panel = checkTransition('social-worker', { ...ready, today }, { to: 'at-panel', date: '2026-12-08' })
  assert.equal(panel.ok, true, 'the papers go to the panel before it meets')
})
