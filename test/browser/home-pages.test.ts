import assert from 'node:assert/strict'
import { test } from 'node:test'
import type { Browser, Page } from 'playwright-core'
import { todayInEngland } from '../../src/platform/dates.ts'
import type { TestUser } from '../support/app.ts'
import { browserJourney, expectNoAxeViolations, serve, signInAs } from '../support/browser.ts'
import { commentDaysAgo, placedDaysAgo, planFor, reviewRequestDaysAgo } from '../support/reminders.ts'
import { sharedPlan } from '../support/shared-plan.ts'

// Each person lands on their own home page when they sign in (issue 5, "Home pages by role"): the
// social worker's caseload and things to do, the IRO's reviews, the team manager's team view and
// the adopter's plan with their comments. Each page passes axe, and a thing to do leads to the page
// where it is done.

test('signing in lands each person on their home page', { timeout: 120_000 }, async (t) => {
  await browserJourney(t, async (browser: Browser, site) => {
    const db = site.database.db
    const today = todayInEngland()
    const shared = await sharedPlan(site, { child: 'Mia', adopterFirst: 'Robin', adopterLast: 'Ashby' })
    const iro = {
      kind: 'staff' as const,
      userId: shared.iro.id,
      agencyId: shared.agencyId,
      role: 'iro' as const,
    }
    const overdue = await planFor(db, shared.workerActor, { firstName: 'Ned', allocate: [iro] })
    await placedDaysAgo(db, overdue, today, 30)
    const mia = { planId: shared.planId, childId: shared.childId, familyId: shared.familyId }
    await commentDaysAgo(db, mia, shared.adopter.id, 14)
    await reviewRequestDaysAgo(db, mia, shared.adopter.id, 14)
    const ready = await planFor(db, shared.workerActor, { firstName: 'Ola', status: 'draft' })
    await db
      .updateTable('plan_sections')
      .set({ completed: true })
      .where('plan_id', '=', ready.planId)
      .execute()

    const baseURL = await serve(site.app)
    const landOn = async (user: TestUser, heading: string): Promise<Page> => {
      const page = await (await browser.newContext({ baseURL })).newPage()
      await signInAs(page, user)
      await page.waitForURL((url) => url.pathname === '/home')
      await page.getByRole('heading', { level: 1, name: heading }).waitFor()
      await expectNoAxeViolations(page, `the home page: ${heading}`)
      return page
    }

    const worker = await landOn(shared.worker, 'Your caseload')
    await worker.getByRole('link', { name: /An adopter’s comment is unanswered/ }).click()
    await worker.waitForURL((url) => url.pathname === `/plans/${shared.planId}/comments`)
    await worker.getByRole('heading', { name: 'Comments from the adopters' }).waitFor()

    const reviewer = await landOn(shared.iro, 'Your reviews')
    assert.equal(await reviewer.getByRole('link', { name: /Review overdue/ }).count(), 1)
    await reviewer.getByRole('link', { name: /The adopters asked for a review/ }).click()
    await reviewer.waitForURL((url) => url.pathname === `/plans/${shared.planId}/review-requests`)
    await reviewer.getByRole('heading', { name: 'Requests for a review' }).waitFor()

    const manager = await landOn(shared.manager, 'Your team')
    await manager.getByRole('link', { name: /Read the plan and sign it off/ }).click()
    await manager.waitForURL((url) => url.pathname === `/plans/${ready.planId}`)

    const adopter = await landOn(shared.adopter, 'Your home page')
    await adopter.getByRole('heading', { name: 'Mia’s adoption support plan' }).waitFor()
    await adopter.getByText('Waiting for an answer').first().waitFor()
    await adopter.getByRole('link', { name: 'Read Mia’s plan and comment on it' }).click()
    await adopter.waitForURL((url) => url.pathname === `/plans/${shared.planId}`)
  })
})
