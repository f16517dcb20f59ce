import assert from 'node:assert/strict'
import { test } from 'node:test'
import { testApp } from '../support/app.ts'
import {
  expectNoAxeViolations,
  focusedText,
  launchBrowser,
  NO_CHROMIUM,
  serve,
  signInAs,
} from '../support/browser.ts'

// WCAG 2.2.1 (timing adjustable): before an idle session ends, a dialog says so and lets the person
// stay signed in (the sign-out that follows doing nothing is in sign-in/routes.test.ts). Idle time is cut to a
// minute with the warning 55 seconds before, so the warning comes after 5 seconds.

test('an idle session warns first, and can be kept', { timeout: 60_000 }, async (t) => {
  const browser = await launchBrowser()
  if (!browser) {
    t.skip(NO_CHROMIUM)
    return
  }
  const site = await testApp({ SESSION_IDLE_MINUTES: '1', SESSION_WARNING_SECONDS: '55' })
  try {
    const user = await site.addUser(await site.addAgency(), 'iro')
    const page = await (await browser.newContext({ baseURL: await serve(site.app) })).newPage()
    await signInAs(page, user)
    await page.waitForURL((url) => url.pathname === '/home')

    const dialog = page.getByRole('dialog', { name: 'You’re about to be signed out' })
    await dialog.waitFor({ state: 'visible', timeout: 15_000 })
    assert.match((await dialog.textContent()) ?? '', /we will sign you out in \d+ seconds?/)
    await expectNoAxeViolations(page, 'the time-out warning')
    const stay = page.getByRole('button', { name: 'Stay signed in' })
    assert.equal(await focusedText(page), 'Stay signed in', 'focus moves to the choice')

    const keptAlive = page.waitForResponse((response) => response.url().endsWith('/session/keep-alive'))
    await stay.click()
    assert.equal((await keptAlive).status(), 204)
    await dialog.waitFor({ state: 'hidden' })
    await page.reload()
    assert.equal(new URL(page.url()).pathname, '/home', 'still signed in')
  } finally {
    await browser.close()
    await site.close()
  }
})
