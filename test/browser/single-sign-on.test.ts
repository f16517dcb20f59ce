import assert from 'node:assert/strict'
import { test } from 'node:test'
import type { Page } from 'playwright-core'
import { identityProviders } from '../../src/features/single-sign-on/providers.ts'
import { CALLBACK_PATH } from '../../src/features/single-sign-on/service.ts'
import { totpCode } from '../../src/platform/totp.ts'
import { testApp } from '../support/app.ts'
import { expectNoAxeViolations, launchBrowser, NO_CHROMIUM } from '../support/browser.ts'
import { startIdentityProvider } from '../support/identity-provider.ts'
import { freePort } from '../support/ports.ts'

// Signing in with an organisation account in a real Chromium, against a real OpenID provider: from
// our sign-in page to the provider's login page and back, then our authenticator code. Someone the
// service does not know, and someone who cancels, are told why in words. Our pages are scanned with
// axe for WCAG 2.2 AA (the provider's page is the provider's).

async function atProvider(page: Page, login: string | null): Promise<void> {
  await page.goto('/sign-in')
  await page.getByRole('link', { name: 'Sign in with your organisation account' }).click()
  await page.waitForURL((url) => url.pathname === '/sign-in/organisation')
  await expectNoAxeViolations(page, 'the organisation account page')
  await page.getByRole('button', { name: 'Continue' }).click()
  await page.getByRole('heading', { name: 'Sign in to your organisation' }).waitFor()
  if (login === null) return page.getByRole('button', { name: 'Cancel' }).click()
  await page.getByLabel('Login').fill(login)
  await page.getByRole('button', { name: 'Sign in' }).click()
}

test('a worker signs in with their organisation account; others are told why not', {
  timeout: 120_000,
}, async (t) => {
  const browser = await launchBrowser()
  if (!browser) {
    t.skip(NO_CHROMIUM)
    return
  }
  // The address the provider sends people back to must be known before the service starts.
  const port = await freePort()
  const baseURL = `http://127.0.0.1:${port}`
  const site = await testApp({ SERVICE_URL: baseURL })
  const idp = await startIdentityProvider({ redirectUri: `${baseURL}${CALLBACK_PATH}` })
  try {
    const agencyId = await site.addAgency('Northern Adoption')
    await identityProviders(site.database.db, site.config.sessionSecret, { allowLoopbackHttp: true }).set({
      agencyId,
      issuer: idp.issuer,
      clientId: idp.clientId,
      clientSecret: idp.clientSecret,
    })
    const worker = await site.addUser(agencyId, 'social-worker')
    idp.accounts.set('worker', { email: worker.email, email_verified: true })
    idp.accounts.set('stranger', { email: 'stranger@agency.example', email_verified: true })
    await site.app.listen({ port, host: '127.0.0.1' })

    const page = await (await browser.newContext({ baseURL })).newPage()
    await page.goto('/sign-in')
    await expectNoAxeViolations(page, 'the sign-in page, offering organisation accounts')
    await atProvider(page, 'worker')
    await page.waitForURL((url) => url.pathname === '/sign-in/two-factor')
    await page
      .getByLabel('Enter the code from your authenticator app')
      .fill(await totpCode(worker.totpSecret))
    await page.getByRole('button', { name: 'Sign in' }).click()
    await page.waitForURL((url) => url.pathname === '/home')
    assert.match(await page.title(), /^Your caseload/)

    const stranger = await (await browser.newContext({ baseURL })).newPage()
    await atProvider(stranger, 'stranger')
    await stranger
      .getByRole('heading', { name: 'Your organisation account is not linked to an account here' })
      .waitFor()
    await expectNoAxeViolations(stranger, 'the page for someone without an account')

    const cancelled = await (await browser.newContext({ baseURL })).newPage()
    await atProvider(cancelled, null)
    await cancelled
      .getByRole('heading', { name: 'You did not finish signing in with your organisation' })
      .waitFor()
    await expectNoAxeViolations(cancelled, 'the page after cancelling')
    await cancelled
      .getByRole('link', { name: 'Start signing in with your organisation account again' })
      .click()
    await cancelled.waitForURL((url) => url.pathname === '/sign-in/organisation')
  } finally {
    await browser.close()
    await idp.close()
    await site.close()
  }
})
