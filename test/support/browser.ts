import assert from 'node:assert/strict'
import { existsSync } from 'node:fs'
import type { AddressInfo } from 'node:net'
import type { TestContext } from 'node:test'
import { AxeBuilder } from '@axe-core/playwright'
import type { FastifyInstance } from 'fastify'
import { type Browser, chromium, type Page } from 'playwright-core'
import { totpCode } from '../../src/platform/totp.ts'
import { TEST_PASSWORD, type TestApp, testApp } from './app.ts'

// Journeys in a real browser: Debian's Chromium driven by playwright-core, every page checked with
// axe against WCAG 2.2 AA. Tests skip, rather than fail, on a machine without Chromium.

export const CHROMIUM_PATH = '/usr/bin/chromium'
export const NO_CHROMIUM = `Chromium not installed at ${CHROMIUM_PATH}`

const WCAG_22_AA = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']

/** A headless Chromium, or null when it is not installed here. */
export async function launchBrowser(): Promise<Browser | null> {
  if (!existsSync(CHROMIUM_PATH)) return null
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
    ],
  })
}

/**
 * A journey in a real browser against the real app on a fresh database, both closed after it;
 * skipped, not failed, where Chromium is not installed.
 */
export async function browserJourney(
  t: TestContext,
  journey: (browser: Browser, site: TestApp) => Promise<void>,
): Promise<void> {
  const browser = await launchBrowser()
  if (!browser) {
    t.skip(NO_CHROMIUM)
    return
  }
  const site = await testApp()
  try {
    await journey(browser, site)
  } finally {
    await browser.close()
    await site.close()
  }
}

/** Starts the app on a free local port and returns the address a browser reaches it at. */
export async function serve(app: FastifyInstance): Promise<string> {
  await app.listen({ port: 0, host: '127.0.0.1' })
  const { port } = app.server.address() as AddressInfo
  return `http://127.0.0.1:${port}`
}

/** Fails with a readable list when axe finds anything against WCAG 2.2 AA on the page as it is now. */
export async function expectNoAxeViolations(page: Page, label: string): Promise<void> {
  const { violations } = await new AxeBuilder({ page }).withTags(WCAG_22_AA).analyze()
  if (violations.length === 0) return
  const details = violations.map((violation) => {
    const targets = violation.nodes.map((node) => `    ${node.target.join(' ')}`).join('\n')
    return `  ${violation.id} (${violation.impact ?? 'no impact given'}): ${violation.help}\n${targets}`
  })
  assert.fail(
    `${violations.length} accessibility violation${violations.length === 1 ? '' : 's'} on ${label} (${page.url()}):\n${details.join('\n')}`,
  )
}

/** The text of the element that has keyboard focus now, or null when nothing has. */
export async function focusedText(page: Page): Promise<string | null> {
  const focused = page.locator(':focus')
  if ((await focused.count()) === 0) return null
  return ((await focused.first().textContent()) ?? '').trim()
}

/** Signs `user` in through the pages, password then authenticator code, as a person would. */
export async function signInAs(page: Page, user: { email: string; totpSecret: string }): Promise<void> {
  await page.goto('/sign-in')
  await page.getByLabel('Email address').fill(user.email)
  await page.getByLabel('Password', { exact: true }).fill(TEST_PASSWORD)
  await page.getByRole('button', { name: 'Continue' }).click()
  await page.getByLabel('Enter the code from your authenticator app').fill(await totpCode(user.totpSecret))
  await page.getByRole('button', { name: 'Sign in' }).click()
  await page.waitForURL((url) => !url.pathname.startsWith('/sign-in'))
}
