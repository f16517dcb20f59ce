import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import type { LightMyRequestResponse } from 'fastify'
import { type TestApp, testApp } from '../../../test/support/app.ts'
import { childDetailsFor } from '../../../test/support/children.ts'
import { WebClient } from '../../../test/support/web-client.ts'
import { addDays, todayInEngland } from '../../platform/dates.ts'
import { accounts } from '../accounts/service.ts'
import { childrenService } from '../children/service.ts'
import { familiesService } from '../families/service.ts'

// The plan's life through the pages and the API (issue 5, acceptance 3): a step taken by the wrong
// role, or before its conditions hold, is refused with a clear message and changes nothing; a step
// allowed moves the plan, records who, when, the date and the note, and keeps a version.

describe('moving a plan through its life', () => {
  let t: TestApp
  let worker: WebClient
  let manager: WebClient
  let planId: string
  let siblingPlanId: string
  let api: (method: 'GET' | 'POST', url: string, payload?: object) => Promise<LightMyRequestResponse>

  const db = () => t.database.db
  const status = async (id = planId) =>
    (await db().selectFrom('plans').select('status').where('id', '=', id).executeTakeFirstOrThrow()).status
  const counts = async () => ({
    versions: (
      await db().selectFrom('plan_versions').select('number').where('plan_id', '=', planId).execute()
    ).length,
    moves: (await db().selectFrom('plan_transitions').select('id').where('plan_id', '=', planId).execute())
      .length,
  })
  const completeEverySection = () =>
    db().updateTable('plan_sections').set({ completed: true }).where('key', '!=', 'review').execute()

  before(async () => {
    t = await testApp()
    const agencyId = await t.addAgency()
    const workerUser = await t.addUser(agencyId, 'social-worker')
    worker = new WebClient(t.app)
    await worker.signIn(workerUser)
    manager = new WebClient(t.app)
    await manager.signIn(await t.addUser(agencyId, 'team-manager'))
    const deciderUser = await t.addUser(agencyId, 'decision-maker')
    const token = await accounts(db()).addToken(deciderUser.id, 1)
    api = (method, url, payload) =>
      t.app.inject({ method, url, payload, headers: { authorization: `Bearer ${token}` } })

    const actor = { kind: 'staff' as const, userId: workerUser.id, agencyId, role: 'social-worker' as const }
    const ada = await childrenService(db()).add(actor, childDetailsFor({ firstName: 'Ada' }), 'test')
    if (ada.outcome !== 'added') throw new Error('child not added')
    const bo = await childrenService(db()).add(
      actor,
      childDetailsFor({ firstName: 'Bo', siblingOf: ada.child.id }),
      'test',
    )
    if (bo.outcome !== 'added') throw new Error('child not added')
    const families = familiesService(db())
    const familyId = await families.add(
      actor,
      {
        approvingAgencyId: agencyId,
        adopters: [{ firstName: 'Sam', lastName: 'Reid', dateOfBirth: '1985-02-01', email: null }],
      },
      'test',
    )
    await families.match(actor, familyId, ada.child.id, 'test')
    await families.match(actor, familyId, bo.child.id, 'test')
    const started = await worker.post(`/children/${ada.child.id}/plan`, {})
    planId = String(started.headers.location).split('/')[2]?.split('?')[0] as string
    siblingPlanId = (
      await db().selectFrom('plans').select('id').where('id', '!=', planId).executeTakeFirstOrThrow()
    ).id
  })
  after(() => t.close())

  test('the front page lists the next steps, and what stands in the way of each', async () => {
    const page = await worker.get(`/plans/${planId}`)
    assert.match(page.body, /What happens next/)
    assert.match(
      page.body,
      new RegExp(`href="/plans/${planId}/next/with-adopters">Share the draft with the adopters`),
    )
    assert.match(page.body, /Present the plan to the matching panel<\/span>: not yet/)
    assert.match(page.body, /Complete the section “1. Professional network around the child and family”/)
    assert.match(page.body, /A team manager must sign off the plan as it stands now/)
    assert.doesNotMatch(page.body, /Sign off the plan/, 'a social worker does not sign off')
  })

  test('going to panel before the sections are completed and signed off is refused, and changes nothing', async () => {
    const before = await counts()
    await worker.get(`/plans/${planId}/next/at-panel`)
    const refused = await worker.post(`/plans/${planId}/next/at-panel`, {
      'date-day': '1',
      'date-month': '3',
      'date-year': '2026',
      note: 'Typed note',
    })
    assert.equal(refused.statusCode, 422)
    assert.match(refused.body, /href="#reasons">Complete the section “2. All about the child”/)
    assert.match(refused.body, /Typed note/, 'what was typed stays')
    assert.equal(await status(), 'draft')
    assert.deepEqual(await counts(), before)
  })

  test('sharing with the adopters moves the plan, keeps a version and records the move', async () => {
    await worker.get(`/plans/${planId}/next/with-adopters`)
    const moved = await worker.post(`/plans/${planId}/next/with-adopters`, {
      note: 'Shared after the meeting',
    })
    assert.equal(moved.headers.location, `/plans/${planId}?saved=moved`)
    assert.equal(await status(), 'with-adopters')
    assert.equal(await status(siblingPlanId), 'draft', 'a brother’s plan moves only when asked')
    const page = await worker.get(`/plans/${planId}?saved=moved`)
    assert.match(page.body, /Where the plan has been/)
    assert.match(page.body, /Draft to <strong>With the adopters<\/strong>: by Test social-worker/)
    assert.match(page.body, /Shared after the meeting/)
    assert.deepEqual(await counts(), { versions: 1, moves: 1 })
  })

  test('a sign-off holds only for the plan as it was signed off', async () => {
    await completeEverySection()
    await manager.get(`/plans/${planId}`)
    const signed = await manager.post(`/plans/${planId}/sign-off`, {})
    assert.equal(signed.headers.location, `/plans/${planId}?saved=signed-off`)
    assert.match((await manager.get(`/plans/${planId}`)).body, /Signed off/)
    // A change after sign-off: the sign-off no longer holds.
    const form = await worker.get(`/plans/${planId}/sections/adopters`)
    const version = /name="version" value="(\d+)"/.exec(form.body)?.[1] as string
    await worker.post(`/plans/${planId}/sections/adopters`, {
      version,
      strengths: 'Changed after sign-off',
      action: 'save',
    })
    await completeEverySection()
    await worker.get(`/plans/${planId}/next/at-panel`)
    const refused = await worker.post(`/plans/${planId}/next/at-panel`, {
      'date-day': '1',
      'date-month': '3',
      'date-year': '2026',
    })
    assert.match(refused.body, /A team manager must sign off the plan as it stands now/)
    assert.equal(await status(), 'with-adopters')
    await manager.get(`/plans/${planId}`)
    await manager.post(`/plans/${planId}/sign-off`, {})
    await worker.get(`/plans/${planId}/next/at-panel`)
    const moved = await worker.post(`/plans/${planId}/next/at-panel`, {
      'date-day': '1',
      'date-month': '3',
      'date-year': '2026',
    })
    assert.equal(moved.statusCode, 303)
    assert.equal(await status(), 'at-panel')
  })

  test('through the API: the wrong role, a missing or early date are refused with reasons; the decision maker records the decision', async () => {
    const url = `/api/v1/plans/${planId}/transitions`
    const before = await counts()
    const noDate = await api('POST', url, { to: 'match-approved' })
    assert.equal(noDate.statusCode, 422)
    assert.deepEqual(noDate.json().reasons, ['Enter the date of the agency decision'])
    const early = await api('POST', url, { to: 'match-approved', date: '2026-02-01' })
    assert.deepEqual(early.json().reasons, ['The date must be the same as or after the panel'])
    const skip = await api('POST', url, { to: 'agreed', date: '2026-04-01' })
    assert.deepEqual(skip.json().reasons, ['A plan that is “At panel” cannot become “Agreed”'])
    assert.deepEqual(await counts(), before)

    const moved = await api('POST', url, { to: 'match-approved', date: '2026-03-08', note: 'Approved' })
    assert.equal(moved.statusCode, 200)
    assert.equal(moved.json().status, 'match-approved')
    const match = await db()
      .selectFrom('matches')
      .select(['panel_on', 'decision_on'])
      .where('ended_at', 'is', null)
      .execute()
    assert.ok(match.some((row) => row.panel_on === '2026-03-01' && row.decision_on === '2026-03-08'))
    // The plan has left the panel: the decision maker no longer sees it.
    assert.equal((await api('POST', url, { to: 'draft', note: 'Too late' })).statusCode, 404)
  })

  test('agreed sets the date agreed; the order waits for the placement', async () => {
    await worker.get(`/plans/${planId}/next/agreed`)
    const social = await worker.post(`/plans/${planId}/next/agreed`, {
      'date-day': '20',
      'date-month': '3',
      'date-year': '2026',
    })
    assert.equal(social.statusCode, 303)
    const plan = await db()
      .selectFrom('plans')
      .select(['status', 'date_agreed'])
      .where('id', '=', planId)
      .executeTakeFirstOrThrow()
    assert.deepEqual(plan, { status: 'agreed', date_agreed: '2026-03-20' })
    assert.match((await worker.get(`/plans/${planId}`)).body, /20 March 2026/)
    await worker.get(`/plans/${planId}/next/order-made`)
    const order = await worker.post(`/plans/${planId}/next/order-made`, {
      'date-day': '1',
      'date-month': '4',
      'date-year': '2026',
    })
    assert.equal(order.statusCode, 422)
    assert.match(order.body, /Record the placement before the adoption order/)
    // An order is made, not planned: a date after today is refused, on the date itself.
    const [year, month, day] = addDays(todayInEngland(), 1).split('-') as [string, string, string]
    const tomorrow = await worker.post(`/plans/${planId}/next/order-made`, {
      'date-day': day,
      'date-month': month,
      'date-year': year,
    })
    assert.equal(tomorrow.statusCode, 422)
    assert.match(
      tomorrow.body,
      /href="#date-day">The date of the adoption order must be today or in the past/,
    )
    assert.equal(await status(), 'agreed')
  })

  test('brothers and sisters move together, or not at all', async () => {
    await worker.get(`/plans/${siblingPlanId}/next/with-adopters`)
    const page = await worker.get(`/plans/${siblingPlanId}/next/with-adopters`)
    assert.doesNotMatch(page.body, /Do the same for/, 'Ada’s plan is no longer where Bo’s is')
    await db().updateTable('plans').set({ status: 'draft' }).where('id', '=', planId).execute()
    const together = await worker.get(`/plans/${siblingPlanId}/next/with-adopters`)
    assert.match(together.body, /Do the same for Ada’s plan/)
    const moved = await worker.post(`/plans/${siblingPlanId}/next/with-adopters`, { withSiblings: 'yes' })
    assert.equal(moved.statusCode, 303)
    assert.deepEqual([await status(planId), await status(siblingPlanId)], ['with-adopters', 'with-adopters'])
  })
})

