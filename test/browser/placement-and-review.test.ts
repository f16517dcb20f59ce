import assert from 'node:assert/strict'
import { test } from 'node:test'
import type { Browser, Page } from 'playwright-core'
import { addDays, addMonths, formatDate, todayInEngland } from '../../src/platform/dates.ts'
import type { TestUser } from '../support/app.ts'
import { browserJourney, expectNoAxeViolations, serve, signInAs } from '../support/browser.ts'
import { agreedPlan } from '../support/placements.ts'

// Issue 5, reviews: in a real Chromium the worker records the date the child was placed and writes
// the before-review part of the first review; the IRO allocated to the child signs in and records
// the after-review part. The review then appears on the schedule, in section 5 of the plan and as
// the plan's date updated. Every page on the way, errors included, is scanned with axe.

async function signIn(browser: Browser, baseURL: string, user: TestUser): Promise<Page> {
  const page = await (await browser.newContext({ baseURL })).newPage()
  await signInAs(page, user)
  return page
}

async function scanned(page: Page, label: string): Promise<void> {
  await page.waitForLoadState('load')
  await expectNoAxeViolations(page, label)
}

async function fillDate(page: Page, prefix: string, iso: string): Promise<void> {
  const [year, month, day] = iso.split('-')
  await page.locator(`#${prefix}-day`).fill(String(Number(day)))
  await page.locator(`#${prefix}-month`).fill(String(Number(month)))
  await page.locator(`#${prefix}-year`).fill(year as string)
}

test(
  'the worker records the placement and prepares a review; the IRO records it',
  { timeout: 120_000 },
  (t) =>
    browserJourney(t, async (browser, site) => {
      const agencyId = await site.addAgency()
      const workerUser = await site.addUser(agencyId, 'social-worker')
      const iroUser = await site.addUser(agencyId, 'iro')
      const today = todayInEngland()
      const placedOn = addDays(today, -10)
      const heldOn = addDays(today, -2)
      const { planId } = await agreedPlan(site, workerUser, { iro: iroUser, dateAgreed: addDays(today, -20) })
      const baseURL = await serve(site.app)

      // The worker: the placement, then the review's first part.
      const worker = await signIn(browser, baseURL, workerUser)
      await worker.goto(`/plans/${planId}`)
      await scanned(worker, 'the plan before placement')
      await worker.getByRole('link', { name: 'Record the placement' }).click()
      await scanned(worker, 'the placement form')
      await worker.getByRole('button', { name: 'Save the placement’s dates' }).click()
      await worker.locator('.govuk-error-summary').waitFor()
      await scanned(worker, 'the placement form with an error')
      await fillDate(worker, 'placedOn', placedOn)
      await worker.getByRole('button', { name: 'Save the placement’s dates' }).click()
      await worker.getByText('The placement’s dates are recorded').waitFor()
      await scanned(worker, 'the reviews’ schedule after placement')
      assert.ok(
        await worker.getByText(`is due by ${formatDate(addDays(placedOn, 28))}`).isVisible(),
        'the first review is due 4 weeks after placement',
      )

      await worker.getByRole('button', { name: 'Start a review' }).click()
      await scanned(worker, 'starting a review')
      await worker.getByLabel('The review that is due').check()
      await worker.getByRole('button', { name: 'Start the review' }).click()
      await worker.getByRole('heading', { name: 'Before the review' }).waitFor()
      await scanned(worker, 'the before-review part')
      await worker
        .getByLabel(/How have the child’s and the family’s needs changed/)
        .fill('Ada has settled; she naps well.')
      await worker.getByRole('button', { name: 'Save the before-review part' }).click()
      await worker.locator('.govuk-error-summary').waitFor()
      await scanned(worker, 'the before-review part with errors')
      assert.equal(
        await worker.getByLabel(/How have the child’s and the family’s needs changed/).inputValue(),
        'Ada has settled; she naps well.',
        'what was typed stays',
      )
      await worker.getByLabel('The child’s views').fill('Too young to say; she smiles at nursery.')
      await worker.getByLabel('The adopters’ views').fill('Sam would like a support group.')
      await worker.getByRole('button', { name: 'Save the before-review part' }).click()
      await worker.getByText('The before-review part is saved').waitFor()
      await scanned(worker, 'the review, waiting for the IRO')
      const reviewPath = new URL(worker.url()).pathname

      // The IRO allocated to the child: the record of the review.
      const iro = await signIn(browser, baseURL, iroUser)
      await iro.goto(`/plans/${planId}/reviews`)
      await scanned(iro, 'the schedule, for the IRO')
      await iro
        .getByRole('link', { name: /the review that is due, waiting for the reviewing officer/ })
        .click()
      assert.equal(new URL(iro.url()).pathname, reviewPath)
      await iro.getByRole('button', { name: 'Record the review' }).click()
      await scanned(iro, 'the after-review part')
      await fillDate(iro, 'heldOn', heldOn)
      await iro
        .getByLabel(/recommendations that add to or change the support/)
        .fill('Refer to the support group.')
      await iro.getByLabel(/How often the social worker visits/).fill('Every six weeks')
      await iro.getByRole('button', { name: 'Record the review' }).click()
      await iro.getByText('The review is recorded').waitFor()
      await scanned(iro, 'the recorded review')

      // On the schedule, in section 5, and as the plan's date updated.
      await worker.goto(`/plans/${planId}/reviews`)
      await scanned(worker, 'the schedule with a review held')
      await worker.getByRole('link', { name: 'Review 1 after placement' }).waitFor()
      assert.ok(
        await worker
          .getByText(`Review 2 after placement is due by ${formatDate(addMonths(heldOn, 3))}`)
          .isVisible(),
        'the second review is due 3 months after the first was held',
      )
      await worker.goto(`/plans/${planId}`)
      await scanned(worker, 'the plan with a review recorded')
      assert.ok(await worker.getByText('1 review recorded').isVisible())
      assert.ok(
        await worker
          .locator('.govuk-summary-list__row', { hasText: 'Dates updated' })
          .getByText(formatDate(today))
          .isVisible(),
      )
      await worker.getByRole('link', { name: '5. Review of the plan' }).click()
      await scanned(worker, 'section 5 of the plan')
      assert.ok(await worker.getByText('Ada has settled; she naps well.').isVisible())
      assert.ok(await worker.getByText('Refer to the support group.').isVisible())
      assert.ok(
        await worker.getByRole('heading', { name: `Review held on ${formatDate(heldOn)}` }).isVisible(),
      )
    }),
)
