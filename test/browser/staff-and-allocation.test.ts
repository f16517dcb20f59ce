import { test } from 'node:test'
import type { Browser, Page } from 'playwright-core'
import { childDetails, childrenService } from '../../src/features/children/service.ts'
import type { TestUser } from '../support/app.ts'
import { browserJourney, expectNoAxeViolations, serve, signInAs } from '../support/browser.ts'

// A team manager allocates an IRO to a child; an administrator deactivates an account; anyone looks
// at where they are signed in. Every page on the way is scanned with axe.

async function signIn(browser: Browser, baseURL: string, user: TestUser): Promise<Page> {
  const page = await (await browser.newContext({ baseURL })).newPage()
  await signInAs(page, user)
  return page
}

test(
  'allocating, managing staff and sessions, by keyboard-friendly pages that pass axe',
  {
    timeout: 90_000,
  },
  (t) =>
    browserJourney(t, async (browser, site) => {
      const agencyId = await site.addAgency()
      const manager = await site.addUser(agencyId, 'team-manager')
      const admin = await site.addUser(agencyId, 'agency-admin')
      await site.addUser(agencyId, 'iro')
      await childrenService(site.database.db).add(
        { kind: 'staff', userId: manager.id, agencyId, role: 'team-manager' },
        childDetails.parse({
          firstName: 'Ivy',
          lastName: 'Stone',
          dateOfBirth: '2020-05-01',
          sex: 'female',
          ethnicity: 'WBRI',
        }),
        'browser-test',
      )
      const baseURL = await serve(site.app)

      const managing = await signIn(browser, baseURL, manager)
      await managing.getByRole('link', { name: 'Children', exact: true }).click()
      await managing.getByRole('link', { name: 'Ivy Stone' }).click()
      await managing.getByRole('link', { name: 'Allocate someone' }).click()
      await expectNoAxeViolations(managing, 'the allocation form')
      await managing.getByRole('button', { name: 'Allocate' }).click()
      await managing.getByRole('link', { name: 'Select someone from the list' }).waitFor()
      await expectNoAxeViolations(managing, 'the allocation form with an error')
      await managing.getByLabel('Test iro').check()
      await managing.getByRole('button', { name: 'Allocate' }).click()
      await managing.getByText('Allocation added').waitFor()
      await expectNoAxeViolations(managing, 'the child’s page with an allocation')

      const administering = await signIn(browser, baseURL, admin)
      await administering.getByRole('link', { name: 'Staff' }).click()
      await expectNoAxeViolations(administering, 'the staff list')
      await administering.getByRole('link', { name: 'Test iro' }).click()
      await expectNoAxeViolations(administering, 'a member of staff')
      await administering.getByRole('button', { name: 'Deactivate account' }).click()
      await administering.getByText('Account deactivated').waitFor()
      await expectNoAxeViolations(administering, 'a deactivated member of staff')
      await administering.getByRole('link', { name: /Test agency-admin/ }).click()
      await administering.getByRole('heading', { name: 'Where you are signed in' }).waitFor()
      await expectNoAxeViolations(administering, 'where you are signed in')
    }),
)