describe('the decision maker records the decision through the pages', () => {
  test('the step ends on a page saying it is done, as the plan has left their sight', async () => {
    const t = await testApp()
    try {
      const db = t.database.db
      const agencyId = await t.addAgency()
      const workerUser = await t.addUser(agencyId, 'social-worker')
      const actor = {
        kind: 'staff' as const,
        userId: workerUser.id,
        agencyId,
        role: 'social-worker' as const,
      }
      const ada = await childrenService(db).add(actor, childDetailsFor({ firstName: 'Ada' }), 'test')
      if (ada.outcome !== 'added') throw new Error('child not added')
      const families = familiesService(db)
      const familyId = await families.add(
        actor,
        {
          approvingAgencyId: agencyId,
          adopters: [{ firstName: 'Sam', lastName: 'Reid', dateOfBirth: '1985-02-01', email: null }],
        },
        'test',
      )
      await families.match(actor, familyId, ada.child.id, 'test')
      const worker = new WebClient(t.app)
      await worker.signIn(workerUser)
      const started = await worker.post(`/children/${ada.child.id}/plan`, {})
      const planId = String(started.headers.location).split('/')[2]?.split('?')[0] as string
      // Before the panel as the worker leaves it (the steps there are tested above).
      await db.updateTable('plans').set({ status: 'at-panel' }).where('id', '=', planId).execute()
      await db
        .updateTable('matches')
        .set({ panel_on: '2026-03-01' })
        .where('child_id', '=', ada.child.id)
        .execute()

      const decider = new WebClient(t.app)
      await decider.signIn(await t.addUser(agencyId, 'decision-maker'))
      const front = await decider.get(`/plans/${planId}`)
      assert.match(front.body, new RegExp(`href="/plans/${planId}/next/match-approved"`))
      await decider.get(`/plans/${planId}/next/match-approved`)
      const done = await decider.post(`/plans/${planId}/next/match-approved`, {
        'date-day': '8',
        'date-month': '3',
        'date-year': '2026',
        note: 'Approved',
      })
      assert.equal(done.statusCode, 200)
      assert.match(done.body, /The plan is now “Match approved”/)
      assert.match(done.body, /Ada Hartley’s adoption support plan, version \d+/)
      const plan = await db
        .selectFrom('plans')
        .select('status')
        .where('id', '=', planId)
        .executeTakeFirstOrThrow()
      assert.equal(plan.status, 'match-approved')
      assert.equal((await decider.get(`/plans/${planId}`)).statusCode, 404, 'the plan has left their sight')
    } finally {
      await t.close()
    }
  })
})
