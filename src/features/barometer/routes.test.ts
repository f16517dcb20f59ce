import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { type TestApp, testApp } from '../../../test/support/app.ts'
import { childDetailsFor } from '../../../test/support/children.ts'
import { type SharedPlan, sharedPlan } from '../../../test/support/shared-plan.ts'
import { WebClient } from '../../../test/support/web-client.ts'
import { childrenService } from '../children/service.ts'
import { plansService } from '../plans/service.ts'

// The team manager's Barometer page: the agency's totals and each plan, 25 a page, and the file of
// every plan; nobody else's agency, and nobody but team managers.

describe('the Barometer page', () => {
  let t: TestApp
  let shared: SharedPlan
  let manager: WebClient

  const signedIn = async (user: Parameters<WebClient['signIn']>[0]) => {
    const client = new WebClient(t.app)
    await client.signIn(user)
    return client
  }

  before(async () => {
    t = await testApp()
    shared = await sharedPlan(t, { child: 'Amy' })
    const children = childrenService(t.database.db)
    const plans = plansService(t.database.db)
    // 25 more plans of the same agency, still in draft, so that the list has a second page.
    for (let n = 1; n <= 25; n++) {
      const added = await children.add(
        shared.workerActor,
        childDetailsFor({ firstName: `Child${String(n).padStart(2, '0')}`, lastName: 'Zed' }),
        'test',
      )
      if (added.outcome !== 'added') throw new Error('child not added')
      await plans.create(shared.workerActor, added.child.id, 'test')
    }
    manager = await signedIn(shared.manager)
    // The adopter reads the shared plan: the page counts it as read.
    await (await signedIn(shared.adopter)).get(`/plans/${shared.planId}`)
  })
  after(() => t.close())

  test('a team manager sees the agency’s totals and each plan, a page at a time', async () => {
    const page = await manager.get('/barometer')
    assert.equal(page.statusCode, 200)
    assert.match(page.body, /Your agency’s 26 plans/)
    assert.match(
      page.body,
      /Read by the adopters in the service\s*<\/dt>\s*<dd class="govuk-summary-list__value">\s*1 of 26 plans \(4%\)/,
    )
    assert.match(
      page.body,
      /A written plan in place at placement\s*<\/dt>\s*<dd class="govuk-summary-list__value">\s*No child has been placed yet\s*</,
    )
    assert.match(page.body, new RegExp(`href="/plans/${shared.planId}">Amy Hartley`))
    assert.match(page.body, /page 1 of 2/)
    const second = await manager.get('/barometer?page=2')
    assert.match(second.body, /Child25 Zed/)
    assert.doesNotMatch(second.body, /Amy Hartley/)
  })

  test('the file holds every plan, and is audited', async () => {
    const file = await manager.get('/barometer.csv')
    assert.equal(file.statusCode, 200)
    assert.match(String(file.headers['content-type']), /^text\/csv/)
    const lines = file.body.trim().split('\r\n')
    assert.equal(lines.length, 27)
    assert.match(lines[0] as string, /"Plan","Child","Status","Shared before panel"/)
    assert.ok(lines.some((line) => line.startsWith(`"${shared.planId}","Amy Hartley","with-adopters"`)))
    const audited = await t.database.db
      .selectFrom('audit_events')
      .select('who')
      .where('what', '=', 'barometer-downloaded')
      .execute()
    assert.deepEqual(audited, [{ who: shared.manager.id }])
  })

  test('only team managers see it, and only for their own agency', async () => {
    const worker = await signedIn(shared.worker)
    assert.equal((await worker.get('/barometer')).statusCode, 403)
    assert.equal((await worker.get('/barometer.csv')).statusCode, 403)
    const elsewhere = await signedIn(await t.addUser(await t.addAgency(), 'team-manager'))
    const theirs = await elsewhere.get('/barometer')
    assert.equal(theirs.statusCode, 200)
    assert.match(theirs.body, /Your agency has no plans yet/)
    assert.match(
      (await manager.get('/children')).body,
      /href="\/barometer"/,
      'in the team manager’s navigation',
    )
  })
})
