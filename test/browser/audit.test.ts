import assert from 'node:assert/strict'
import { test } from 'node:test'
import { childDetails, childrenService } from '../../src/features/children/service.ts'
import { browserJourney, expectNoAxeViolations, serve, signInAs } from '../support/browser.ts'

// An agency administrator answers a subject access request: opens the audit log, filters it, mends
// a date typed wrongly, and finds who has seen a child's record. Every page is scanned with axe.

test(
  'an administrator filters the audit log and sees who has seen a child’s record',
  {
    timeout: 90_000,
  },
  (t) =>
    browserJourney(t, async (browser, site) => {
      const agencyId = await site.addAgency()
      const worker = await site.addUser(agencyId, 'social-worker')
      const admin = await site.addUser(agencyId, 'agency-admin')
      const children = childrenService(site.database.db)
      const actor = { kind: 'staff', userId: worker.id, agencyId, role: 'social-worker' } as const
      const added = await children.add(
        actor,
        childDetails.parse({
          firstName: 'Ivy',
          lastName: 'Stone',
          dateOfBirth: '2020-05-01',
          sex: 'female',
          ethnicity: 'WBRI',
        }),
        'browser-test',
      )
      if (added.outcome !== 'added') throw new Error('child not added')
      await children.view(actor, added.child.id, 'browser-test')
      const baseURL = await serve(site.app)
      const page = await (await browser.newContext({ baseURL })).newPage()

      await signInAs(page, admin)
      await page.getByRole('link', { name: 'Audit log' }).click()
      await page.waitForURL((url) => url.pathname === '/audit')
      assert.equal(await page.title(), 'Audit log – Adoption Support')
      await expectNoAxeViolations(page, 'the audit log')

      // A date typed wrongly: the error is shown, and what was typed stays.
      const from = page.getByRole('group', { name: 'Date from' })
      await from.getByLabel('Day', { exact: true }).fill('31')
      await from.getByLabel('Month', { exact: true }).fill('2')
      await from.getByLabel('Year', { exact: true }).fill('2026')
      await page.getByRole('button', { name: 'Filter events' }).click()
      const summary = page.getByRole('alert').filter({ hasText: 'There is a problem' })
      await summary.waitFor()
      assert.equal(await page.title(), 'Error: Audit log – Adoption Support')
      assert.equal(await from.getByLabel('Day', { exact: true }).inputValue(), '31')
      await expectNoAxeViolations(page, 'the audit log with an error')
      await summary.getByRole('link', { name: 'Date from must be a real date' }).click()
      assert.equal(await page.locator(':focus').getAttribute('id'), 'from-day')

      // Filtering by person and action; the address holds ids and codes, never a name.
      await from.getByLabel('Day', { exact: true }).fill('')
      await from.getByLabel('Month', { exact: true }).fill('')
      await from.getByLabel('Year', { exact: true }).fill('')
      await page.getByLabel('Person').selectOption({ label: 'Test social-worker – Social worker' })
      await page.getByLabel('Action').selectOption({ label: 'Viewed a child’s record' })
      await page.getByRole('button', { name: 'Filter events' }).click()
      const events = page.getByRole('table', { name: 'Events matching the filters, newest first' })
      await events.waitFor()
      assert.doesNotMatch(page.url(), /Ivy|Stone|Test/)
      assert.match(page.url(), new RegExp(`person=${worker.id}`))
      assert.equal(await events.getByRole('row').count(), 2, 'a heading row and the one view')
      await expectNoAxeViolations(page, 'the filtered audit log')

      // Who has seen the child's record, for a subject access request.
      await events.getByRole('link', { name: /Ivy Stone/ }).click()
      await page.getByRole('heading', { name: 'Who has seen Ivy Stone’s record' }).waitFor()
      const people = page.getByRole('table', { name: '1 person has seen or changed this record' })
      assert.ok(await people.getByRole('cell', { name: 'Test social-worker' }).isVisible())
      await expectNoAxeViolations(page, 'who has seen a child’s record')
      const download = page.waitForEvent('download')
      await page.getByRole('link', { name: /Download this list/ }).click()
      assert.equal((await download).suggestedFilename(), `who-has-seen-${added.child.id}.csv`)
    }),
)
