import assert from 'node:assert/strict'
import { test } from 'node:test'
import { ACTIONS } from '../src/platform/policy.ts'
import { testApp } from './support/app.ts'

test('every route, web and API, declares the action the policy decides on', async () => {
  const t = await testApp()
  try {
    const routes = t.app.routeCatalogue
    assert.ok(routes.length > 20, 'the catalogue sees the routes')
    assert.ok(
      routes.some((route) => route.url.startsWith('/api/v1/')),
      'API routes are in it',
    )
    const undeclared = routes
      .filter((route) => !route.permission)
      .map((route) => `${route.method} ${route.url}`)
    assert.deepEqual(undeclared, [])
    const unknown = routes.filter((route) => route.permission && !ACTIONS.includes(route.permission))
    assert.deepEqual(unknown, [])
  } finally {
    await t.close()
  }
})

test('a route that forgot its permission is refused, not opened', async () => {
  const t = await testApp()
  try {
    // Routes must be added before the app is ready, so this builds a second app with one extra route.
    const { buildApp } = await import('../src/app.ts')
    const { services } = await import('../src/services.ts')
    const app = await buildApp(t.config, services(t.database.db, t.config))
    app.get('/forgotten', async () => 'secret')
    const response = await app.inject({ method: 'GET', url: '/forgotten' })
    assert.equal(response.statusCode, 403)
    assert.doesNotMatch(response.body, /secret/)
    await app.close()
  } finally {
    await t.close()
  }
})
