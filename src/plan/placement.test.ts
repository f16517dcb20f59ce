import assert from 'node:assert/strict'
import { test } from 'node:test'
import { type PlacementFacts, placementAfter, placementProblems } from './placement.ts'

const none = { authorityToPlaceOn: null, placedOn: null, orderOn: null, returnedOn: null }
const agreed: PlacementFacts = {
  status: 'agreed',
  hasFamily: true,
  dateAgreed: '2025-01-10',
  recorded: none,
  held: [],
}
const placed: PlacementFacts = { ...agreed, recorded: { ...none, placedOn: '2025-01-20' } }
const TODAY = '2025-06-01'
const texts = (facts: PlacementFacts, request: Parameters<typeof placementProblems>[1]) =>
  placementProblems(facts, request, TODAY).map((problem) => `${problem.field}: ${problem.text}`)

test('once agreed, the placement is recorded on or after the date agreed, never in the future', () => {
  assert.deepEqual(texts(agreed, { placedOn: '2025-01-20' }), [])
  assert.deepEqual(texts(agreed, { placedOn: '2025-01-09' }), [
    'placedOn: The date of placement must be the same as or after the date the plan was agreed (10 January 2025)',
  ])
  assert.deepEqual(texts(agreed, { placedOn: '2025-06-02' }), [
    'placedOn: The date of placement must be today or in the past',
  ])
  assert.deepEqual(texts(agreed, { placedOn: '2025-02-30' }), [
    'placedOn: The date of placement must be a real date',
  ])
})

test('before the plan is agreed, or after the order, the placement does not change', () => {
  for (const status of ['draft', 'with-adopters', 'at-panel', 'match-approved'] as const)
    assert.deepEqual(texts({ ...agreed, status }, { placedOn: '2025-01-20' }), [
      'placedOn: Record the plan as agreed at the placement planning meeting before the placement',
    ])
  const ordered: PlacementFacts = {
    ...placed,
    status: 'order-made',
    recorded: { ...placed.recorded, orderOn: '2025-05-01' },
  }
  assert.deepEqual(texts(ordered, { placedOn: '2025-01-21' }), [
    'placedOn: The adoption order has been made: the placement no longer changes',
  ])
  assert.deepEqual(texts(ordered, { returnedOn: '2025-05-02' }), [
    'returnedOn: The adoption order has been made: the child can no longer be returned to the agency',
  ])
  // The same dates again change nothing, so they are not refused.
  assert.deepEqual(texts(ordered, { placedOn: '2025-01-20', orderOn: '2025-05-01' }), [])
  assert.deepEqual(texts({ ...agreed, status: 'closed' }, { placedOn: '2025-01-20' }), [
    'null: The plan is closed: its dates no longer change',
  ])
  assert.deepEqual(texts({ ...agreed, hasFamily: false }, { placedOn: '2025-01-20' }), [
    'placedOn: Match the child with a family before recording the placement',
  ])
})

test('the order belongs to the lifecycle; a placement is ended by a return, not taken back', () => {
  assert.deepEqual(texts(placed, { orderOn: '2025-05-01' }), [
    'orderOn: The adoption order is recorded with the plan’s step “Record the adoption order”',
  ])
  assert.deepEqual(texts(placed, { placedOn: null }), [
    'placedOn: A placement cannot be taken back: record the date the child was returned instead',
  ])
  assert.deepEqual(texts(placed, { returnedOn: '2025-03-01' }), [])
  assert.deepEqual(texts(placed, { returnedOn: '2025-01-19' }), [
    'returnedOn: The child’s return must be on or after the date of placement',
  ])
  assert.deepEqual(texts(agreed, { returnedOn: '2025-03-01' }), [
    'returnedOn: The child’s return needs the date of placement',
  ])
})

test('the authority to place may be recorded before the plan is agreed; the dates must still fit the reviews held', () => {
  assert.deepEqual(
    texts({ ...agreed, status: 'draft' }, { authorityToPlaceOn: '2024-10-01', placedOn: null }),
    [],
  )
  const heldBefore: PlacementFacts = {
    ...placed,
    recorded: { ...placed.recorded, authorityToPlaceOn: '2024-10-01' },
    held: [{ heldOn: '2024-12-20', kind: 'statutory' }],
  }
  assert.deepEqual(texts(heldBefore, { authorityToPlaceOn: null }), [
    'authorityToPlaceOn: The review on 20 December 2024 is before placement, so it needs the date of the authority to place',
  ])
  assert.deepEqual(texts(heldBefore, { authorityToPlaceOn: '2024-12-21' }), [
    'authorityToPlaceOn: The review on 20 December 2024 is before the authority to place',
  ])
})

test('a date left out stays as it was; null clears it', () => {
  const recorded = { ...none, placedOn: '2025-01-20', returnedOn: '2025-03-01' }
  assert.deepEqual(placementAfter(recorded, { authorityToPlaceOn: '2024-10-01' }), {
    ...recorded,
    authorityToPlaceOn: '2024-10-01',
  })
  assert.deepEqual(placementAfter(recorded, { returnedOn: null }), { ...recorded, returnedOn: null })
})
