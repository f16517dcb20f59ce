import assert from 'node:assert/strict'
import { test } from 'node:test'
import type { Page } from 'playwright-core'
import { childDetails, childrenService } from '../../src/features/children/service.ts'
import { totpCode } from '../../src/platform/totp.ts'
import { TEST_PASSWORD } from '../support/app.ts'
import { browserJourney, expectNoAxeViolations, focusedText, serve } from '../support/browser.ts'

// A social worker's first day, in a real Chromium: sign in with a password, set up an authenticator
// app, sign out and back in with a code, then add a child (a mistake first, then right) and find
// them again. Every page on the way is scanned with axe for WCAG 2.2 AA.

const SERVICE = 'Adoption Support'

/** Waits for the page at `path`, checks its title and scans it. */
async function arriveAt(page: Page, path: string, title: string): Promise<void> {
  await page.waitForURL((url) => url.pathname === path)
  assert.equal(await page.title(), `${title} – ${SERVICE}`, `title of ${path}`)
  await expectNoAxeViolations(page, `the “${title}” page`)
}

async function signInWithPassword(page: Page, email: string): Promise<void> {
  await page.getByLabel('Email address').fill(email)
  await page.getByLabel('Password', { exact: true }).fill(TEST_PASSWORD)
  await page.getByRole('button', { name: 'Continue' }).click()
}

const normalise = (texts: string[]) => texts.map((text) => text.replace(/\s+/g, ' ').trim())

