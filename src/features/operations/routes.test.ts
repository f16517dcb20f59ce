import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { type TestApp, testApp } from '../../../test/support/app.ts'

describe('operations', () => {
  let t: TestApp
  before(async () => {
    t = await testApp()
  })
  after(() => t.close())

  test('GET /health answers ok when the database does', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/health' })
    assert.equal(response.statusCode, 200)
    const body = response.json()
    assert.equal(body.status, 'ok')
    assert.equal(body.pressure.underPressure, false, 'and says how much pressure it is under')
    assert.equal(typeof body.pressure.eventLoopDelayMs, 'number')
    assert.ok(response.headers['x-request-id'])
  })

  test('/metrics answers this machine only when no token is configured', async () => {
    const local = await t.app.inject({ method: 'GET', url: '/metrics', remoteAddress: '127.0.0.1' })
    assert.equal(local.statusCode, 200)
    assert.match(local.body, /http_request_duration_seconds/)
    const remote = await t.app.inject({ method: 'GET', url: '/metrics', remoteAddress: '203.0.113.9' })
    assert.equal(remote.statusCode, 401)
  })

  test('pages carry a strict content security policy with a nonce for each script', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/sign-in' })
    const policy = String(response.headers['content-security-policy'])
    const nonce = /script-src 'self' 'nonce-([^']+)'/.exec(policy)?.[1]
    assert.ok(nonce, policy)
    assert.doesNotMatch(policy, /unsafe-inline|unsafe-eval/)
    const scripts = [...response.body.matchAll(/<script([^>]*)>/g)].map((match) => match[1] ?? '')
    assert.ok(scripts.length > 0)
    for (const attributes of scripts) assert.match(attributes, new RegExp(`nonce="${nonce}"`))
  })

  test('the accessibility statement, privacy notice and cookies page are public', async () => {
    for (const url of ['/accessibility', '/privacy', '/cookies']) {
      const response = await t.app.inject({ method: 'GET', url })
      assert.equal(response.statusCode, 200, url)
    }
  })
})

describe('operations with a metrics token', () => {
  test('/metrics needs the token, even from this machine', async () => {
    const t = await testApp({ METRICS_TOKEN: 'a-metrics-token-long-enough' })
    try {
      const none = await t.app.inject({ method: 'GET', url: '/metrics', remoteAddress: '127.0.0.1' })
      assert.equal(none.statusCode, 401)
      const given = await t.app.inject({
        method: 'GET',
        url: '/metrics',
        headers: { authorization: 'Bearer a-metrics-token-long-enough' },
      })
      assert.equal(given.statusCode, 200)
    } finally {
      await t.close()
    }
  })
})
