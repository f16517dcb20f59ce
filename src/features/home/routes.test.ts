import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { type TestApp, type TestUser, testApp } from '../../../test/support/app.ts'
import { childDetailsFor } from '../../../test/support/children.ts'
import {
  commentDaysAgo,
  placedDaysAgo,
  planFor,
  reviewRequestDaysAgo,
  type TestPlan,
} from '../../../test/support/reminders.ts'
import { type SharedPlan, sharedPlan } from '../../../test/support/shared-plan.ts'
import { WebClient } from '../../../test/support/web-client.ts'
import { addDays, formatDate, todayInEngland } from '../../platform/dates.ts'
import { allocationsService } from '../allocations/service.ts'
import { childrenService } from '../children/service.ts'
import { lifecycleService } from '../plans/lifecycle.ts'
import { plansService } from '../plans/service.ts'

// Each person's home page, by role: what shows (their things to do, each linking to where it is
// done; their children; the plans waiting for them) and what does not (another agency's plans, a
// child not on their case, another family's plan).

describe('home pages', () => {
  let t: TestApp
  let ours: SharedPlan
  let theirs: SharedPlan
  let overdue: TestPlan
  let toSignOff: TestPlan
  let afterOrder: TestPlan
  let atPanel: TestPlan
  let otherIro: TestUser
  let supportWorker: TestUser
  let panelMember: TestUser
  let admin: TestUser
  const today = todayInEngland()

  // One sign-in each: an authenticator code is good once.
  const clients = new Map<string, WebClient>()
  const signedIn = async (user: TestUser) => {
    const known = clients.get(user.id)
    if (known) return known
    const client = new WebClient(t.app)
    await client.signIn(user)
    clients.set(user.id, client)
    return client
  }
  const home = async (user: TestUser) => {
    const page = await (await signedIn(user)).get('/home')
    assert.equal(page.statusCode, 200)
    return page.body
  }

  before(async () => {
    t = await testApp()
    const db = t.database.db
    ours = await sharedPlan(t, { child: 'Mia', adopterFirst: 'Robin', adopterLast: 'Ashby' })
    theirs = await sharedPlan(t, { child: 'Zoe', adopterFirst: 'Kit', adopterLast: 'Vale' })
    const worker = ours.workerActor
    const iro = { kind: 'staff' as const, userId: ours.iro.id, agencyId: ours.agencyId, role: 'iro' as const }

    // Ned: placed 30 days ago, so his first review is overdue; his IRO is ours.
    overdue = await planFor(db, worker, { firstName: 'Ned', allocate: [iro] })
    await placedDaysAgo(db, overdue, today, 30)
    // Zoe's agency has an overdue review too: nobody of ours sees it.
    await placedDaysAgo(
      db,
      { planId: theirs.planId, childId: theirs.childId, familyId: theirs.familyId },
      today,
      30,
    )
    await db.updateTable('plans').set({ status: 'agreed' }).where('id', '=', theirs.planId).execute()

    // Mia's adopters: a comment waiting two weeks, one answered, and a request for a review waiting.
    const shared = { planId: ours.planId, childId: ours.childId, familyId: ours.familyId }
    await commentDaysAgo(db, shared, ours.adopter.id, 14)
    const answered = await commentDaysAgo(db, shared, ours.adopter.id, 3)
    await db
      .insertInto('plan_comment_replies')
      .values({
        comment_id: answered,
        author_kind: 'staff',
        body: 'Canary answer: the school support starts in May',
        written_by: ours.worker.id,
      })
      .execute()
    await reviewRequestDaysAgo(db, shared, ours.adopter.id, 14)

    // Ola's plan: every section completed, not signed off.
    toSignOff = await planFor(db, worker, { firstName: 'Ola', status: 'draft' })
    await db
      .updateTable('plan_sections')
      .set({ completed: true })
      .where('plan_id', '=', toSignOff.planId)
      .execute()
    // Pip's: after the order, with the adoption support team.
    afterOrder = await planFor(db, worker, { firstName: 'Pip', status: 'post-order' })
    await db
      .updateTable('matches')
      .set({ placed_on: '2024-01-10', order_on: '2024-09-30' })
      .where('child_id', '=', afterOrder.childId)
      .execute()
    // Quin's: before the panel.
    atPanel = await planFor(db, worker, { firstName: 'Quin', status: 'at-panel' })

    otherIro = await t.addUser(ours.agencyId, 'iro')
    supportWorker = await t.addUser(ours.agencyId, 'support-worker')
    panelMember = await t.addUser(ours.agencyId, 'panel-member')
    admin = await t.addUser(ours.agencyId, 'agency-admin')
  })
  after(() => t.close())

  test('signing in lands on the home page; the home page needs someone signed in', async () => {
    const worker = await signedIn(ours.worker)
    assert.equal((await worker.get('/')).headers.location, '/home')
    const adopter = await signedIn(ours.adopter)
    assert.equal((await adopter.get('/')).headers.location, '/home')
    const anonymous = new WebClient(t.app)
    assert.equal((await anonymous.get('/home')).headers.location, '/sign-in')
    assert.match((await worker.get('/home')).body, /<a class="govuk-service-navigation__link" href="\/home"/)
  })

  test('a social worker: things to do, linked to where each is done, and their caseload', async () => {
    const body = await home(ours.worker)
    assert.match(body, /<h1 class="govuk-heading-l">Your caseload<\/h1>/)
    assert.match(
      body,
      new RegExp(
        `href="/plans/${overdue.planId}/reviews">Review overdue: it was due by ${formatDate(addDays(today, -2))}`,
      ),
    )
    assert.match(body, new RegExp(`href="/plans/${ours.planId}/comments">An adopter’s comment is unanswered`))
    assert.match(
      body,
      new RegExp(`href="/plans/${ours.planId}/review-requests">The adopters asked for a review`),
    )
    // The caseload: the children whose plans this worker leads, each with the status and next review.
    for (const name of ['Mia Hartley', 'Ned Reminder', 'Ola Reminder', 'Pip Reminder', 'Quin Reminder'])
      assert.match(body, new RegExp(name))
    assert.match(
      body,
      new RegExp(`href="/plans/${overdue.planId}/reviews">${formatDate(addDays(today, -2))}`),
    )
    assert.match(body, /With the adopters/)
    assert.doesNotMatch(body, /Zoe/, 'another agency’s child never appears')
  })

  test('a social worker’s caseload comes a page at a time', async () => {
    const lone = await t.addUser(ours.agencyId, 'social-worker')
    const children = childrenService(t.database.db)
    const allocations = allocationsService(t.database.db)
    for (let n = 1; n <= 26; n++) {
      const added = await children.add(
        ours.workerActor,
        childDetailsFor({ firstName: `Kid${String(n).padStart(2, '0')}`, lastName: 'Paged' }),
        'test',
      )
      if (added.outcome !== 'added') throw new Error('child not added')
      await allocations.allocate({ kind: 'operator' }, added.child.id, lone.id, 'test')
    }
    const client = await signedIn(lone)
    const first = (await client.get('/home')).body
    assert.match(first, /26 children, page 1 of 2/)
    assert.match(first, /Kid25 Paged/)
    assert.doesNotMatch(first, /Kid26 Paged/)
    assert.match(first, /No plan yet/)
    assert.match(first, /You have nothing waiting/)
    assert.match((await client.get('/home?page=2')).body, /Kid26 Paged/)
  })

  test('an IRO: the reviews due and overdue, and the requests, of their children only', async () => {
    const body = await home(ours.iro)
    assert.match(body, /<h1 class="govuk-heading-l">Your reviews<\/h1>/)
    assert.match(body, new RegExp(`href="/plans/${overdue.planId}/reviews">Review overdue`))
    assert.match(
      body,
      new RegExp(`href="/plans/${ours.planId}/review-requests">The adopters asked for a review`),
    )
    assert.doesNotMatch(body, /comment is unanswered/, 'comments are the worker’s to answer')
    assert.match(body, /Mia Hartley/)
    assert.match(body, /Ned Reminder/)
    assert.doesNotMatch(body, /Ola Reminder/, 'a child not allocated to the IRO')
    assert.doesNotMatch(body, /Zoe/)

    const other = await home(otherIro)
    assert.match(other, /No review of your children is due/)
    assert.match(other, /No children are allocated to you yet/)
    assert.doesNotMatch(other, /Ned|Mia/)
  })

  test('a team manager: what is overdue across the agency, plans to sign off, and the Barometer', async () => {
    const body = await home(ours.manager)
    assert.match(body, /<h1 class="govuk-heading-l">Your team<\/h1>/)
    assert.match(body, new RegExp(`href="/plans/${overdue.planId}/reviews">Review overdue`))
    assert.match(body, new RegExp(`href="/plans/${ours.planId}/comments">An adopter’s comment is unanswered`))
    assert.match(body, new RegExp(`href="/plans/${ours.planId}/review-requests">`))
    assert.match(body, new RegExp(`href="/plans/${toSignOff.planId}">Read the plan and sign it off`))
    assert.match(body, /href="\/barometer"/)
    assert.doesNotMatch(body, /Zoe/)

    // Signed off as it stands, the plan no longer waits; changed afterwards, it waits again.
    const manager = {
      kind: 'staff' as const,
      userId: ours.manager.id,
      agencyId: ours.agencyId,
      role: 'team-manager' as const,
    }
    const plans = plansService(t.database.db)
    await lifecycleService(t.database.db, plans).signOff(manager, toSignOff.planId, 'test')
    assert.doesNotMatch(await home(ours.manager), new RegExp(`href="/plans/${toSignOff.planId}">`))
  })

  test('a support worker: the plans handed to the adoption support team', async () => {
    const body = await home(supportWorker)
    assert.match(body, /Plans with the adoption support team/)
    assert.match(body, new RegExp(`href="/plans/${afterOrder.planId}">Pip Reminder`))
    assert.match(body, /30 September 2024/)
    assert.match(body, /30 September 2027/, 'the three years of the placing agency’s responsibility')
    assert.doesNotMatch(body, /Ned Reminder|Zoe/)
  })

  test('a panel member: the plans before the panel', async () => {
    const body = await home(panelMember)
    assert.match(body, new RegExp(`href="/plans/${atPanel.planId}">Quin Reminder`))
    assert.doesNotMatch(body, /Ned Reminder|Zoe/)
  })

  test('an agency administrator: the way to their work', async () => {
    const body = await home(admin)
    assert.match(body, /href="\/staff"/)
    assert.doesNotMatch(body, /Reminder|Mia|Zoe/)
  })

  test('an adopter: their plan, their comments and requests with the answers; never another family’s', async () => {
    const body = await home(ours.adopter)
    assert.match(body, /Mia’s adoption support plan/)
    assert.match(body, new RegExp(`href="/plans/${ours.planId}"`))
    assert.match(body, /Canary answer: the school support starts in May/)
    assert.match(body, /Answered/)
    assert.match(body, /Waiting for an answer/)
    assert.match(body, /waiting for an answer\./, 'the request for a review, not answered yet')
    assert.doesNotMatch(body, /Zoe|Ned|Kit Vale/)
    assert.doesNotMatch(await home(theirs.adopter), /Mia|Canary/)
    const seen = await t.database.db
      .selectFrom('audit_events')
      .select('what')
      .where('who', '=', ours.adopter.id)
      .where('what', '=', 'adopters-home-viewed')
      .execute()
    assert.ok(seen.length >= 1, 'what was said about the child is seen on the record')
  })
})
