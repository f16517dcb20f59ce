import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import SwaggerParser from '@apidevtools/swagger-parser'
import { type TestApp, testApp } from '../../../test/support/app.ts'
import { accounts } from '../accounts/service.ts'

const ada = {
  firstName: 'Ada',
  lastName: 'Hartley',
  dateOfBirth: '2021-06-04',
  sex: 'female',
  ethnicity: 'WBRI',
}

describe('children API', () => {
  let t: TestApp
  let tokenA: string
  let tokenB: string

  const call = (
    method: 'GET' | 'POST' | 'PUT',
    url: string,
    token: string | null,
    body?: unknown,
    headers = {},
  ) =>
    t.app.inject({
      method,
      url,
      headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers },
      ...(body === undefined ? {} : { payload: body as Record<string, unknown> }),
    })

  before(async () => {
    t = await testApp()
    const people = accounts(t.database.db)
    const agencyA = await t.addAgency('Agency A')
    const agencyB = await t.addAgency('Agency B')
    tokenA = await people.addToken((await t.addUser(agencyA, 'social-worker')).id, 30)
    tokenB = await people.addToken((await t.addUser(agencyB, 'social-worker')).id, 30)
  })
  after(() => t.close())

  test('create, read, list and update a child with its version', async () => {
    const created = await call('POST', '/api/v1/children', tokenA, ada)
    assert.equal(created.statusCode, 201, created.body)
    const child = created.json()
    assert.equal(created.headers.etag, '"1"')
    assert.equal(created.headers.location, `/api/v1/children/${child.id}`)
    assert.deepEqual(
      { firstName: child.firstName, dateOfBirth: child.dateOfBirth, siblingGroupId: child.siblingGroupId },
      { firstName: 'Ada', dateOfBirth: '2021-06-04', siblingGroupId: null },
    )
    const read = await call('GET', `/api/v1/children/${child.id}`, tokenA)
    assert.equal(read.json().id, child.id)
    const list = await call('GET', '/api/v1/children?search=hart', tokenA)
    assert.equal(list.json().total, 1)

    const updated = await call(
      'PUT',
      `/api/v1/children/${child.id}`,
      tokenA,
      { ...ada, preferredName: 'Addie' },
      { 'if-match': '"1"' },
    )
    assert.equal(updated.statusCode, 200)
    assert.equal(updated.json().preferredName, 'Addie')
    assert.equal(updated.headers.etag, '"2"')
    const stale = await call(
      'PUT',
      `/api/v1/children/${child.id}`,
      tokenA,
      { ...ada, preferredName: 'Lost' },
      { 'if-match': '"1"' },
    )
    assert.equal(stale.statusCode, 412)
    assert.equal(stale.json().preferredName, 'Addie', 'the current record comes back')
  })

  test('a token of agency B cannot read, list or change a child of agency A', async () => {
    const child = (await call('POST', '/api/v1/children', tokenA, { ...ada, firstName: 'Secret' })).json()
    const read = await call('GET', `/api/v1/children/${child.id}`, tokenB)
    assert.equal(read.statusCode, 404)
    assert.equal(read.headers['content-type'], 'application/problem+json; charset=utf-8')
    const list = await call('GET', '/api/v1/children', tokenB)
    assert.equal(list.json().total, 0)
    const change = await call('PUT', `/api/v1/children/${child.id}`, tokenB, { ...ada, firstName: 'Changed' })
    assert.equal(change.statusCode, 404)
    const sibling = await call('POST', '/api/v1/children', tokenB, { ...ada, siblingOf: child.id })
    assert.equal(sibling.statusCode, 422)
    const stored = await call('GET', `/api/v1/children/${child.id}`, tokenA)
    assert.equal(stored.json().firstName, 'Secret')
  })

  test('bad input is a 400 problem naming the fields; no token is a 401', async () => {
    const bad = await call('POST', '/api/v1/children', tokenA, {
      ...ada,
      dateOfBirth: '2021-02-30',
      sex: 'x',
    })
    assert.equal(bad.statusCode, 400)
    const problem = bad.json()
    assert.equal(problem.status, 400)
    assert.ok(problem.errors.some((error: { path: string }) => error.path.includes('dateOfBirth')))
    const anonymous = await call('GET', '/api/v1/children', null)
    assert.equal(anonymous.statusCode, 401)
    assert.equal(anonymous.headers['www-authenticate'], 'Bearer')
    const forged = await call('GET', '/api/v1/children', 'asp_not-a-real-token')
    assert.equal(forged.statusCode, 401)
  })

  test('tokens are stored hashed', async () => {
    const rows = await t.database.db.selectFrom('api_tokens').select('token_hash').execute()
    assert.ok(rows.length >= 2)
    for (const row of rows) {
      assert.notEqual(row.token_hash, tokenA)
      assert.match(row.token_hash, /^[0-9a-f]{64}$/)
    }
  })

  test('the OpenAPI document is valid and describes the children resource', async () => {
    const response = await call('GET', '/api/v1/openapi.json', null)
    assert.equal(response.statusCode, 200)
    const document = response.json()
    await SwaggerParser.validate(structuredClone(document))
    assert.ok(document.paths['/api/v1/children'].get)
    assert.ok(document.paths['/api/v1/children/{id}'].put)
    assert.equal(document.paths['/sign-in'], undefined, 'pages are not part of the API')
  })
})
