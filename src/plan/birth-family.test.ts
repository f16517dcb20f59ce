import assert from 'node:assert/strict'
import { test } from 'node:test'
import {
  CODE_ALPHABET,
  CODE_LENGTH,
  formatCode,
  isLinkToken,
  type LinkState,
  linkStatus,
  newCode,
  newLinkToken,
  normaliseCode,
  parseAnswer,
  secretHash,
} from './birth-family.ts'

const NOW = new Date('2026-03-10T12:00:00Z')
const waiting: LinkState = {
  expiresAt: new Date('2026-04-07T12:00:00Z'),
  revokedAt: null,
  answeredAt: null,
  answer: null,
  closedAt: null,
}

test('codes use only symbols that cannot be misread, and read back however they are typed', () => {
  assert.doesNotMatch(CODE_ALPHABET, /[ILOU01]/)
  const codes = new Set(Array.from({ length: 200 }, newCode))
  assert.ok(codes.size > 195, 'codes are random')
  for (const code of codes) {
    assert.equal(code.length, CODE_LENGTH)
    assert.equal(normaliseCode(formatCode(code).toLowerCase()), code)
    assert.equal(normaliseCode(` ${code.slice(0, 4)} ${code.slice(4)} `), code)
  }
  assert.equal(formatCode('ABCD2345'), 'ABCD-2345')
  assert.equal(normaliseCode('ABCD-234'), null, 'too short')
  assert.equal(normaliseCode('ABCD-2340'), null, 'a zero is never in a code')
  assert.equal(normaliseCode('ABCD-23456'), null, 'too long')
})

test('a link’s token is 256 random bits; its hash is keyed, and tied to its kind', () => {
  const token = newLinkToken()
  assert.ok(isLinkToken(token))
  assert.notEqual(token, newLinkToken())
  assert.equal(isLinkToken('ABCD2345'), false)
  const hash = secretHash('secret', 'link', token)
  assert.match(hash, /^[0-9a-f]{64}$/)
  assert.equal(hash, secretHash('secret', 'link', token), 'the same link finds the same row')
  assert.notEqual(hash, secretHash('another secret', 'link', token), 'without the key, no hash')
  assert.notEqual(secretHash('secret', 'code', 'ABCD2345'), secretHash('secret', 'link', 'ABCD2345'))
})

test('where a link stands: an answer is final, then withdrawn, closed, expired, waiting', () => {
  assert.equal(linkStatus(waiting, NOW), 'waiting')
  assert.equal(linkStatus({ ...waiting, expiresAt: NOW }, NOW), 'expired', 'expired at the moment it ends')
  assert.equal(linkStatus({ ...waiting, closedAt: NOW }, NOW), 'used')
  assert.equal(linkStatus({ ...waiting, revokedAt: NOW }, NOW), 'revoked')
  assert.equal(linkStatus(waiting, NOW, true), 'revoked', 'the relative taken out of section 4')
  const answered = { ...waiting, answeredAt: NOW, answer: 'declined' as const }
  assert.equal(linkStatus(answered, NOW), 'declined')
  assert.equal(
    linkStatus({ ...answered, expiresAt: new Date(0) }, NOW),
    'declined',
    'an answer outlives the link',
  )
  assert.equal(linkStatus({ ...answered, answer: 'confirmed' }, NOW, true), 'confirmed')
})

test('a confirmation needs a name and a date between the link’s day and today; declining, a reason', () => {
  const made = new Date('2026-03-02T09:00:00Z')
  const date = (day: string, month = '3', year = '2026') => ({
    'date-day': day,
    'date-month': month,
    'date-year': year,
  })
  assert.deepEqual(parseAnswer({}, made, NOW), {
    ok: false,
    errors: { answer: 'Select whether you confirm the support offered to you' },
  })
  assert.deepEqual(parseAnswer({ answer: 'confirm', name: ' Jo ', ...date('9') }, made, NOW), {
    ok: true,
    answer: { answer: 'confirmed', name: 'Jo', date: '2026-03-09' },
  })
  assert.deepEqual(parseAnswer({ answer: 'confirm' }, made, NOW), {
    ok: false,
    errors: { name: 'Enter your full name', 'date-day': 'Enter the date' },
  })
  const future = parseAnswer({ answer: 'confirm', name: 'Jo', ...date('11') }, made, NOW)
  assert.deepEqual(future, { ok: false, errors: { 'date-day': 'The date must be today or in the past' } })
  const early = parseAnswer({ answer: 'confirm', name: 'Jo', ...date('1') }, made, NOW)
  assert.deepEqual(early, { ok: false, errors: { 'date-day': 'The date must be on or after 2 March 2026' } })
  const unreal = parseAnswer({ answer: 'confirm', name: 'Jo', ...date('30', '2') }, made, NOW)
  assert.deepEqual(unreal, { ok: false, errors: { 'date-day': 'The date must be a real date' } })
  assert.deepEqual(parseAnswer({ answer: 'decline', reason: '  ' }, made, NOW), {
    ok: false,
    errors: { reason: 'Enter why you do not agree with the support offered' },
  })
  assert.deepEqual(parseAnswer({ answer: 'decline', reason: 'Not enough' }, made, NOW), {
    ok: true,
    answer: { answer: 'declined', reason: 'Not enough' },
  })
})