test('a social worker signs in with a password and an authenticator app, then adds a child', {
  timeout: 60_000,
}, async (t) => {
  await browserJourney(t, async (browser, site) => {
    const agencyId = await site.addAgency()
    const user = await site.addUser(agencyId, 'social-worker', { enrolled: false })
    // Someone already on the agency's list, so that searching has something to leave out.
    const colleague = await site.addUser(agencyId, 'social-worker')
    await childrenService(site.database.db).add(
      { kind: 'staff', userId: colleague.id, agencyId, role: 'social-worker' },
      childDetails.parse({
        firstName: 'Ben',
        lastName: 'Okafor',
        dateOfBirth: '2019-09-12',
        sex: 'male',
        ethnicity: 'BAFR',
      }),
      'browser-test',
    )
    const baseURL = await serve(site.app)
    const page = await (await browser.newContext({ baseURL })).newPage()

    // Signing in for the first time: password, then setting up the app.
    await page.goto('/')
    await arriveAt(page, '/sign-in', 'Sign in')
    await page.keyboard.press('Tab')
    assert.equal(await focusedText(page), 'Skip to main content', 'the skip link is the first tab stop')
    await signInWithPassword(page, user.email)

    await arriveAt(page, '/sign-in/set-up-two-factor', 'Set up your authenticator app')
    const secret = ((await page.locator('#totp-secret').textContent()) ?? '').replace(/\s+/g, '')
    assert.match(secret, /^[A-Z2-7]{16,}$/, 'the key is shown as text for people who cannot scan')
    await page.getByLabel('Code from your authenticator app').fill(await totpCode(secret))
    await page.getByRole('button', { name: 'Finish setting up' }).click()

    await arriveAt(page, '/home', 'Your caseload')
    await page.getByRole('link', { name: 'Children', exact: true }).click()
    await arriveAt(page, '/children', 'Children')
    assert.ok(await page.getByRole('table', { name: '1 child' }).isVisible())

    // Signing out, and back in with a code from the app.
    await page.getByRole('button', { name: 'Sign out', exact: true }).click()
    await arriveAt(page, '/signed-out', 'You have signed out')
    await page.getByRole('link', { name: 'Sign in again' }).click()
    await arriveAt(page, '/sign-in', 'Sign in')
    await signInWithPassword(page, user.email)

    await arriveAt(page, '/sign-in/two-factor', 'Enter the code from your authenticator app')
    // The code from set-up cannot be used again: the app has moved on to the next one.
    const nextCode = await totpCode(secret, new Date(Date.now() + 30_000))
    await page.getByLabel('Enter the code from your authenticator app').fill(nextCode)
    await page.getByRole('button', { name: 'Sign in' }).click()
    await arriveAt(page, '/home', 'Your caseload')
    await page.getByRole('link', { name: 'Children', exact: true }).click()
    await arriveAt(page, '/children', 'Children')

    // Adding a child, with a mistake first.
    await page.getByRole('button', { name: 'Add a child' }).click()
    await arriveAt(page, '/children/new', 'Add a child')
    const form = {
      firstName: page.getByLabel('First name'),
      lastName: page.getByLabel('Last name'),
      preferredName: page.getByLabel('Preferred name (optional)'),
      date: page.getByRole('group', { name: 'Date of birth' }),
      ethnicity: page.getByLabel('Ethnicity'),
      siblingGroup: page.getByLabel('Sibling group'),
      female: page.getByRole('radio', { name: 'Female' }),
    }
    const day = form.date.getByLabel('Day', { exact: true })
    const month = form.date.getByLabel('Month', { exact: true })
    const year = form.date.getByLabel('Year', { exact: true })
    await form.firstName.fill('Ada')
    await form.lastName.fill('Hartley')
    await form.preferredName.fill('Addie')
    await day.fill('31')
    await month.fill('2')
    await year.fill('2020')
    await form.ethnicity.selectOption({ label: 'White – Irish' })
    assert.equal(await form.siblingGroup.inputValue(), '', 'not in a sibling group unless chosen')
    await page.getByRole('button', { name: 'Add child' }).click()

    await page.waitForURL((url) => url.pathname === '/children')
    assert.equal(await page.title(), `Error: Add a child – ${SERVICE}`)
    const summary = page.getByRole('alert').filter({ hasText: 'There is a problem' })
    assert.deepEqual(normalise(await summary.getByRole('link').allInnerTexts()), [
      'Date of birth must be a real date',
      'Select the child’s sex',
    ])
    assert.equal(
      await summary.getByRole('link', { name: 'Date of birth must be a real date' }).getAttribute('href'),
      '#dateOfBirth-day',
    )
    assert.deepEqual(normalise(await page.locator('.govuk-error-message').allTextContents()), [
      'Error: Date of birth must be a real date',
      'Error: Select the child’s sex',
    ])
    assert.match(
      (await page.getByRole('group', { name: 'Sex' }).getAttribute('aria-describedby')) ?? '',
      /\bsex-error\b/,
      'the inline error is read out with the question',
    )
    assert.equal(await form.firstName.inputValue(), 'Ada')
    assert.equal(await form.lastName.inputValue(), 'Hartley')
    assert.equal(await form.preferredName.inputValue(), 'Addie')
    assert.deepEqual(
      [await day.inputValue(), await month.inputValue(), await year.inputValue()],
      ['31', '2', '2020'],
    )
    assert.equal(await form.ethnicity.inputValue(), 'WIRI')
    assert.equal(await form.female.isChecked(), false)
    await expectNoAxeViolations(page, 'the “Add a child” page with errors')

    // The summary's links take you to the answer to mend.
    await summary.getByRole('link', { name: 'Select the child’s sex' }).click()
    assert.equal(await page.locator(':focus').getAttribute('id'), 'sex')

    await form.female.check()
    await day.fill('29')
    await page.getByRole('button', { name: 'Add child' }).click()

    await page.waitForURL((url) => /^\/children\/[^/]+$/.test(url.pathname))
    await arriveAt(page, new URL(page.url()).pathname, 'Ada Hartley')
    assert.ok(await page.getByRole('alert').filter({ hasText: 'Child added' }).isVisible())
    assert.equal(await page.getByRole('heading', { level: 1 }).textContent(), 'Ada Hartley')
    assert.ok(await page.getByText('29 February 2020').isVisible())
    assert.ok(await page.getByText('White – Irish').isVisible())

    // Finding the child again: on the list, then by searching.
    await page.getByRole('link', { name: 'All children' }).click()
    await arriveAt(page, '/children', 'Children')
    const everyone = page.getByRole('table', { name: '2 children' })
    assert.ok(await everyone.getByRole('link', { name: 'Ada Hartley' }).isVisible())
    assert.ok(await everyone.getByRole('link', { name: 'Ben Okafor' }).isVisible())

    await page.getByLabel('Search by name').fill('hartley')
    await page.getByRole('button', { name: 'Search', exact: true }).click()
    // The search posts and comes back to the same address, so wait for the answer, not the address.
    const found = page.getByRole('table', { name: '1 child match your search' })
    await found.waitFor()
    await arriveAt(page, '/children', 'Children')
    assert.equal(await page.getByLabel('Search by name').inputValue(), 'hartley')
    assert.deepEqual(await found.getByRole('link').allInnerTexts(), ['Ada Hartley'])
    assert.ok(await found.getByRole('cell', { name: 'Addie' }).isVisible())
  })
})
