import assert from 'node:assert/strict'
import { test } from 'node:test'
import type { Browser, Page } from 'playwright-core'
import { allocationsService } from '../../src/features/allocations/service.ts'
import { childrenService } from '../../src/features/children/service.ts'
import { familiesService } from '../../src/features/families/service.ts'
import { PLAN } from '../../src/plan/definition.ts'
import { addDays, formatDate, todayInEngland } from '../../src/platform/dates.ts'
import type { TestUser } from '../support/app.ts'
import { browserJourney, expectNoAxeViolations, serve, signInAs } from '../support/browser.ts'
import { childDetailsFor } from '../support/children.ts'
import { answerQuestions, fillDate, sectionStatus } from '../support/plan-pages.ts'

// Issue 5, acceptance 1: one plan's life, from draft to the adoption support team, through the
// pages only, each step taken by the person whose step it is, each signed in in a browser of their
// own. The worker writes the plan and shares it; the adopter comments and the worker answers and
// resolves; the team manager signs off; the worker presents it to panel and the decision maker
// approves the match; the worker records it as agreed and the placement; the adopter acknowledges
// the agreed version; two reviews are held, each prepared by the worker and recorded by the IRO;
// the order is made and the plan handed over. Only the people, the child and the family are set up
// directly. Every page on the way is scanned with axe, the refusals of a wrong date included.

// Past dates that keep every rule: the decision on or after the panel, agreement on or after the
// decision, placement on or after agreement, reviews after placement on the statutory timetable
// (first within 4 weeks, second within 3 months of the first), the order after the last review.
const PANEL_ON = '2026-02-10'
const DECISION_ON = '2026-02-24'
const AGREED_ON = '2026-03-05'
const PLACED_ON = '2026-03-12'
const REVIEWS_HELD = ['2026-04-02', '2026-06-25'] as const
const ORDER_ON = '2026-09-15'
const RESPONSIBILITY_ENDS = '2029-09-15'

/** The lists given an item: the one a section needs (someone in the network), and one need. */
const ITEMS = new Set(['network.members', 'child.needs'])

async function scanned(page: Page, label: string): Promise<void> {
  await page.waitForLoadState('load')
  await expectNoAxeViolations(page, label)
}

async function signIn(browser: Browser, baseURL: string, user: TestUser): Promise<Page> {
  const page = await (await browser.newContext({ baseURL })).newPage()
  await signInAs(page, user)
  return page
}

/**
 * A step of the plan's life from its front page (opened first unless `here`, the page as it stands
 * already): its link, its page, the date it records and a note.
 */
async function takeStep(
  page: Page,
  planId: string,
  action: string,
  options: { date?: string; here?: boolean } = {},
): Promise<void> {
  if (!options.here) {
    await page.goto(`/plans/${planId}`)
    await scanned(page, `the plan before “${action}”`)
  }
  await page.getByRole('link', { name: action, exact: true }).click()
  await page.getByRole('heading', { name: action }).waitFor()
  await scanned(page, `the step “${action}”`)
  if (options.date) await fillDate(page, 'date', options.date)
  await page.getByLabel('Note (optional)').fill(`${action}: done`)
  await page.getByRole('button', { name: action }).click()
}

async function movedOn(page: Page, planId: string, label: string): Promise<void> {
  await page.waitForURL((url) => url.pathname === `/plans/${planId}` && url.search === '?saved=moved')
  await page.getByText('The plan has moved on: a new version is kept').waitFor()
  await scanned(page, label)
}

