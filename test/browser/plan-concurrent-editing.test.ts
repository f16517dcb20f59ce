import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { allocationsService } from '../../src/features/allocations/service.ts'
import { childrenService } from '../../src/features/children/service.ts'
import { plansService } from '../../src/features/plans/service.ts'
import type { Actor } from '../../src/platform/policy.ts'
import { type TestApp, type TestUser, testApp } from '../support/app.ts'
import { expectNoAxeViolations, launchBrowser, NO_CHROMIUM, serve, signInAs } from '../support/browser.ts'
import { childDetailsFor } from '../support/children.ts'

// Two people write section 2 of the same plan at the same time, each in a browser of their own: the
// child's allocated social worker and the team manager. The first saves; the second's save shows the
// first person's text beside their own, keeps their own in the box, and saves it; the section then
// holds the second person's text and the history shows both saves. Every page is scanned with axe.

const SECTION_TITLE = '2. All about the child'

// Apostrophes and ampersands, as people write them: they must come back as typed, not escaped twice.
const FIRST_WHO = 'Ivy is curious & kind; she loves the park’s big slide and her toy rabbit, Mr Hops.'
const SECOND_WHO = 'Ivy is a thoughtful girl who likes to watch first, then join in when she feels safe.'
const SECOND_DEVELOPMENT = 'Walking and talking at the expected age; some help with fine motor skills.'
const FIRST_HEALTH = 'Mild eczema, treated with cream; asthma reviewed by the GP every six months.'

