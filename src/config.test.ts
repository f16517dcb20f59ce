import assert from 'node:assert/strict'
import { test } from 'node:test'
import { ConfigError, readConfig } from './config.ts'

test('defaults run the embedded database on this machine', () => {
  const config = readConfig({})
  assert.deepEqual(config.database, { kind: 'pglite', dataDir: './data' })
  assert.equal(config.port, 3000)
  assert.equal(config.host, '127.0.0.1')
  assert.equal(config.loadDemoData, true)
})

test('DATABASE_URL switches to PostgreSQL', () => {
  const config = readConfig({ DATABASE_URL: 'postgres://app@db.internal:5432/adoption' })
  assert.equal(config.database.kind, 'postgres')
})

test('production refuses to start without its secrets, and never loads demo data', () => {
  assert.throws(() => readConfig({ NODE_ENV: 'production' }), ConfigError)
  assert.throws(() => readConfig({ NODE_ENV: 'production', SESSION_SECRET: 'short' }), /SESSION_SECRET/)
  const config = readConfig({
    NODE_ENV: 'production',
    SESSION_SECRET: 'a'.repeat(40),
    SERVICE_URL: 'https://adoption-support.example',
    MAIL_TRANSPORT: 'folder',
  })
  assert.equal(config.loadDemoData, false)
  assert.equal(config.secureCookies, true)
})

test('a value that is not valid is named', () => {
  assert.throws(() => readConfig({ PORT: 'eighty' }), /PORT/)
})

test('reminders are swept every 15 minutes unless told otherwise', () => {
  assert.equal(readConfig({}).reminderSweepMinutes, 15)
  assert.equal(readConfig({ REMINDER_SWEEP_MINUTES: '5' }).reminderSweepMinutes, 5)
  assert.throws(() => readConfig({ REMINDER_SWEEP_MINUTES: '0' }), /REMINDER_SWEEP_MINUTES/)
})

test('overload: the event loop check is on at a second, except in tests; memory checks only when set', () => {
  const plain = readConfig({})
  assert.equal(plain.overload.maxEventLoopDelayMs, 1000)
  assert.equal(plain.overload.maxHeapUsedBytes, 0)
  assert.equal(plain.overload.retryAfterSeconds, 10)
  assert.equal(readConfig({ NODE_ENV: 'test' }).overload.maxEventLoopDelayMs, 0)
  const set = readConfig({
    NODE_ENV: 'test',
    OVERLOAD_MAX_EVENT_LOOP_DELAY_MS: '250',
    OVERLOAD_MAX_RSS_MB: '512',
  })
  assert.equal(set.overload.maxEventLoopDelayMs, 250)
  assert.equal(set.overload.maxRssBytes, 512 * 1024 * 1024)
  assert.throws(() => readConfig({ OVERLOAD_RETRY_AFTER_SECONDS: '0' }), /OVERLOAD_RETRY_AFTER_SECONDS/)
})
