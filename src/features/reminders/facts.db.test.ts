import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { testDatabase } from '../../../test/support/database.ts'
import {
  addAdopterUser,
  addStaff,
  commentDaysAgo,
  placedDaysAgo,
  planFor,
  reviewRequestDaysAgo,
  type Staff,
  type TestPlan,
} from '../../../test/support/reminders.ts'
import type { DatabaseHandle } from '../../db/database.ts'
import { addDays, todayInEngland } from '../../platform/dates.ts'
import { accounts } from '../accounts/service.ts'
import { OPEN_STATUSES, type PlanReminders, reminderFacts } from './facts.ts'
import { remindersService } from './service.ts'

// The reminders' facts for many plans from a few queries (docs/adr/0018), on plans built to give
// each reminder or not: a review overdue or due soon, comments answered, resolved or waiting, a
// request for a review waiting; who each is for; and what stays out (another agency, a draft, an
// ended allocation, an inactive account). Runs on PGlite and PostgreSQL.

describe('the reminders’ facts', () => {
  let handle: DatabaseHandle
  const today = todayInEngland()
  let lead: Staff
  let allocatedWorker: Staff
  let iro: Staff
  let manager: Staff
  let retiredManager: Staff
  let otherManager: Staff
  const plan: Record<string, TestPlan> = {}
  const comment: Record<string, string> = {}
  const request: Record<string, string> = {}

  const db = () => handle.db
  const byPlan = (rows: PlanReminders[], key: string) =>
    rows.find((row) => row.planId === plan[key]?.planId) as PlanReminders
  const kinds = (row: PlanReminders) => row.reminders.map((reminder) => `${reminder.kind}:${reminder.about}`)

  before(async () => {
    handle = await testDatabase()
    const people = accounts(db())
    const agency = await people.addAgency({ name: 'Reminders RAA', kind: 'raa' })
    const elsewhere = await people.addAgency({ name: 'Another RAA', kind: 'raa' })
    lead = await addStaff(db(), agency, 'social-worker')
    allocatedWorker = await addStaff(db(), agency, 'social-worker')
    iro = await addStaff(db(), agency, 'iro')
    manager = await addStaff(db(), agency, 'team-manager')
    retiredManager = await addStaff(db(), agency, 'team-manager')
    await db().updateTable('users').set({ active: false }).where('id', '=', retiredManager.userId).execute()
    const otherWorker = await addStaff(db(), elsewhere, 'social-worker')
    otherManager = await addStaff(db(), elsewhere, 'team-manager')

    plan.overdue = await planFor(db(), lead, { firstName: 'Amy', allocate: [allocatedWorker, iro] })
    await placedDaysAgo(db(), plan.overdue, today, 30)
    plan.soon = await planFor(db(), lead, { firstName: 'Ben' })
    await placedDaysAgo(db(), plan.soon, today, 20)
    plan.shared = await planFor(db(), lead, { firstName: 'Cal', status: 'with-adopters' })
    plan.draft = await planFor(db(), lead, { firstName: 'Dee', status: 'draft' })
    await placedDaysAgo(db(), plan.draft, today, 40)
    plan.elsewhere = await planFor(db(), otherWorker, { firstName: 'Eve' })
    await placedDaysAgo(db(), plan.elsewhere, today, 30)

    const adopter = await addAdopterUser(db(), agency)
    const shared = plan.shared as TestPlan
    comment.waiting = await commentDaysAgo(db(), shared, adopter, 14)
    comment.resolved = await commentDaysAgo(db(), shared, adopter, 14)
    await db()
      .updateTable('plan_comments')
      .set({ resolved_at: new Date(), resolved_by: lead.userId })
      .where('id', '=', comment.resolved)
      .execute()
    comment.answered = await commentDaysAgo(db(), shared, adopter, 14)
    comment.adopterReplied = await commentDaysAgo(db(), shared, adopter, 14)
    await db()
      .insertInto('plan_comment_replies')
      .values([
        { comment_id: comment.answered, author_kind: 'staff', body: 'An answer', written_by: lead.userId },
        { comment_id: comment.adopterReplied, author_kind: 'adopter', body: 'More', written_by: adopter },
      ])
      .execute()
    comment.recent = await commentDaysAgo(db(), shared, adopter, 1)
    await commentDaysAgo(db(), plan.draft as TestPlan, adopter, 14)
    request.waiting = await reviewRequestDaysAgo(db(), shared, adopter, 14)
    request.answered = await reviewRequestDaysAgo(db(), shared, adopter, 14)
    await db()
      .updateTable('plan_review_requests')
      .set({ answer: 'Yes', answered_by: iro.userId, answered_at: new Date() })
      .where('id', '=', request.answered)
      .execute()
  })
  after(() => handle.close())

  test('one agency’s plans that can have a reminder, with each reminder', async () => {
    const rows = await reminderFacts(db(), { agencyId: lead.agencyId }, today)
    assert.deepEqual(
      rows.map((row) => row.child.firstName),
      ['Amy', 'Ben', 'Cal'],
      'by name; not the draft, nor another agency’s plan',
    )
    const overdueOn = addDays(today, -30 + 28)
    assert.deepEqual(kinds(byPlan(rows, 'overdue')), [`review-overdue:${overdueOn}`])
    assert.equal(byPlan(rows, 'overdue').nextReviewDueOn, overdueOn)
    assert.deepEqual(kinds(byPlan(rows, 'soon')), [`review-due-soon:${addDays(today, 8)}`])
    assert.deepEqual(kinds(byPlan(rows, 'shared')), [
      `comment-unanswered:${comment.waiting}`,
      `comment-unanswered:${comment.adopterReplied}`,
      `review-request-unanswered:${request.waiting}`,
    ])
  })

  test('who each reminder is for: the workers on the case, the allocated IRO, the agency’s managers', async () => {
    const rows = await reminderFacts(db(), { agencyId: lead.agencyId }, today)
    const people = byPlan(rows, 'overdue').people
    const ids = (list: { userId: string }[]) => list.map((person) => person.userId).sort()
    assert.deepEqual(ids(people.worker), [lead.userId, allocatedWorker.userId].sort())
    assert.deepEqual(ids(people.iro), [iro.userId])
    assert.deepEqual(ids(people['team-manager']), [manager.userId], 'not the inactive one, not elsewhere')
    assert.deepEqual(ids(byPlan(rows, 'soon').people.iro), [], 'no IRO allocated to Ben')

    await db()
      .updateTable('allocations')
      .set({ ended_at: new Date() })
      .where('user_id', '=', allocatedWorker.userId)
      .execute()
    const after = await reminderFacts(db(), { planIds: [plan.overdue?.planId as string] }, today)
    assert.deepEqual(ids(after[0]?.people.worker ?? []), [lead.userId], 'an ended allocation is no one’s')
    await db()
      .updateTable('allocations')
      .set({ ended_at: null })
      .where('user_id', '=', allocatedWorker.userId)
      .execute()
  })

  test('a person’s case: the children allocated to them, or whose plan they lead', async () => {
    const ofIro = await reminderFacts(db(), { agencyId: iro.agencyId, caseOf: iro.userId }, today)
    assert.deepEqual(
      ofIro.map((row) => row.child.firstName),
      ['Amy'],
    )
    const ofLead = await reminderFacts(db(), { agencyId: lead.agencyId, caseOf: lead.userId }, today)
    assert.deepEqual(
      ofLead.map((row) => row.child.firstName),
      ['Amy', 'Ben', 'Cal'],
    )
  })

  test('a caseload’s next review date in any status, with no reminder outside the reminders’ statuses', async () => {
    const rows = await reminderFacts(
      db(),
      { planIds: [plan.draft?.planId as string], statuses: OPEN_STATUSES },
      today,
    )
    assert.equal(rows[0]?.nextReviewDueOn, addDays(today, -40 + 28))
    assert.deepEqual(rows[0]?.reminders, [], 'a draft is not reminded of, even with a date past')
  })

  test('every agency at once, for the sweep', async () => {
    const rows = await reminderFacts(db(), {}, today)
    assert.ok(rows.some((row) => row.planId === plan.elsewhere?.planId))
    assert.deepEqual(
      byPlan(rows, 'elsewhere').people['team-manager'].map((person) => person.userId),
      [otherManager.userId],
    )
  })

  test('each person’s things to do, and the team manager’s view of what is overdue', async () => {
    const reminders = remindersService(db())
    const texts = async (who: Staff) =>
      (await reminders.thingsToDo(who)).map((thing) => `${thing.childName.split(' ')[0]} ${thing.kind}`)
    assert.deepEqual(await texts(allocatedWorker), ['Amy review-overdue'])
    assert.deepEqual(await texts(iro), ['Amy review-overdue'])
    assert.deepEqual((await texts(lead)).sort(), [
      'Amy review-overdue',
      'Ben review-due-soon',
      'Cal comment-unanswered',
      'Cal comment-unanswered',
      'Cal review-request-unanswered',
    ])
    assert.deepEqual((await texts(manager)).sort(), ['Amy review-overdue', 'Cal review-request-unanswered'])
    assert.deepEqual(await texts(retiredManager), [], 'an inactive account is reminded of nothing')
    const overdue = await reminders.overdueInAgency(manager)
    assert.deepEqual(overdue.map((thing) => thing.kind).sort(), [
      'comment-unanswered',
      'comment-unanswered',
      'review-overdue',
      'review-request-unanswered',
    ])
    const links = Object.fromEntries(overdue.map((thing) => [thing.kind, thing.href]))
    assert.equal(links['review-overdue'], `/plans/${plan.overdue?.planId}/reviews`)
    assert.equal(links['comment-unanswered'], `/plans/${plan.shared?.planId}/comments`)
    assert.equal(links['review-request-unanswered'], `/plans/${plan.shared?.planId}/review-requests`)
  })
})
