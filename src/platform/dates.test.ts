import assert from 'node:assert/strict'
import { test } from 'node:test'
import { formatDate, isRealDate, todayInEngland } from './dates.ts'

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
