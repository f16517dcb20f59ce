import assert from 'node:assert/strict'
import { test } from 'node:test'
import type { Page } from 'playwright-core'
import { childrenService } from '../../src/features/children/service.ts'
import { familiesService } from '../../src/features/families/service.ts'
import { PLAN } from '../../src/plan/definition.ts'
import { browserJourney, expectNoAxeViolations, serve, signInAs } from '../support/browser.ts'
import { childDetailsFor } from '../support/children.ts'
import { gpsJpeg } from '../support/photos.ts'
import { answerQuestions as answer, sectionStatus as statusOf } from '../support/plan-pages.ts'

// Issue 4, acceptance 1: a social worker writes the whole plan of one child of a sibling group in a
// real Chromium: a photo, then every section in turn, every question answered and every list given
// items (three needs, one of them shared by the brothers and sisters, a staying-in-touch arrangement,
// financial support), and sees each section turn "Completed" on the task list. Every page on the way
// is scanned with axe. The answers come from the plan's definition, so a question added to the plan
// is written here too.

/** How many items each list gets: at least one, and the numbers the acceptance asks for. */
const ITEMS: Record<string, number> = { 'network.members': 2, 'child.needs': 3 }

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')

async function scanned(page: Page, label: string): Promise<void> {
  await page.waitForLoadState('load')
  if ((await page.title()).startsWith('Error'))
    assert.fail(`${label}: ${await page.locator('.govuk-error-summary').textContent()}`)
  await expectNoAxeViolations(page, label)
}

test('a worker writes a full plan for one of two brothers and sisters, section by section', {
  timeout: 180_000,
}, async (t) => {
  await browserJourney(t, async (browser, site) => {
    const db = site.database.db
    const agencyId = await site.addAgency()
    const user = await site.addUser(agencyId, 'social-worker')
    const worker = { kind: 'staff' as const, userId: user.id, agencyId, role: 'social-worker' as const }
    const children = childrenService(db)
    const ada = await children.add(worker, childDetailsFor({ firstName: 'Ada' }), 'test')
    assert.equal(ada.outcome, 'added')
    const bo = await children.add(
      worker,
      childDetailsFor({
        firstName: 'Bo',
        dateOfBirth: '2023-02-01',
        siblingOf: ada.outcome === 'added' ? ada.child.id : null,
      }),
      'test',
    )
    assert.equal(bo.outcome, 'added')
    const [adaId, boId] = [ada, bo].map((added) => (added.outcome === 'added' ? added.child.id : ''))
    const families = familiesService(db)
    const familyId = await families.add(
      worker,
      {
        approvingAgencyId: agencyId,
        adopters: [
          { firstName: 'Sam', lastName: 'Reid', dateOfBirth: '1985-02-01', email: null },
          { firstName: 'Alex', lastName: 'Reid', dateOfBirth: '1983-04-03', email: null },
        ],
      },
      'test',
    )
    for (const childId of [adaId, boId]) await families.match(worker, familyId, childId as string, 'test')

    const page = await (await browser.newContext({ baseURL: await serve(site.app) })).newPage()
    await signInAs(page, user)

    // Starting Ada's plan starts Bo's too.
    await page.goto(`/children/${adaId}`)
    await scanned(page, 'the child’s record')
    await page.getByRole('button', { name: 'Start the adoption support plan' }).click()
    await page.waitForURL(/\/plans\/[0-9a-f-]{36}\?saved=created$/)
    await scanned(page, 'the new plan')
    const planId = new URL(page.url()).pathname.split('/')[2] as string
    const plans = await db.selectFrom('plans').select(['id', 'child_id']).execute()
    assert.deepEqual(plans.map((plan) => plan.child_id).sort(), [adaId, boId].sort())
    const boPlanId = plans.find((plan) => plan.child_id === boId)?.id as string

    // A photo of Ada, from a phone.
    await page.getByRole('link', { name: 'Add photo of Ada Hartley' }).click()
    await scanned(page, 'the photo page')
    await page.getByLabel('Describe the photo').fill('Ada laughing on the swings')
    await page.getByLabel('Upload a photo').setInputFiles({
      name: 'IMG_0001.JPG',
      mimeType: 'image/jpeg',
      buffer: await gpsJpeg(120, 90),
    })
    await page.getByRole('button', { name: 'Save photo' }).click()
    await page.waitForURL((url) => url.pathname === `/plans/${planId}` && url.search === '?saved=photo')
    await scanned(page, 'the plan with a photo')
    const photo = page.getByRole('img', { name: 'Ada laughing on the swings' })
    assert.equal(
      await photo.evaluate((img) => (img as { naturalWidth: number }).naturalWidth),
      120,
      'the photo is shown',
    )

    const sections = PLAN.filter((section) => !section.filledElsewhere)
    for (const [index, section] of sections.entries()) {
      const title = `${section.number}. ${section.title}`
      assert.notEqual(await statusOf(page, title), 'Completed')
      await page.getByRole('link', { name: title }).click()
      await page.waitForURL((url) => url.pathname === `/plans/${planId}/sections/${section.key}`)
      await scanned(page, `section ${title}`)
      await answer(page, section.questions, section.title)

      for (const list of section.lists) {
        for (let n = 1; n <= (ITEMS[`${section.key}.${list.key}`] ?? 1); n++) {
          const name = new RegExp(`^Add (a|another) ${escapeRegExp(list.itemName)}$`)
          await page.getByRole('button', { name }).click()
          await page.waitForURL((url) => url.pathname.endsWith(`/${list.key}/new`))
          await scanned(page, `a new ${list.itemName} in ${title}`)
          await answer(page, list.questions, `${list.itemName} ${n}`)
          if (section.key === 'child' && list.key === 'needs' && n === 1)
            await page.getByLabel('This need is shared by the brothers and sisters').check()
          await page.getByRole('button', { name: `Save ${list.itemName}` }).click()
          await page.waitForURL((url) => url.pathname === `/plans/${planId}/sections/${section.key}`)
          await scanned(page, `section ${title} with ${n} ${list.itemName}`)
        }
      }

      await page.getByRole('button', { name: 'Save and continue' }).click()
      await page.waitForURL((url) => url.pathname === `/plans/${planId}/sections/${section.key}/check`)
      await scanned(page, `check your answers: ${title}`)
      for (const q of section.questions.filter((question) => question.type === 'narrative'))
        assert.ok(await page.getByText(`${section.title}: ${q.label}, written in full.`).first().isVisible())
      await page.getByLabel('Yes').check()
      await page.getByRole('button', { name: 'Continue' }).click()
      await page.waitForURL((url) => url.pathname === `/plans/${planId}`)
      await scanned(page, `the task list after ${title}`)
      assert.equal(await statusOf(page, title), 'Completed', `${title} is completed`)
      assert.ok(
        await page.getByText(`${index + 1} of ${sections.length} sections completed`).isVisible(),
        `${index + 1} completed`,
      )
    }

    // What was written is in the database's tables, not only on the page.
    const needs = await db
      .selectFrom('plan_need_items')
      .select(['section', 'sibling_group_id'])
      .where('removed_at', 'is', null)
      .execute()
    assert.equal(needs.length, 4)
    assert.equal(needs.filter((need) => need.sibling_group_id !== null).length, 1)

    // The shared need is written once and shown in Bo's plan too.
    await page.goto(`/plans/${boPlanId}/sections/child`)
    await scanned(page, 'Bo’s section 2')
    const shared = page.locator('.govuk-summary-card', { hasText: 'Shared by the brothers and sisters' })
    assert.equal(await shared.count(), 1)
  })
})
