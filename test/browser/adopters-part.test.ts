import assert from 'node:assert/strict'
import { test } from 'node:test'
import type { Page } from 'playwright-core'
import { browserJourney, expectNoAxeViolations, serve, signInAs } from '../support/browser.ts'
import { markAgreed, sharedPlan } from '../support/shared-plan.ts'

// The adopters' part in a real Chromium (issue 5, ADR 0016): an adopter signs in, reads the plan the
// worker shared, comments on a section, writes their views and asks for a review; the worker
// answers and resolves the comment and answers the request, and records a planning meeting; the
// adopter sees the answers, and once the plan is agreed acknowledges it; the team manager reads the
// Barometer. Every page, and every page with an error, is scanned with axe.

async function scanned(page: Page, label: string): Promise<void> {
  await page.waitForLoadState('load')
  await expectNoAxeViolations(page, label)
}

test('an adopter comments and asks for a review; the worker answers; the team manager reads the Barometer', {
  timeout: 240_000,
}, async (t) => {
  await browserJourney(t, async (browser, site) => {
    const shared = await sharedPlan(site, { child: 'Mia', adopterFirst: 'Robin', adopterLast: 'Ashby' })
    const baseURL = await serve(site.app)
    const planUrl = `/plans/${shared.planId}`

    // The adopter finds the plan and comments on a section.
    const adopter = await (await browser.newContext({ baseURL })).newPage()
    await signInAs(adopter, shared.adopter)
    await adopter.getByRole('link', { name: 'Your plan' }).click()
    await adopter.getByRole('heading', { name: 'Your adoption support plan' }).waitFor()
    await scanned(adopter, 'your plan')
    await adopter.getByRole('link', { name: 'Read Mia’s plan and comment on it' }).click()
    await adopter.getByRole('heading', { name: 'Your part in the plan' }).waitFor()
    await scanned(adopter, 'the plan’s front page, to the adopter')
    await adopter.getByRole('link', { name: '2. All about the child' }).click()
    await adopter.getByRole('heading', { name: '2. All about the child' }).waitFor()
    await scanned(adopter, 'a section to read')
    await adopter.getByRole('button', { name: 'Send comment' }).click()
    await adopter.getByRole('alert').filter({ hasText: 'There is a problem' }).waitFor()
    await scanned(adopter, 'a section, the comment missing')
    await adopter.getByLabel('Comment on this section').fill('Who will help Mia when she starts school?')
    await adopter.getByRole('button', { name: 'Send comment' }).click()
    await adopter.getByText('Your comment is sent').waitFor()
    await scanned(adopter, 'a section with a comment')

    // Their views, and a request for a review.
    await adopter.goto(planUrl)
    await adopter.getByRole('link', { name: 'Your views of the plan, in your own words' }).click()
    await adopter.getByLabel('Your views of the plan').fill('We agree with most of it; school needs more.')
    await scanned(adopter, 'your views')
    await adopter.getByRole('button', { name: 'Save your views' }).click()
    await adopter.getByText('Your views are saved').waitFor()
    await adopter.goto(planUrl)
    await adopter.getByRole('link', { name: 'Ask for a review of the plan' }).click()
    await scanned(adopter, 'ask for a review')
    await adopter.getByLabel('Why are you asking for a review?').fill('Mia is changing school in April.')
    await adopter.getByRole('button', { name: 'Send request' }).click()
    await adopter.getByText('Your request for a review is sent').waitFor()
    await scanned(adopter, 'requests for a review, to the adopter')
    await adopter.getByRole('link', { name: 'Guide to the plan' }).click()
    await adopter.getByRole('heading', { name: 'Your adoption support plan' }).waitFor()
    await scanned(adopter, 'the guide for adopters')

    // The worker answers the comment and resolves it, answers the request, records a meeting.
    const worker = await (await browser.newContext({ baseURL })).newPage()
    await signInAs(worker, shared.worker)
    await worker.goto(planUrl)
    await worker.getByText('The adopters have asked for a review').waitFor()
    await scanned(worker, 'the plan’s front page, to the worker')
    await worker.getByRole('link', { name: 'See the comments' }).click()
    await worker.getByRole('heading', { name: 'Comments from the adopters' }).waitFor()
    await worker.getByRole('button', { name: 'Save your answer' }).click()
    await worker.getByRole('alert').filter({ hasText: 'There is a problem' }).waitFor()
    await scanned(worker, 'comments, the answer missing')
    await worker
      .getByLabel('Your answer')
      .fill('The virtual school’s adviser, from April. I have added it to the plan.')
    await worker.getByLabel('The comment is resolved').check()
    await worker.getByRole('button', { name: 'Save your answer' }).click()
    await worker.getByText('Answer saved').waitFor()
    await worker.getByRole('heading', { name: 'Resolved comments (1)' }).waitFor()
    await scanned(worker, 'comments, resolved')
    await worker.goto(`${planUrl}/review-requests`)
    await worker.getByLabel('Your answer').fill('A review is arranged for 2 April.')
    await worker.getByRole('button', { name: /Send answer/ }).click()
    await worker.getByText('Answer sent').waitFor()
    await scanned(worker, 'requests for a review, answered')
    await worker.goto(`${planUrl}/sections/adopters`)
    await worker.getByText('We agree with most of it; school needs more.').waitFor()
    await worker.goto(planUrl)
    await worker.getByRole('button', { name: 'Record a planning meeting' }).click()
    await scanned(worker, 'record a planning meeting')
    await worker.getByLabel('Day').fill('2')
    await worker.getByLabel('Month').fill('3')
    await worker.getByLabel('Year').fill('2026')
    await worker.getByLabel('Who attended').fill('Robin Ashby, adopter\nThe social worker')
    await worker.getByLabel('Adoption support service consulted').fill('Adoption support team')
    await worker.getByLabel('What the meeting agreed').fill('Therapeutic parenting course from May')
    await worker.getByRole('button', { name: 'Record the meeting' }).click()
    await worker.getByRole('heading', { name: 'Meeting on 2 March 2026' }).waitFor()
    await scanned(worker, 'the front page with a meeting')

    // The adopter reads the answers; once agreed, acknowledges the plan.
    await adopter.goto(`${planUrl}/comments`)
    await adopter.getByText('The virtual school’s adviser, from April.').waitFor()
    await scanned(adopter, 'comments, answered, to the adopter')
    await adopter.goto(`${planUrl}/review-requests`)
    await adopter.getByText('A review is arranged for 2 April.').waitFor()
    await markAgreed(site, shared.planId, shared.worker.id)
    await adopter.goto(planUrl)
    await adopter.getByRole('link', { name: /acknowledge the agreed plan/ }).click()
    await adopter.getByRole('button', { name: 'Acknowledge the agreed plan' }).click()
    await adopter.getByRole('alert').filter({ hasText: 'There is a problem' }).waitFor()
    await scanned(adopter, 'acknowledge, the name missing')
    await adopter.getByLabel('Your full name').fill('Robin Ashby')
    await adopter.getByRole('button', { name: 'Acknowledge the agreed plan' }).click()
    await adopter.getByText('your acknowledgement is recorded').waitFor()
    await scanned(adopter, 'acknowledged')
    await worker.goto(planUrl)
    await worker.getByText(/Acknowledged by Robin Ashby on .*, version \d+/).waitFor()

    // The team manager's Barometer.
    const manager = await (await browser.newContext({ baseURL })).newPage()
    await signInAs(manager, shared.manager)
    await manager.getByRole('link', { name: 'Barometer' }).click()
    await manager.getByRole('heading', { name: /Adoption UK Barometer/ }).waitFor()
    const row = manager.getByRole('row', { name: /Mia Hartley/ })
    assert.match((await row.textContent()) ?? '', /Yes: commented, gave their views, planning meeting/)
    await scanned(manager, 'the Barometer')
  })
})
