import assert from 'node:assert/strict'
import { test } from 'node:test'
import { addDays, addMonths, formatDate, isRealDate, todayInEngland } from './dates.ts'

test('dates read the GOV.UK way', () => {
  assert.equal(formatDate('2021-06-04'), '4 June 2021')
  assert.equal(formatDate('1999-12-31'), '31 December 1999')
})

test('only real calendar dates pass', () => {
  assert.equal(isRealDate('2024-02-29'), true)
  assert.equal(isRealDate('2023-02-29'), false)
  assert.equal(isRealDate('2021-13-01'), false)
  assert.equal(isRealDate('2021-6-4'), false)
})

test('today is the English calendar day, also just after midnight in summer time', () => {
  // 23:30 UTC on 30 June is 00:30 on 1 July in London.
  assert.equal(todayInEngland(new Date('2026-06-30T23:30:00Z')), '2026-07-01')
  assert.equal(todayInEngland(new Date('2026-12-31T23:30:00Z')), '2026-12-31')
})

test('days are added on the calendar, across months, years and clock changes', () => {
  assert.equal(addDays('2025-01-31', 28), '2025-02-28')
  assert.equal(addDays('2024-01-31', 28), '2024-02-28')
  assert.equal(addDays('2025-12-20', 14), '2026-01-03')
  // The clocks go forward on 30 March 2025 and back on 26 October 2025.
  assert.equal(addDays('2025-03-29', 1), '2025-03-30')
  assert.equal(addDays('2025-10-26', 1), '2025-10-27')
  assert.equal(addDays('2025-03-01', -1), '2025-02-28')
})

test('months keep the day of the month, or end at the last day of a shorter month', () => {
  assert.equal(addMonths('2025-01-31', 3), '2025-04-30')
  assert.equal(addMonths('2025-01-31', 1), '2025-02-28')
  assert.equal(addMonths('2024-01-31', 1), '2024-02-29')
  assert.equal(addMonths('2025-02-28', 3), '2025-05-28')
  assert.equal(addMonths('2024-08-31', 6), '2025-02-28')
  assert.equal(addMonths('2023-08-31', 6), '2024-02-29')
  assert.equal(addMonths('2025-11-15', 3), '2026-02-15')
  assert.equal(addMonths('2025-05-31', -3), '2025-02-28')
})

test('date arithmetic refuses what is not a real date', () => {
  assert.throws(() => addDays('2025-02-30', 1), RangeError)
  assert.throws(() => addMonths('31/01/2025', 1), RangeError)
})
