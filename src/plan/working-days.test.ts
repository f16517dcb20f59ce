import assert from 'node:assert/strict'
import { test } from 'node:test'
import { addWorkingDays, isWorkingDay } from './working-days.ts'

test('weekends and bank holidays are not working days', () => {
  assert.equal(isWorkingDay('2026-11-23'), true) // a Monday
  assert.equal(isWorkingDay('2026-11-28'), false) // a Saturday
  assert.equal(isWorkingDay('2026-12-28'), false) // the substitute for Boxing Day
})

test('five working days after a Monday is the next Monday; over Christmas the holidays are skipped', () => {
  assert.equal(addWorkingDays('2026-11-23', 5), '2026-11-30')
  assert.equal(addWorkingDays('2026-11-27', 1), '2026-11-30') // Friday to Monday
  // Wednesday 23 December 2026: the 24th, then 25th (holiday), 26–27 (weekend), 28th (holiday), the
  // 29th, 30th and 31st, 1 January (holiday), 2–3 (weekend): the fifth is Monday 4 January.
  assert.equal(addWorkingDays('2026-12-23', 5), '2027-01-04')
  // From a Saturday the count starts on Monday.
  assert.equal(addWorkingDays('2026-11-28', 1), '2026-11-30')
  assert.equal(addWorkingDays('2026-11-28', 0), '2026-11-28')
})
