import assert from 'node:assert/strict'
import { after, describe, test } from 'node:test'
import { setTimeout as sleep } from 'node:timers/promises'
import type { FastifyInstance } from 'fastify'
import { testDatabase } from '../../test/support/database.ts'
import { buildApp } from '../app.ts'
import { type Config, readConfig } from '../config.ts'
import { services } from '../services.ts'

// Issue 7: beyond capacity the service answers 503 with Retry-After instead of falling over, and
// recovers by itself. The thresholds are set low so that the test can cross them on purpose.

async function appWith(overrides: Record<string, string>, sampleIntervalMs = 1000) {
  const handle = await testDatabase()
  const config: Config = readConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', ...overrides })
  config.overload.sampleIntervalMs = sampleIntervalMs
  const app = await buildApp(config, services(handle.db, config))
  await app.ready()
  return {
    app,
    close: async () => {
      await app.close()
      await handle.close()
    },
  }
}

/** Holds the event loop, as a runaway computation would. */
function blockEventLoop(ms: number) {
  const until = Date.now() + ms
  while (Date.now() < until) {
    // busy: nothing else in this process runs meanwhile
  }
}

async function statuses(app: FastifyInstance) {
  const page = await app.inject({ method: 'GET', url: '/sign-in' })
  // Without a token: 401 as usual, or 503 before anyone is looked up.
  const api = await app.inject({ method: 'GET', url: '/api/v1/plans/x' })
  const health = await app.inject({ method: 'GET', url: '/health' })
  return { page, api, health }
}

describe('overload', () => {
  const closers: (() => Promise<void>)[] = []
  after(() => Promise.all(closers.map((close) => close())))

  test('past a limit, pages get a clear 503 page, the API problem+json, both with Retry-After', async () => {
    // Any heap is over a megabyte: this instance is under pressure from its first sample.
    const { app, close } = await appWith({ OVERLOAD_MAX_HEAP_MB: '1', OVERLOAD_RETRY_AFTER_SECONDS: '7' }, 50)
    closers.push(close)
    await sleep(120)
    const { page, api, health } = await statuses(app)

    assert.equal(page.statusCode, 503)
    assert.equal(page.headers['retry-after'], '7')
    assert.match(String(page.headers['content-type']), /^text\/html/)
    assert.match(page.body, /<title>Sorry, the service is busy/)
    assert.match(page.body, /Wait 7 seconds, then try again/)
    assert.match(String(page.headers['content-security-policy']), /default-src 'self'/)

    assert.equal(api.statusCode, 503)
    assert.equal(api.headers['retry-after'], '7')
    assert.match(String(api.headers['content-type']), /^application\/problem\+json/)
    assert.equal(api.json().title, 'Service Unavailable')
    assert.match(api.json().detail, /Nothing was changed: try again in 7 seconds/)

    assert.equal(health.statusCode, 503, 'the health check answers, and says so')
    assert.equal(health.headers['retry-after'], '7')
    assert.equal(health.json().status, 'under-pressure')
    assert.ok(health.json().pressure.heapUsedBytes > 1024 * 1024)
  })

  test('a flooded event loop turns requests away, and the service recovers by itself', async () => {
    const { app, close } = await appWith({ OVERLOAD_MAX_EVENT_LOOP_DELAY_MS: '50' }, 500)
    closers.push(close)
    await sleep(600)
    const calm = await statuses(app)
    assert.deepEqual(
      [calm.page.statusCode, calm.api.statusCode, calm.health.statusCode],
      [200, 401, 200],
      'before: served as usual',
    )

    // More work than the process can do: the event loop is busy 200 ms in every 210.
    const flood = setInterval(() => blockEventLoop(200), 210)
    let pressed = await statuses(app)
    try {
      for (let waited = 0; pressed.page.statusCode !== 503 && waited < 5000; waited += 50) {
        await sleep(50)
        pressed = await statuses(app)
      }
      pressed = await statuses(app)
    } finally {
      clearInterval(flood)
    }
    assert.deepEqual(
      [pressed.page.statusCode, pressed.api.statusCode, pressed.health.statusCode],
      [503, 503, 503],
      'during: turned away, quickly',
    )
    assert.equal(pressed.page.headers['retry-after'], '10')
    assert.equal(pressed.api.headers['retry-after'], '10')
    assert.ok(pressed.health.json().pressure.eventLoopDelayMs > 50)

    // Nobody steps in: the next samples find the loop free again.
    let recovered = await statuses(app)
    for (let waited = 0; recovered.page.statusCode !== 200 && waited < 5000; waited += 100) {
      await sleep(100)
      recovered = await statuses(app)
    }
    assert.deepEqual(
      [recovered.page.statusCode, recovered.api.statusCode, recovered.health.statusCode],
      [200, 401, 200],
      'after: served as usual again',
    )
    assert.equal(recovered.health.json().pressure.underPressure, false)
  })
})
