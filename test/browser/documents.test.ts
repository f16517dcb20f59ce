import assert from 'node:assert/strict'
import { test } from 'node:test'
import { plansService } from '../../src/features/plans/service.ts'
import { browserJourney, expectNoAxeViolations, serve, signInAs } from '../support/browser.ts'
import { sharedPlan } from '../support/shared-plan.ts'
import { writeWholePlan } from '../support/written-plan.ts'

// Issue 6 in a real browser: from the plan's page the worker finds its documents, opens the print
// page (which passes axe and prints only the document), downloads the Word file, and opens the PDF
// in Chromium's own PDF viewer, which shows the document's title: the PDF opens and says what it is.

test(
  'a worker finds the plan’s documents, prints one, downloads the Word file and opens the PDF in Chromium',
  { timeout: 120_000 },
  (t) =>
    browserJourney(t, async (browser, site) => {
      const shared = await sharedPlan(site, { child: 'Nell' })
      const plans = plansService(site.database.db)
      const written = await writeWholePlan(plans, shared.workerActor, shared.planId, 'Journey')
      const taken = await plans.takeVersion(shared.workerActor, shared.planId, 'For panel', 'test')
      assert.ok(taken.outcome === 'taken')
      const version = taken.number

      const address = await serve(site.app)
      const context = await browser.newContext({ baseURL: address, acceptDownloads: true })
      const page = await context.newPage()
      await signInAs(page, shared.worker)

      await page.goto(`/plans/${shared.planId}`)
      await page.getByRole('link', { name: /^Documents: the plan as PDF/ }).click()
      await page.getByRole('heading', { name: 'Documents of this plan' }).waitFor()
      await expectNoAxeViolations(page, 'the documents page')

      // The print page: the document inside the service's page on screen, only the document in print.
      await page.getByRole('link', { name: `Print page of the whole plan, version ${version}` }).click()
      await page.getByRole('heading', { level: 1, name: 'Adoption support plan for Nell' }).waitFor()
      await expectNoAxeViolations(page, 'the print page')
      for (const answer of written.bySection.child?.slice(0, 3) ?? [])
        assert.ok((await page.locator('article').textContent())?.includes(answer.split('\n')[0] as string))
      await page.emulateMedia({ media: 'print' })
      assert.equal(
        await page.locator('.govuk-service-navigation').isVisible(),
        false,
        'no navigation in print',
      )
      assert.equal(await page.getByRole('link', { name: 'Download as PDF' }).isVisible(), false)
      assert.equal(await page.locator('article').isVisible(), true)
      await page.emulateMedia({ media: 'screen' })

      // The Word file downloads, named by version and variant.
      const [download] = await Promise.all([
        page.waitForEvent('download'),
        page.getByRole('link', { name: 'Download as Word' }).click(),
      ])
      assert.equal(download.suggestedFilename(), `adoption-support-plan-v${version}-full.docx`)

      // The PDF in Chromium's PDF viewer: its toolbar shows the title the PDF carries.
      const viewerPage = await context.newPage()
      await viewerPage.goto(`/plans/${shared.planId}/documents/full.pdf?version=${version}`)
      const viewer = await (async () => {
        for (let tries = 0; tries < 50; tries++) {
          const frame = viewerPage
            .frames()
            .find((candidate) => candidate.url().startsWith('chrome-extension://'))
          if (frame) return frame
          await viewerPage.waitForTimeout(100)
        }
        throw new Error('Chromium’s PDF viewer did not open')
      })()
      // The viewer's toolbar, inside its shadow roots (a string: the test is not compiled with DOM types).
      const title = async () =>
        viewer.evaluate<string>(
          `document.querySelector('pdf-viewer')?.shadowRoot?.querySelector('viewer-toolbar')?.shadowRoot?.querySelector('#title')?.textContent?.trim() ?? ''`,
        )
      let shown = ''
      // The toolbar names the file until the PDF is parsed, then shows the title the PDF carries.
      for (let tries = 0; tries < 100 && (shown === '' || shown === 'full.pdf'); tries++) {
        shown = await title()
        if (shown === '' || shown === 'full.pdf') await viewerPage.waitForTimeout(100)
      }
      assert.equal(shown, `Adoption support plan for Nell Hartley, version ${version}`)
      await context.close()
    }),
)
