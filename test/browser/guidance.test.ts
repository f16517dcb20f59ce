import assert from 'node:assert/strict'
import { test } from 'node:test'
import { browserJourney, expectNoAxeViolations, serve, signInAs } from '../support/browser.ts'

// A team manager words a hint the agency's way: from the navigation to the list, a hint refused
// for its length and mended from the error summary, then the default again. Every page passes axe.

test(
  'a team manager changes a hint and puts the default back, on pages that pass axe',
  {
    timeout: 90_000,
  },
  (t) =>
    browserJourney(t, async (browser, site) => {
      const manager = await site.addUser(await site.addAgency(), 'team-manager')
      const page = await (await browser.newContext({ baseURL: await serve(site.app) })).newPage()
      await signInAs(page, manager)

      await page.getByRole('link', { name: 'Plan guidance' }).click()
      await page.getByRole('heading', { name: 'Guidance beside the plan’s questions' }).waitFor()
      await expectNoAxeViolations(page, 'the guidance list')
      await page.getByRole('link', { name: 'Change the hint: Who is the child?' }).click()
      await page.getByRole('heading', { name: 'Change the hint' }).waitFor()
      await expectNoAxeViolations(page, 'a hint')

      const box = page.getByLabel('Your agency’s wording')
      await box.fill('Too long. '.repeat(60))
      await page.getByRole('button', { name: 'Save hint' }).click()
      const summary = page.getByRole('alert').filter({ hasText: 'There is a problem' })
      await summary.waitFor()
      assert.equal(await box.inputValue(), 'Too long. '.repeat(60), 'what was typed stays')
      await expectNoAxeViolations(page, 'a hint refused')
      await summary.getByRole('link', { name: 'The hint must be 500 characters or fewer' }).click()
      assert.equal(await page.locator(':focus').getAttribute('id'), 'hint')

      await box.fill('What the child loves, in the words of the people who know them.')
      await page.getByRole('button', { name: 'Save hint' }).click()
      await page.getByText('Hint saved').waitFor()
      await expectNoAxeViolations(page, 'the guidance list after a change')
      assert.ok(
        await page.getByText('What the child loves, in the words of the people who know them.').isVisible(),
      )

      await page.getByRole('link', { name: 'Change the hint: Who is the child?' }).click()
      await page.getByRole('button', { name: 'Use the default wording' }).click()
      await page.getByText('The default wording is used again.').waitFor()
      assert.equal(
        await page.getByText('What the child loves, in the words of the people who know them.').count(),
        0,
      )
    }),
)