describe('two people editing the same section of a plan', () => {
  let browser: Browser | null
  let site: TestApp
  let worker: TestUser
  let writer: Actor & { kind: 'staff' }
  // A browser context each, signed in once: a second sign-in within the same 30 seconds would
  // offer the authenticator code just used, which the service rightly refuses.
  let workerBrowser: BrowserContext
  let managerBrowser: BrowserContext

  before(async () => {
    browser = await launchBrowser()
    if (!browser) return
    site = await testApp()
    const agencyId = await site.addAgency()
    worker = await site.addUser(agencyId, 'social-worker')
    writer = { kind: 'staff', userId: worker.id, agencyId, role: 'social-worker' }
    const baseURL = await serve(site.app)
    const signedIn = async (user: TestUser) => {
      // The plain form's path, where nothing is saved until Save is pressed: autosave (tested on its
      // own in plan-autosave.test.ts) would save each person's typing first, so its requests are cut.
      const context = await (browser as Browser).newContext({ baseURL })
      await context.route('**/autosave', (route) => route.abort())
      await signInAs(await context.newPage(), user)
      return context
    }
    workerBrowser = await signedIn(worker)
    managerBrowser = await signedIn(await site.addUser(agencyId, 'team-manager'))
  })
  after(async () => {
    await browser?.close()
    if (browser) await site.close()
  })

  /** A child with a plan, and the worker allocated to the child; the plan's address. */
  async function newPlan(firstName: string): Promise<string> {
    const db = site.database.db
    const added = await childrenService(db).add(writer, childDetailsFor({ firstName }), 'browser-test')
    if (added.outcome !== 'added') throw new Error('child not added')
    const allocated = await allocationsService(db).allocate(
      { kind: 'operator' },
      added.child.id,
      worker.id,
      'browser-test',
    )
    assert.equal(allocated.outcome, 'allocated')
    const plan = await plansService(db).create(writer, added.child.id, 'browser-test')
    if (plan.outcome !== 'created') throw new Error('plan not started')
    return `/plans/${plan.planId}`
  }

  /** A new tab of a person's browser, on section 2 of the plan. */
  async function openSection(context: BrowserContext, plan: string): Promise<Page> {
    const page = await context.newPage()
    await page.goto(`${plan}/sections/child`)
    await page.getByRole('heading', { level: 1, name: SECTION_TITLE }).waitFor()
    return page
  }

  async function save(page: Page): Promise<void> {
    await page.getByRole('button', { name: 'Save and continue' }).click()
  }

  /** Waits for the section's check-your-answers page, where a save that went through lands. */
  async function arriveAtCheck(page: Page, plan: string, label: string): Promise<void> {
    await page.waitForURL((url) => url.pathname === `${plan}/sections/child/check`)
    await page.getByRole('heading', { level: 1, name: /Check your answers/ }).waitFor()
    await expectNoAxeViolations(page, label)
  }

  /** The answer a check-your-answers page shows for a question. */
  async function shownAnswer(page: Page, question: string): Promise<string> {
    const row = page.locator('.govuk-summary-list__row').filter({
      has: page.locator('.govuk-summary-list__key', { hasText: new RegExp(`^\\s*${question}\\s*$`) }),
    })
    return ((await row.locator('.govuk-summary-list__value').textContent()) ?? '').trim()
  }

  /** The merge page the second save lands on: the other person's saved text above the box. */
  async function arriveAtMerge(page: Page): Promise<void> {
    await page
      .getByRole('heading', { name: 'Test social-worker changed this section while you were editing' })
      .waitFor()
    await expectNoAxeViolations(page, 'the section with both people’s versions')
  }

  test('the second to save sees both texts, keeps their own, and the history shows both saves', {
    timeout: 120_000,
  }, async (t) => {
    if (!browser) {
      t.skip(NO_CHROMIUM)
      return
    }
    const plan = await newPlan('Ivy')
    const first = await openSection(workerBrowser, plan)
    await expectNoAxeViolations(first, 'section 2 of the plan')
    const second = await openSection(managerBrowser, plan)
    await expectNoAxeViolations(second, 'section 2 of the plan, for the second person')

    await first.getByLabel('Who is the child?').fill(FIRST_WHO)
    await second.getByLabel('Who is the child?').fill(SECOND_WHO)
    await second.getByLabel('Development', { exact: true }).fill(SECOND_DEVELOPMENT)

    await save(first)
    await arriveAtCheck(first, plan, 'check your answers after the first save')
    assert.equal(await shownAnswer(first, 'Who is the child\\?'), FIRST_WHO)

    await save(second)
    await arriveAtMerge(second)
    assert.equal(
      new URL(second.url()).pathname,
      `${plan}/sections/child`,
      'nothing was saved: the page is shown again',
    )
    const theirs = second.locator('#whoTheyAre-theirs')
    assert.match((await theirs.textContent()) ?? '', /Their version, saved while you were editing/)
    assert.ok((await theirs.textContent())?.includes(FIRST_WHO), 'the first person’s text is shown')
    assert.equal(
      await second.getByLabel('Who is the child?').inputValue(),
      SECOND_WHO,
      'the second person’s text stays in the box',
    )
    assert.equal(await second.getByLabel('Development', { exact: true }).inputValue(), SECOND_DEVELOPMENT)
    assert.equal(await second.locator('[id$="-theirs"]').count(), 1, 'only the question both changed')

    await save(second)
    await arriveAtCheck(second, plan, 'check your answers after the merge')
    assert.equal(await shownAnswer(second, 'Who is the child\\?'), SECOND_WHO)
    assert.equal(await shownAnswer(second, 'Development'), SECOND_DEVELOPMENT)

    await first.reload()
    await arriveAtCheck(first, plan, 'check your answers, read again by the first person')
    assert.equal(await shownAnswer(first, 'Who is the child\\?'), SECOND_WHO, 'the section holds it')

    await second.goto(plan)
    await second.getByRole('heading', { level: 1 }).waitFor()
    await expectNoAxeViolations(second, 'the plan’s front page')
    await second.getByRole('link', { name: 'Every change to this plan' }).click()
    await second.getByRole('heading', { level: 1, name: 'Every change to this plan' }).waitFor()
    await expectNoAxeViolations(second, 'the plan’s history')
    const changes = second.locator('p', { hasText: /^Changed by / })
    assert.deepEqual(
      (await changes.allTextContents()).map((text) => /^Changed by (.+?) on /.exec(text)?.[1]),
      ['Test team-manager', 'Test social-worker'],
      'both saves, newest first',
    )
    assert.equal(
      await second.getByRole('cell', { name: FIRST_WHO, exact: true }).count(),
      2,
      'after, then before',
    )
    assert.equal(await second.getByRole('cell', { name: SECOND_WHO, exact: true }).count(), 1)
    assert.equal(await second.getByRole('cell', { name: SECOND_DEVELOPMENT, exact: true }).count(), 1)
  })

  // The page that shows both versions holds the merge: saving it keeps what only the first person changed.
  test('an answer only the first person changed survives the second person’s save of both versions', {
    timeout: 120_000,
  }, async (t) => {
    if (!browser) {
      t.skip(NO_CHROMIUM)
      return
    }
    const plan = await newPlan('Noor')
    const first = await openSection(workerBrowser, plan)
    const second = await openSection(managerBrowser, plan)
    await expectNoAxeViolations(second, 'section 2 of the plan')

    await first.getByLabel('Who is the child?').fill(FIRST_WHO)
    await first.getByLabel('Health', { exact: true }).fill(FIRST_HEALTH)
    await second.getByLabel('Who is the child?').fill(SECOND_WHO)
    await save(first)
    await arriveAtCheck(first, plan, 'check your answers after the first save')

    await save(second)
    await arriveAtMerge(second)
    await save(second)
    await arriveAtCheck(second, plan, 'check your answers after the merge')
    assert.equal(await shownAnswer(second, 'Who is the child\\?'), SECOND_WHO)
    assert.equal(await shownAnswer(second, 'Health'), FIRST_HEALTH, 'the first person’s saved answer is kept')
  })
})
