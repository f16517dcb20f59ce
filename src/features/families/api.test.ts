import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import SwaggerParser from '@apidevtools/swagger-parser'
import { type TestApp, testApp } from '../../../test/support/app.ts'
import { childDetailsFor } from '../../../test/support/children.ts'
import { accounts } from '../accounts/service.ts'

const adopter = (firstName: string) => ({ firstName, lastName: 'Reid', dateOfBirth: '1985-02-01' })

describe('families API', () => {
  let t: TestApp
  let agencyA: string
  let agencyB: string
  let tokenA: string
  let tokenB: string

  const call = (method: 'GET' | 'POST', url: string, token: string | null, body?: unknown) =>
    t.app.inject({
      method,
      url,
      headers: token ? { authorization: `Bearer ${token}` } : {},
      ...(body === undefined ? {} : { payload: body as Record<string, unknown> }),
    })

  const addFamily = async (token: string, approvingAgencyId: string, firstName: string) => {
    const response = await call('POST', '/api/v1/families', token, {
      approvingAgencyId,
      adopters: [adopter(firstName)],
    })
    assert.equal(response.statusCode, 201, response.body)
    return response.json().id as string
  }

  const addChild = async (firstName: string) => {
    const response = await call('POST', '/api/v1/children', tokenA, childDetailsFor({ firstName }))
    assert.equal(response.statusCode, 201, response.body)
    return response.json().id as string
  }

  const countOf = async (table: 'families' | 'plans' | 'matches') =>
    Number(
      (
        await t.database.db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    )

  before(async () => {
    t = await testApp()
    const people = accounts(t.database.db)
    agencyA = await t.addAgency('Agency A')
    agencyB = await t.addAgency('Agency B')
    tokenA = await people.addToken((await t.addUser(agencyA, 'social-worker')).id, 30)
    tokenB = await people.addToken((await t.addUser(agencyB, 'social-worker')).id, 30)
  })
  after(() => t.close())

  test('add a family and read it back, its view audited', async () => {
    const created = await call('POST', '/api/v1/families', tokenA, {
      approvingAgencyId: agencyB,
      adopters: [{ ...adopter('Sam'), email: 'sam@home.example' }, adopter('Alex')],
    })
    assert.equal(created.statusCode, 201, created.body)
    const family = created.json()
    assert.equal(created.headers.location, `/api/v1/families/${family.id}`)
    assert.deepEqual(family, {
      id: family.id,
      agencyId: agencyA,
      approvingAgencyId: agencyB,
      adopters: [adopter('Sam'), adopter('Alex')],
      matches: [],
    })

    const read = await call('GET', `/api/v1/families/${family.id}`, tokenA)
    assert.equal(read.statusCode, 200)
    assert.deepEqual(read.json(), family)
    const views = await t.database.db
      .selectFrom('audit_events')
      .select('what')
      .where('subject_id', '=', family.id)
      .where('what', '=', 'family-viewed')
      .execute()
    assert.equal(views.length, 1)
  })

  test('a family that does not pass the checks is not added', async () => {
    const before = await countOf('families')
    const noAdopters = await call('POST', '/api/v1/families', tokenA, {
      approvingAgencyId: agencyA,
      adopters: [],
    })
    assert.equal(noAdopters.statusCode, 400)
    assert.equal(noAdopters.headers['content-type'], 'application/problem+json; charset=utf-8')
    const unborn = await call('POST', '/api/v1/families', tokenA, {
      approvingAgencyId: agencyA,
      adopters: [{ ...adopter('Sam'), dateOfBirth: '2999-01-01' }],
    })
    assert.equal(unborn.statusCode, 400)
    assert.ok(
      unborn.json().errors.some((error: { path: string }) => error.path.includes('dateOfBirth')),
      unborn.body,
    )
    const unknownAgency = await call('POST', '/api/v1/families', tokenA, {
      approvingAgencyId: '00000000-0000-4000-8000-000000000000',
      adopters: [adopter('Sam')],
    })
    assert.equal(unknownAgency.statusCode, 422)
    assert.equal(unknownAgency.headers['content-type'], 'application/problem+json; charset=utf-8')
    assert.equal(unknownAgency.json().status, 422)
    assert.equal(await countOf('families'), before)
  })

  test('the list is the families the agency places with or approved, 25 a page', async () => {
    const fresh = await t.addAgency('Agency C')
    const token = await accounts(t.database.db).addToken((await t.addUser(fresh, 'team-manager')).id, 1)
    for (let n = 0; n < 29; n++) await addFamily(token, fresh, `Own${n}`)
    // Placed by another agency, approved by this one: on this agency's list too.
    await addFamily(tokenB, fresh, 'Approved')
    await addFamily(tokenB, agencyB, 'Elsewhere')

    const first = (await call('GET', '/api/v1/families', token)).json()
    const second = (await call('GET', '/api/v1/families?page=2', token)).json()
    assert.deepEqual([first.total, first.pages, first.page, first.items.length], [30, 2, 1, 25])
    assert.deepEqual([second.page, second.items.length], [2, 5])
    const names = [...first.items, ...second.items].map(
      (family: { adopters: { firstName: string }[] }) => family.adopters[0]?.firstName,
    )
    assert.equal(new Set(names).size, 30, 'no family on both pages')
    assert.equal(names[0], 'Approved', 'newest first')
    assert.ok(!names.includes('Elsewhere'))
    assert.ok(!names.includes('Sam'), 'nor agency A’s families')

    const past = (await call('GET', '/api/v1/families?page=9', token)).json()
    assert.equal(past.page, 2, 'a page past the end is the last')
    assert.equal((await call('GET', '/api/v1/families?page=0', token)).statusCode, 400)
  })

  test('another agency’s family is not found', async () => {
    const familyId = await addFamily(tokenA, agencyA, 'Private')
    const read = await call('GET', `/api/v1/families/${familyId}`, tokenB)
    assert.equal(read.statusCode, 404)
    assert.equal(read.headers['content-type'], 'application/problem+json; charset=utf-8')
    assert.equal((await call('GET', '/api/v1/families/not-an-id', tokenA)).statusCode, 404)
    const childId = await addChild('Kit')
    const match = await call('POST', `/api/v1/families/${familyId}/matches`, tokenB, { childId })
    assert.equal(match.statusCode, 404)
    assert.equal((await call('GET', '/api/v1/families', null)).statusCode, 401)
  })

  test('match a child with a family, once', async () => {
    const familyId = await addFamily(tokenA, agencyA, 'Jo')
    const otherFamily = await addFamily(tokenA, agencyA, 'Lee')
    const childId = await addChild('Mia')

    const matched = await call('POST', `/api/v1/families/${familyId}/matches`, tokenA, { childId })
    assert.equal(matched.statusCode, 201, matched.body)
    const match = matched.json()
    assert.deepEqual({ childId: match.childId, shared: match.sharedWithAdopters }, { childId, shared: false })
    const family = (await call('GET', `/api/v1/families/${familyId}`, tokenA)).json()
    assert.deepEqual(family.matches, [match])

    const again = await call('POST', `/api/v1/families/${otherFamily}/matches`, tokenA, { childId })
    assert.equal(again.statusCode, 422)
    assert.equal(again.headers['content-type'], 'application/problem+json; charset=utf-8')
    assert.match(again.json().detail, /already matched/)

    const theirs = (
      await call('POST', '/api/v1/children', tokenB, childDetailsFor({ firstName: 'Bo' }))
    ).json().id
    const foreign = await call('POST', `/api/v1/families/${familyId}/matches`, tokenA, { childId: theirs })
    assert.equal(foreign.statusCode, 422)
    const matches = await t.database.db
      .selectFrom('matches')
      .select('family_id')
      .where('child_id', 'in', [childId, theirs])
      .execute()
    assert.deepEqual(matches, [{ family_id: familyId }])
  })

  test('a plan named with a family takes it only if the child is matched with that family', async () => {
    const familyId = await addFamily(tokenA, agencyA, 'Ray')
    const otherFamily = await addFamily(tokenA, agencyA, 'Kim')
    const childId = await addChild('Noor')
    await call('POST', `/api/v1/families/${familyId}/matches`, tokenA, { childId })

    const plansBefore = await countOf('plans')
    const wrong = await call('POST', '/api/v1/plans', tokenA, { childId, familyId: otherFamily })
    assert.equal(wrong.statusCode, 422)
    assert.equal(wrong.headers['content-type'], 'application/problem+json; charset=utf-8')
    assert.equal(wrong.json().detail, 'The child is not matched with this family.')
    const unmatched = await call('POST', '/api/v1/plans', tokenA, {
      childId: await addChild('Ola'),
      familyId,
    })
    assert.equal(unmatched.statusCode, 422)
    assert.equal(await countOf('plans'), plansBefore, 'nothing created')

    const right = await call('POST', '/api/v1/plans', tokenA, { childId, familyId })
    assert.equal(right.statusCode, 201, right.body)
    const plan = (await call('GET', `/api/v1/plans/${right.json().id}`, tokenA)).json()
    assert.deepEqual([plan.childId, plan.familyId], [childId, familyId])
    assert.equal(await countOf('plans'), plansBefore + 1)
  })

  test('the OpenAPI document is valid and describes the families resource', async () => {
    const document = (await call('GET', '/api/v1/openapi.json', null)).json()
    await SwaggerParser.validate(structuredClone(document))
    assert.ok(document.paths['/api/v1/families'].get)
    assert.ok(document.paths['/api/v1/families'].post)
    assert.ok(document.paths['/api/v1/families/{id}'].get)
    assert.ok(document.paths['/api/v1/families/{id}/matches'].post)
    assert.ok(document.components.schemas.Family)
    assert.ok(document.paths['/api/v1/plans'].post.requestBody)
  })
})