test(
  'one plan from draft to the adoption support team, each step by its own person',
  {
    timeout: 240_000,
  },
  (t) =>
    browserJourney(t, async (browser, site) => {
      const db = site.database.db
      const agencyId = await site.addAgency()
      const workerUser = await site.addUser(agencyId, 'social-worker')
      const managerUser = await site.addUser(agencyId, 'team-manager')
      const deciderUser = await site.addUser(agencyId, 'decision-maker')
      const iroUser = await site.addUser(agencyId, 'iro')
      const workerActor = {
        kind: 'staff' as const,
        userId: workerUser.id,
        agencyId,
        role: 'social-worker' as const,
      }
      const added = await childrenService(db).add(workerActor, childDetailsFor({ firstName: 'Ada' }), 'test')
      if (added.outcome !== 'added') throw new Error('child not added')
      const childId = added.child.id
      const families = familiesService(db)
      const familyId = await families.add(
        workerActor,
        {
          approvingAgencyId: agencyId,
          adopters: [{ firstName: 'Sam', lastName: 'Reid', dateOfBirth: '1985-02-01', email: null }],
        },
        'test',
      )
      await families.match(workerActor, familyId, childId, 'test')
      await allocationsService(db).allocate({ kind: 'operator' }, childId, iroUser.id, 'test')
      const adopterUser = await site.addAdopterAccount(familyId, agencyId)
      const baseURL = await serve(site.app)

      // 1. The worker starts the plan, writes every section and shares it with the adopters.
      const worker = await signIn(browser, baseURL, workerUser)
      await worker.goto(`/children/${childId}`)
      await scanned(worker, 'the child’s record')
      await worker.getByRole('button', { name: 'Start the adoption support plan' }).click()
      await worker.waitForURL(/\/plans\/[0-9a-f-]{36}\?saved=created$/)
      await scanned(worker, 'the new plan')
      const planId = new URL(worker.url()).pathname.split('/')[2] as string
      const planUrl = `/plans/${planId}`

      const sections = PLAN.filter((section) => !section.filledElsewhere)
      for (const section of sections) {
        const title = `${section.number}. ${section.title}`
        await worker.getByRole('link', { name: title }).click()
        await worker.waitForURL((url) => url.pathname === `${planUrl}/sections/${section.key}`)
        await scanned(worker, `section ${title}`)
        await answerQuestions(worker, section.questions, section.title)
        for (const list of section.lists.filter((list) => ITEMS.has(`${section.key}.${list.key}`))) {
          await worker.getByRole('button', { name: `Add a ${list.itemName}`, exact: true }).click()
          await worker.waitForURL((url) => url.pathname.endsWith(`/${list.key}/new`))
          await scanned(worker, `a new ${list.itemName} in ${title}`)
          await answerQuestions(worker, list.questions, list.itemName)
          await worker.getByRole('button', { name: `Save ${list.itemName}` }).click()
          await worker.waitForURL((url) => url.pathname === `${planUrl}/sections/${section.key}`)
          await scanned(worker, `section ${title} with a ${list.itemName}`)
        }
        await worker.getByRole('button', { name: 'Save and continue' }).click()
        await worker.waitForURL((url) => url.pathname === `${planUrl}/sections/${section.key}/check`)
        await scanned(worker, `check your answers: ${title}`)
        await worker.getByLabel('Yes').check()
        await worker.getByRole('button', { name: 'Continue' }).click()
        await worker.waitForURL((url) => url.pathname === planUrl)
        await scanned(worker, `the task list after ${title}`)
        assert.equal(await sectionStatus(worker, title), 'Completed', `${title} is completed`)
      }
      assert.ok(
        await worker.getByText(`${sections.length} of ${sections.length} sections completed`).isVisible(),
      )
      // Not signed off yet: the panel must wait.
      assert.ok(await worker.getByText('A team manager must sign off the plan as it stands now').isVisible())
      await takeStep(worker, planId, 'Share the draft with the adopters', { here: true })
      await movedOn(worker, planId, 'the plan, shared with the adopters')

      // 2. The adopter reads the plan and comments on a section.
      const adopter = await signIn(browser, baseURL, adopterUser)
      await scanned(adopter, 'the adopter’s family page')
      await adopter.getByRole('link', { name: 'Your plan' }).click()
      await adopter.getByRole('heading', { name: 'Your adoption support plan' }).waitFor()
      await scanned(adopter, 'your plan')
      await adopter.getByRole('link', { name: 'Read Ada’s plan and comment on it' }).click()
      await adopter.getByRole('heading', { name: 'Your part in the plan' }).waitFor()
      await scanned(adopter, 'the plan’s front page, to the adopter')
      await adopter.getByRole('link', { name: '3. All about the adopters and their support' }).click()
      await adopter.getByRole('heading', { name: '3. All about the adopters and their support' }).waitFor()
      await scanned(adopter, 'section 3, to read')
      await adopter
        .getByLabel('Comment on this section')
        .fill('Could the support group meet in the evenings?')
      await adopter.getByRole('button', { name: 'Send comment' }).click()
      await adopter.getByText('Your comment is sent').waitFor()
      await scanned(adopter, 'section 3 with a comment')

      // The worker answers the comment and resolves it.
      await worker.goto(planUrl)
      await scanned(worker, 'the plan with a comment, to the worker')
      assert.ok(await worker.getByText('1 open, 0 resolved').isVisible())
      await worker.getByRole('link', { name: 'See the comments' }).click()
      await worker.getByRole('heading', { name: 'Comments from the adopters' }).waitFor()
      await scanned(worker, 'the adopters’ comments')
      assert.ok(await worker.getByText('Could the support group meet in the evenings?').isVisible())
      await worker.getByLabel('Your answer').fill('Yes: the Thursday evening group, from April.')
      await worker.getByLabel('The comment is resolved').check()
      await worker.getByRole('button', { name: 'Save your answer' }).click()
      await worker.getByText('Answer saved').waitFor()
      await worker.getByRole('heading', { name: 'Resolved comments (1)' }).waitFor()
      await scanned(worker, 'the comments, resolved')
      await adopter.goto(`${planUrl}/comments`)
      await adopter.getByText('Yes: the Thursday evening group, from April.').waitFor()
      await scanned(adopter, 'the comments and answers, to the adopter')

      // 3. The team manager signs the plan off as it stands.
      const manager = await signIn(browser, baseURL, managerUser)
      await manager.goto(planUrl)
      await scanned(manager, 'the plan, to the team manager')
      await manager.getByRole('button', { name: 'Sign off the plan' }).click()
      await manager.getByText('Plan signed off: a new version is kept').waitFor()
      await scanned(manager, 'the plan, signed off')
      assert.ok(await manager.getByText('A team manager has signed off the plan as it stands.').isVisible())

      // 4. The worker presents it to the panel; the decision maker approves the match.
      await takeStep(worker, planId, 'Present the plan to the matching panel', { date: PANEL_ON })
      await movedOn(worker, planId, 'the plan at panel')
      const decider = await signIn(browser, baseURL, deciderUser)
      await scanned(decider, 'where the decision maker lands')
      const decision = 'Record the agency decision approving the match'
      await takeStep(decider, planId, decision, { date: addDays(PANEL_ON, -1) })
      await decider.getByRole('link', { name: 'The date must be the same as or after the panel' }).waitFor()
      await scanned(decider, 'the decision, dated before the panel')
      await fillDate(decider, 'date', DECISION_ON)
      await decider.getByRole('button', { name: decision }).click()
      await decider.getByRole('heading', { name: 'The plan is now “Match approved”' }).waitFor()
      await scanned(decider, 'the decision recorded')

      // 5. The worker records the plan as agreed, then the placement.
      await takeStep(worker, planId, 'Record the plan as agreed', { date: AGREED_ON })
      await movedOn(worker, planId, 'the plan, agreed')
      assert.ok(
        await worker
          .locator('.govuk-summary-list__row', { hasText: 'Date agreed' })
          .getByText(formatDate(AGREED_ON))
          .isVisible(),
      )
      await worker.getByRole('link', { name: 'Record the placement' }).click()
      await scanned(worker, 'the placement form')
      await fillDate(worker, 'placedOn', PLACED_ON)
      await worker.getByRole('button', { name: 'Save the placement’s dates' }).click()
      await worker.getByText('The placement’s dates are recorded').waitFor()
      await scanned(worker, 'the reviews’ schedule after placement')

      // 6. The adopter acknowledges the agreed version: their name, the date and its fingerprint.
      await adopter.goto(planUrl)
      await scanned(adopter, 'the agreed plan, to the adopter')
      await adopter.getByRole('link', { name: /acknowledge the agreed plan/ }).click()
      await adopter.getByRole('heading', { name: /Acknowledge/ }).waitFor()
      await scanned(adopter, 'acknowledging the agreed plan')
      const agreedVersion = (
        (await adopter
          .locator('.govuk-summary-list__row', { hasText: 'Agreed version' })
          .locator('dd')
          .first()
          .textContent()) ?? ''
      ).trim()
      assert.match(agreedVersion, /^Version \d+$/)
      const hash = ((await adopter.locator('code.app-hash').textContent()) ?? '').trim()
      assert.match(hash, /^[0-9a-f]{64}$/, 'the version’s fingerprint is shown')
      await adopter.getByLabel('Your full name').fill('Sam Reid')
      await adopter.getByRole('button', { name: 'Acknowledge the agreed plan' }).click()
      await adopter.getByText('your acknowledgement is recorded').waitFor()
      await scanned(adopter, 'the agreed plan, acknowledged')
      assert.ok(await adopter.getByText(`as Sam Reid on ${formatDate(todayInEngland())}`).isVisible())

      // 7. Two reviews: the worker starts each and writes the before-review part; the IRO allocated
      // to Ada records the after-review part.
      const iro = await signIn(browser, baseURL, iroUser)
      await scanned(iro, 'where the IRO lands')
      for (const [index, heldOn] of REVIEWS_HELD.entries()) {
        const n = index + 1
        // The first starts from the schedule the placement left open; the second from it again.
        if (n > 1) {
          await worker.goto(`${planUrl}/reviews`)
          await scanned(worker, `the schedule before review ${n}`)
        }
        await worker.getByRole('button', { name: 'Start a review' }).click()
        await scanned(worker, `starting review ${n}`)
        await worker.getByLabel('The review that is due').check()
        await worker.getByRole('button', { name: 'Start the review' }).click()
        await worker.getByRole('heading', { name: 'Before the review' }).waitFor()
        await scanned(worker, `the before-review part of review ${n}`)
        await worker
          .getByLabel(/How have the child’s and the family’s needs changed/)
          .fill(`Review ${n}: Ada has settled further.`)
        await worker.getByLabel('The child’s views').fill(`Review ${n}: too young to say; she laughs a lot.`)
        await worker.getByLabel('The adopters’ views').fill(`Review ${n}: Sam finds the group helpful.`)
        await worker.getByRole('button', { name: 'Save the before-review part' }).click()
        await worker.getByText('The before-review part is saved').waitFor()
        await scanned(worker, `review ${n}, waiting for the IRO`)
        const reviewPath = new URL(worker.url()).pathname

        // The IRO finds the first on the schedule, and goes straight to the second.
        if (n === 1) {
          await iro.goto(`${planUrl}/reviews`)
          await scanned(iro, 'the schedule, for the IRO')
          await iro
            .getByRole('link', { name: /the review that is due, waiting for the reviewing officer/ })
            .click()
          assert.equal(new URL(iro.url()).pathname, reviewPath)
        } else await iro.goto(reviewPath)
        await scanned(iro, `review ${n}, to the IRO`)
        await iro.getByRole('button', { name: 'Record the review' }).click()
        await scanned(iro, `the after-review part of review ${n}`)
        await fillDate(iro, 'heldOn', heldOn)
        await iro
          .getByLabel(/recommendations that add to or change the support/)
          .fill(`Review ${n}: keep the support group; add play therapy.`)
        await iro.getByLabel(/How often the social worker visits/).fill('Every six weeks')
        await iro.getByRole('button', { name: 'Record the review' }).click()
        await iro.getByText('The review is recorded').waitFor()
        await scanned(iro, `review ${n}, recorded`)
      }

      // Both on the schedule, both in section 5; the plan's dates updated.
      await worker.goto(`${planUrl}/reviews`)
      await scanned(worker, 'the schedule with two reviews held')
      for (const n of [1, 2])
        await worker.getByRole('link', { name: `Review ${n} after placement` }).waitFor()
      for (const heldOn of REVIEWS_HELD)
        assert.ok(await worker.getByRole('cell', { name: formatDate(heldOn) }).isVisible())
      await worker.goto(planUrl)
      await scanned(worker, 'the plan with two reviews')
      assert.ok(await worker.getByText('2 reviews recorded').isVisible())
      assert.ok(
        await worker
          .getByText(
            `Acknowledged by Sam Reid on ${formatDate(todayInEngland())}, ${agreedVersion.toLowerCase()}`,
          )
          .isVisible(),
        'the worker sees the adopter’s acknowledgement',
      )
      // A date updated is the day a review was recorded (ADR 0013), each day once: both were
      // recorded today, so today is the one date updated.
      const datesUpdated = worker
        .locator('.govuk-summary-list__row', { hasText: 'Dates updated' })
        .locator('li')
      assert.deepEqual(await datesUpdated.allTextContents(), [formatDate(todayInEngland())])
      await worker.getByRole('link', { name: '5. Review of the plan' }).click()
      await scanned(worker, 'section 5 of the plan')
      for (const [index, heldOn] of REVIEWS_HELD.entries()) {
        await worker.getByRole('heading', { name: `Review held on ${formatDate(heldOn)}` }).waitFor()
        await worker.getByText(`Review ${index + 1}: Ada has settled further.`).waitFor()
        await worker.getByText(`Review ${index + 1}: keep the support group; add play therapy.`).waitFor()
      }

      // 8. The adoption order: the placing agency's three years of responsibility.
      const order = 'Record the adoption order'
      await takeStep(worker, planId, order, { date: addDays(todayInEngland(), 1) })
      await worker
        .getByRole('link', { name: 'The date of the adoption order must be today or in the past' })
        .waitFor()
      await scanned(worker, 'the order, dated tomorrow')
      await fillDate(worker, 'date', ORDER_ON)
      await worker.getByRole('button', { name: order }).click()
      await movedOn(worker, planId, 'the plan after the order')
      await worker.getByRole('heading', { name: 'After the adoption order' }).waitFor()
      assert.ok(await worker.getByText(formatDate(RESPONSIBILITY_ENDS), { exact: true }).isVisible())

      // 9. Handed to the adoption support team; every move the plan made is listed.
      await takeStep(worker, planId, 'Hand the plan to the adoption support team', { here: true })
      await movedOn(worker, planId, 'the plan with the adoption support team')
      assert.ok(
        await worker
          .locator('.govuk-summary-list__row', { hasText: 'Status' })
          .getByText('With the adoption support team', { exact: true })
          .isVisible(),
      )
      assert.ok(
        await worker
          .getByText('The plan is with the adoption support team: it is the starting point')
          .isVisible(),
      )
      const moves = (
        await worker.locator('h2:text-is("Where the plan has been") + ol > li').allTextContents()
      ).map((text) => text.replace(/\s+/g, ' ').trim())
      const expected = [
        ['Adoption order made', 'With the adoption support team', null],
        ['Agreed', 'Adoption order made', ORDER_ON],
        ['Match approved', 'Agreed', AGREED_ON],
        ['At panel', 'Match approved', DECISION_ON],
        ['With the adopters', 'At panel', PANEL_ON],
        ['Draft', 'With the adopters', null],
      ] as const
      assert.equal(moves.length, expected.length, moves.join('\n'))
      for (const [index, [from, to, on]] of expected.entries()) {
        const move = moves[index] as string
        const dated = on ? `, dated ${formatDate(on)}` : ''
        assert.ok(move.startsWith(`${from} to ${to}${dated}: by Test `), move)
      }
      assert.ok(
        (moves[2] as string).includes(`(${agreedVersion.toLowerCase()})`),
        'the version acknowledged is the one the plan was agreed as',
      )

      // The plan as it stands, every field on one page: the latest version, from the list.
      await worker.getByRole('link', { name: 'Versions of this plan' }).click()
      await scanned(worker, 'versions of the plan')
      await worker.locator('main a[href*="/versions/"]').first().click()
      await worker.locator('table.app-fields-table').waitFor()
      assert.ok(
        await worker
          .getByRole('rowheader', { name: /Review held on/ })
          .first()
          .isVisible(),
      )
      await scanned(worker, 'the latest version, every field')
    }),
)
