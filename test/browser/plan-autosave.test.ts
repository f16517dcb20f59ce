import assert from 'node:assert/strict'
import { test } from 'node:test'
import { childrenService } from '../../src/features/children/service.ts'
import { plansService } from '../../src/features/plans/service.ts'
import { browserJourney, expectNoAxeViolations, serve, signInAs } from '../support/browser.ts'
import { childDetailsFor } from '../support/children.ts'

// Autosave on a plan section, in a real Chromium: what a worker types is saved as they write and
// is there after a reload; once a colleague saves the same section, autosave stops, says so, keeps
// the text, and the Save button merges both. The page passes axe before and after it speaks.

test(
  'a section saves itself as the worker writes, and stops when a colleague saves',
  {
    timeout: 90_000,
  },
  (t) =>
    browserJourney(t, async (browser, site) => {
      const agencyId = await site.addAgency()
      const user = await site.addUser(agencyId, 'social-worker')
      const colleague = await site.addUser(agencyId, 'team-manager')
      const worker = { kind: 'staff', userId: user.id, agencyId, role: 'social-worker' } as const
      const child = await childrenService(site.database.db).add(
        worker,
        childDetailsFor({ firstName: 'Mia', lastName: 'Long' }),
        'browser-test',
      )
      if (child.outcome !== 'added') throw new Error('child not added')
      const plans = plansService(site.database.db)
      const plan = await plans.create(worker, child.child.id, 'browser-test')
      if (plan.outcome !== 'created') throw new Error('plan not created')
      const baseURL = await serve(site.app)
      const page = await (await browser.newContext({ baseURL })).newPage()
      await signInAs(page, user)

      await page.goto(`/plans/${plan.planId}/sections/child`)
      await expectNoAxeViolations(page, 'a section with autosave')
      const version = page.locator('input[name="version"]')
      assert.equal(await version.inputValue(), '1')
      await page.getByLabel('Who is the child?').fill('Mia loves the swings and her rabbit, Clover.')
      await page.getByText(/^Saved at \d{1,2}:\d{2}(am|pm)$/).waitFor({ timeout: 15_000 })
      assert.equal(await version.inputValue(), '2', 'the next save goes on the new version')
      await expectNoAxeViolations(page, 'a section that has saved itself')

      await page.reload()
      assert.equal(
        await page.getByLabel('Who is the child?').inputValue(),
        'Mia loves the swings and her rabbit, Clover.',
      )

      const saved = await plans.saveAnswers(
        { kind: 'staff', userId: colleague.id, agencyId, role: 'team-manager' },
        plan.planId,
        'child',
        2,
        { whoTheyAre: 'Mia loves the swings and her rabbit, Clover.', health: 'Asthma, with an inhaler.' },
        'browser-test',
      )
      assert.equal(saved.outcome, 'saved')
      await page.getByLabel('Development', { exact: true }).fill('Walking and talking at the expected age.')
      await page.keyboard.press('Tab')
      await page
        .getByText('Someone else has saved this section since you opened it')
        .waitFor({ timeout: 15_000 })
      assert.equal(
        await page.getByLabel('Development', { exact: true }).inputValue(),
        'Walking and talking at the expected age.',
        'nothing typed is taken off the page',
      )
      await expectNoAxeViolations(page, 'a section whose autosave has stopped')

      await page.getByRole('button', { name: 'Save and continue' }).click()
      await page.waitForURL((url) => url.pathname.endsWith('/sections/child/check'))
      const check = await page.locator('main').textContent()
      assert.match(check ?? '', /Walking and talking at the expected age\./)
      assert.match(check ?? '', /Asthma, with an inhaler\./, 'the colleague’s answer is kept')
    }),
)
