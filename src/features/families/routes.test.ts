import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { type TestApp, testApp } from '../../../test/support/app.ts'
import { WebClient } from '../../../test/support/web-client.ts'
import { familiesService } from './service.ts'

const child = (firstName: string) => ({
  firstName,
  lastName: 'Rowe',
  preferredName: '',
  'dateOfBirth-day': '9',
  'dateOfBirth-month': '9',
  'dateOfBirth-year': '2021',
  sex: 'female',
  ethnicity: 'WBRI',
  siblingOf: '',
})

const idFrom = (location: unknown) => String(location).split('/')[2]?.split('?')[0] as string

describe('families, matches and who sees them', () => {
  let t: TestApp
  let raa: string
  let vaa: string
  let worker: WebClient
  let familyId: string
  let matchedChild: string
  let otherChild: string

  before(async () => {
    t = await testApp()
    raa = await t.addAgency('Placing RAA')
    vaa = await t.addAgency('Approving VAA')
    worker = new WebClient(t.app)
    await worker.signIn(await t.addUser(raa, 'social-worker'))
    await worker.get('/children/new')
    matchedChild = idFrom((await worker.post('/children', child('Mia'))).headers.location)
    otherChild = idFrom((await worker.post('/children', child('Ned'))).headers.location)
  })
  after(() => t.close())

  test('a worker adds a family approved by another agency, after a mistake, and matches a child', async () => {
    await worker.get('/families/new')
    const wrong = await worker.post('/families', {
      approvingAgencyId: vaa,
      'adopter1-firstName': 'Sam',
      'adopter1-lastName': '',
      'adopter1-dob-day': '1',
      'adopter1-dob-month': '2',
      'adopter1-dob-year': '1985',
      'adopter1-email': 'sam@home.example',
    })
    assert.match(wrong.body, /<title>Error: Add a family/)
    assert.match(wrong.body, /href="#adopter1-lastName">Enter the adopter’s last name/)
    assert.match(wrong.body, /value="Sam"/)
    const madeUp = await worker.post('/families', {
      approvingAgencyId: '00000000-0000-4000-8000-000000000000',
      'adopter1-firstName': 'Sam',
      'adopter1-lastName': 'Reid',
      'adopter1-dob-day': '1',
      'adopter1-dob-month': '2',
      'adopter1-dob-year': '1985',
    })
    assert.match(madeUp.body, /Select the agency that approved the adopters/, 'an agency that does not exist')
    const added = await worker.post('/families', {
      approvingAgencyId: vaa,
      'adopter1-firstName': 'Sam',
      'adopter1-lastName': 'Reid',
      'adopter1-dob-day': '1',
      'adopter1-dob-month': '2',
      'adopter1-dob-year': '1985',
      'adopter1-email': 'sam@home.example',
      'adopter2-firstName': 'Alex',
      'adopter2-lastName': 'Reid',
      'adopter2-dob-day': '3',
      'adopter2-dob-month': '4',
      'adopter2-dob-year': '1983',
    })
    familyId = idFrom(added.headers.location)
    assert.match((await worker.get(`/families/${familyId}?saved=added`)).body, /Sam Reid and Alex Reid/)
    const matched = await worker.post(`/families/${familyId}/matches`, { childId: matchedChild })
    assert.equal(matched.headers.location, `/families/${familyId}?saved=matched`)
    assert.match((await worker.get(`/families/${familyId}`)).body, /Mia Rowe/)
  })

  test('the approving agency’s allocated worker sees this family and its matched child, nothing else', async () => {
    const vaaWorker = await t.addUser(vaa, 'social-worker')
    const client = new WebClient(t.app)
    await client.signIn(vaaWorker)
    assert.equal((await client.get(`/children/${matchedChild}`)).statusCode, 404, 'not before allocation')
    const vaaManager = new WebClient(t.app)
    await vaaManager.signIn(await t.addUser(vaa, 'team-manager'))
    await vaaManager.get(`/families/${familyId}`)
    const allocated = await vaaManager.post(`/families/${familyId}/workers`, { userId: vaaWorker.id })
    assert.equal(allocated.headers.location, `/families/${familyId}?saved=allocated`)

    assert.equal((await client.get(`/children/${matchedChild}`)).statusCode, 200)
    assert.equal((await client.get(`/children/${otherChild}`)).statusCode, 404)
    assert.doesNotMatch(
      (await client.get('/children')).body,
      /Rowe/,
      'the placing agency’s list stays closed',
    )
    assert.equal((await client.get(`/children/${matchedChild}/edit`)).statusCode, 404)
    const page = await client.get(`/families/${familyId}`)
    assert.match(page.body, /Mia Rowe/)
    assert.doesNotMatch(page.body, /Share with the adopters/, 'sharing is the placing agency’s decision')
  })

  test('an adopter sees their own family and only the children shared with them', async () => {
    const adopter = await t.addAdopterAccount(familyId, raa)
    const client = new WebClient(t.app)
    await client.signIn(adopter)
    const home = await client.get('/')
    assert.equal(home.headers.location, '/home')
    const family = await client.get(`/families/${familyId}`)
    assert.match(family.body, /Your family/)
    assert.doesNotMatch(family.body, /Mia Rowe/, 'not shared yet')
    assert.equal((await client.get(`/children/${matchedChild}`)).statusCode, 404)

    const page = await worker.get(`/families/${familyId}`)
    const matchId = /\/matches\/([0-9a-f-]{36})\/share/.exec(page.body)?.[1] as string
    await worker.post(`/families/${familyId}/matches/${matchId}/share`, {})
    assert.match((await client.get(`/families/${familyId}`)).body, /Mia Rowe/)
    const shared = await client.get(`/children/${matchedChild}`)
    assert.equal(shared.statusCode, 200)
    assert.doesNotMatch(shared.body, /Who works with/, 'allocations are not the adopters’ business')

    const other = await client.get(`/children/${otherChild}`)
    assert.equal(other.statusCode, 404)
    assert.match(other.body, /Page not found/)
    assert.equal((await client.get('/children')).statusCode, 403)
    assert.equal((await client.get('/families')).statusCode, 403)
  })

  test('the families list comes 25 a page, newest first', async () => {
    const agency = await t.addAgency('Busy agency')
    const manager = await t.addUser(agency, 'team-manager')
    const actor = {
      kind: 'staff' as const,
      userId: manager.id,
      agencyId: agency,
      role: 'team-manager' as const,
    }
    for (let n = 1; n <= 27; n++) {
      const adopter = { firstName: `Adopter${n}`, lastName: 'Page', dateOfBirth: '1980-01-01', email: null }
      await familiesService(t.database.db).add(
        actor,
        { approvingAgencyId: agency, adopters: [adopter] },
        'test',
      )
    }
    const client = new WebClient(t.app)
    await client.signIn(manager)
    const first = (await client.get('/families')).body
    assert.match(first, /27 families, page 1 of 2/)
    assert.equal(first.match(/href="\/families\/[0-9a-f-]{36}"/g)?.length, 25)
    assert.match(first, /Adopter27 Page/)
    assert.doesNotMatch(first, /Adopter2 Page/)
    assert.match(first, /class="govuk-pagination"/)
    assert.match(first, /href="\/families\?page=2"/)
    const second = (await client.get('/families?page=2')).body
    assert.match(second, /Adopter1 Page/)
    assert.match(second, /Adopter2 Page/)
    assert.doesNotMatch(second, /Adopter3 Page/)
    assert.doesNotMatch((await worker.get('/families')).body, /Adopter1 Page/, 'another agency’s families')
  })
})
