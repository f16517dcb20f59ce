import assert from 'node:assert/strict'
import { test } from 'node:test'
import { placingAuthorityResponsibilityEnds } from './after-order.ts'

test('the placing authority is responsible for three years from the order', () => {
  assert.equal(placingAuthorityResponsibilityEnds('2026-11-23'), '2029-11-23')
  // An order on 29 February: its third anniversary falls in a year without one.
  assert.equal(placingAuthorityResponsibilityEnds('2028-02-29'), '2031-02-28')
})
