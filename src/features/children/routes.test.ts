import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { type TestApp, type TestUser, testApp } from '../../../test/support/app.ts'
import { childForm as validChild } from '../../../test/support/children.ts'
import { WebClient } from '../../../test/support/web-client.ts'

describe('children pages', () => {
  let t: TestApp
  let worker: TestUser
  let client: WebClient

  before(async () => {
    t = await testApp()
    const agencyId = await t.addAgency()
    worker = await t.addUser(agencyId, 'social-worker')
    client = new WebClient(t.app)
    await client.signIn(worker)
  })
  after(() => t.close())

  test('a form with mistakes shows GOV.UK errors and keeps what was typed', async () => {
    await client.get('/children/new')
    const response = await client.post('/children', {
      ...validChild,
      firstName: 'Ada <script>',
      'dateOfBirth-day': '31',
      'dateOfBirth-month': '2',
      sex: '',
    })
    assert.equal(response.statusCode, 200)
    assert.match(response.body, /<title>Error: Add a child/)
    assert.match(response.body, /There is a problem/)
    assert.match(response.body, /href="#firstName">The first name must not include/)
    assert.match(response.body, /href="#dateOfBirth-day">Date of birth must be a real date/)
    assert.match(response.body, /href="#sex">Select the child’s sex/)
    assert.match(response.body, /value="Ada &lt;script&gt;"/, 'typed values are kept, and escaped')
    assert.doesNotMatch(response.body, /Ada <script>/)
    assert.match(response.body, /name="dateOfBirth-day" type="text" value="31"/)
    const count = await t.database.db
      .selectFrom('children')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow()
    assert.equal(count.n, 0, 'nothing invalid is stored')
  })

  test('add a child, see the record, change it, find it by searching', async () => {
    await client.get('/children/new')
    const added = await client.post('/children', validChild)
    assert.equal(added.statusCode, 303)
    const location = String(added.headers.location)
    assert.match(location, /^\/children\/[0-9a-f-]{36}\?saved=added$/)
    const page = await client.get(location)
    assert.match(page.body, /Child added/)
    assert.match(page.body, /<h1 class="govuk-heading-l">Ada Hartley<\/h1>/)
    assert.match(page.body, /4 June 2021/)

    const id = location.slice('/children/'.length, location.indexOf('?'))
    const edit = await client.get(`/children/${id}/edit`)
    assert.match(edit.body, /name="version" value="1"/)
    const changed = await client.post(`/children/${id}`, {
      ...validChild,
      preferredName: 'Addie',
      version: '1',
    })
    assert.equal(changed.headers.location, `/children/${id}?saved=changed`)
    assert.match((await client.get(`/children/${id}`)).body, /Addie/)

    await client.get('/children')
    await client.post('/children/search', { search: 'hartl' })
    const found = await client.get('/children')
    assert.match(found.body, /1 child match your search/)
    assert.match(found.body, /Ada Hartley/)
    await client.post('/children/search', { search: 'nobody-like-this' })
    assert.match((await client.get('/children')).body, /No children match/)
  })

  test('a change made from an old version is not saved over someone else’s', async () => {
    await client.get('/children/new')
    const added = await client.post('/children', { ...validChild, firstName: 'Ben' })
    const id = String(added.headers.location).split('/')[2]?.split('?')[0]
    await client.get(`/children/${id}/edit`)
    await client.post(`/children/${id}`, { ...validChild, firstName: 'Benjamin', version: '1' })
    const stale = await client.post(`/children/${id}`, { ...validChild, firstName: 'Benny', version: '1' })
    assert.equal(stale.statusCode, 200)
    assert.match(stale.body, /Someone else changed this record/)
    assert.match(stale.body, /value="Benny"/, 'what the person typed is kept')
    assert.match(stale.body, /Saved details now/)
    const child = await t.database.db
      .selectFrom('children')
      .select(['first_name', 'version'])
      .where('id', '=', String(id))
      .executeTakeFirstOrThrow()
    assert.deepEqual(child, { first_name: 'Benjamin', version: 2 })
  })

  test('siblings: a brother added from a child’s page joins her sibling group', async () => {
    await client.get('/children/new')
    const sister = await client.post('/children', { ...validChild, firstName: 'Cara', lastName: 'Sibling' })
    const sisterId = String(sister.headers.location).split('/')[2]?.split('?')[0] as string
    const form = await client.get(`/children/new?siblingOf=${sisterId}`)
    assert.match(form.body, new RegExp(`value="${sisterId}" selected`))
    const brother = await client.post('/children', {
      ...validChild,
      firstName: 'Dan',
      lastName: 'Sibling',
      sex: 'male',
      siblingOf: sisterId,
    })
    const page = await client.get(String(brother.headers.location))
    assert.match(page.body, /Cara Sibling<\/a>/)
  })

  test('viewing a child’s record is audited', async () => {
    await client.get('/children/new')
    const added = await client.post('/children', { ...validChild, firstName: 'Eve' })
    const id = String(added.headers.location).split('/')[2]?.split('?')[0] as string
    await client.get(`/children/${id}`)
    const views = await t.database.db
      .selectFrom('audit_events')
      .selectAll()
      .where('what', '=', 'child-viewed')
      .where('subject_id', '=', id)
      .execute()
    assert.equal(views.length, 1)
    assert.equal(views[0]?.who, worker.id)
  })

  test('another agency’s child is not found, and roles that may not browse children are refused', async () => {
    await client.get('/children/new')
    const added = await client.post('/children', { ...validChild, firstName: 'Fay' })
    const id = String(added.headers.location).split('/')[2]?.split('?')[0] as string
    const otherAgency = await t.addAgency()
    const outsider = new WebClient(t.app)
    await outsider.signIn(await t.addUser(otherAgency, 'social-worker'))
    const seen = await outsider.get(`/children/${id}`)
    assert.equal(seen.statusCode, 404, seen.body.slice(0, 3000))
    assert.equal((await outsider.get(`/children/${id}/edit`)).statusCode, 404)
    assert.doesNotMatch((await outsider.get('/children')).body, /Fay/)

    const analyst = new WebClient(t.app)
    await analyst.signIn(await t.addUser(worker.agencyId, 'data-analyst'))
    assert.equal((await analyst.get('/children')).statusCode, 403)
    assert.equal((await analyst.get(`/children/${id}`)).statusCode, 403)
  })
})
