import assert from 'node:assert/strict'
import { test } from 'node:test'
import { childrenService } from '../../src/features/children/service.ts'
import { familiesService } from '../../src/features/families/service.ts'
import { plansService } from '../../src/features/plans/service.ts'
import { type ListDefinition, sectionDefinition } from '../../src/plan/definition.ts'
import { todayInEngland } from '../../src/platform/dates.ts'
import type { StaffActor } from '../../src/platform/request-context.ts'
import { browserJourney, expectNoAxeViolations, serve, signInAs } from '../support/browser.ts'
import { childDetailsFor } from '../support/children.ts'

// Birth family sign-off in a real browser (issue 5, ADR 0014): the worker makes a link for the birth
// mother and a letter's code for the birth father from the plan's section 4; the mother, in a browser
// of her own, confirms with her name and the date; the father types his code and declines with a
// reason; the worker sees both answers and records a paper signature. Every page is scanned with axe.

const PDF = Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n', 'latin1')

test(
  'birth relatives confirm or decline section 4 by link and by letter code, on pages that pass axe',
  {
    timeout: 120_000,
  },
  (t) =>
    browserJourney(t, async (browser, site) => {
      const db = site.database.db
      const agencyId = await site.addAgency()
      const workerUser = await site.addUser(agencyId, 'social-worker')
      const actor: StaffActor = { kind: 'staff', userId: workerUser.id, agencyId, role: 'social-worker' }
      const child = await childrenService(db).add(
        actor,
        childDetailsFor({ firstName: 'Ivy' }),
        'browser-test',
      )
      if (child.outcome !== 'added') throw new Error('child not added')
      const families = familiesService(db)
      const familyId = await families.add(
        actor,
        {
          approvingAgencyId: agencyId,
          adopters: [{ firstName: 'Sam', lastName: 'Reid', dateOfBirth: '1985-02-01', email: null }],
        },
        'browser-test',
      )
      await families.match(actor, familyId, child.child.id, 'browser-test')
      const plans = plansService(db)
      const started = await plans.create(actor, child.child.id, 'browser-test')
      if (started.outcome !== 'created') throw new Error('plan not created')
      const planId = started.planId
      const relatives = sectionDefinition('birth-family')?.lists[0] as ListDefinition
      for (const [relative, relationship, support] of [
        ['Birth mother', 'Mother', 'Counselling from Birthlink'],
        ['Birth father', 'Father', 'A support group for birth fathers'],
      ] as const) {
        const { version } = await db
          .selectFrom('plan_sections')
          .select('version')
          .where('plan_id', '=', planId)
          .where('key', '=', 'birth-family')
          .executeTakeFirstOrThrow()
        await plans.saveItem(
          actor,
          planId,
          'birth-family',
          relatives,
          null,
          version,
          { relative, relationship, support, providedBy: 'The agency' },
          { correlationId: 'browser-test' },
        )
      }
      const baseURL = await serve(site.app)

      const working = await (await browser.newContext({ baseURL })).newPage()
      await signInAs(working, workerUser)
      await working.goto(`/plans/${planId}/sections/birth-family`)
      await working.getByRole('link', { name: 'Birth family sign-off' }).waitFor()
      await expectNoAxeViolations(working, 'section 4, with its way to sign-off')
      await working.goto(`/plans/${planId}`)
      await expectNoAxeViolations(working, 'the plan’s front page')
      await working.getByRole('link', { name: 'Birth family sign-off' }).click()
      await working.getByRole('heading', { name: 'Birth family sign-off' }).waitFor()
      await expectNoAxeViolations(working, 'the birth family sign-off page, nothing sent yet')

      // A link for the mother.
      await working.getByRole('link', { name: 'Send a link or code to Birth mother' }).click()
      await expectNoAxeViolations(working, 'asking the birth mother')
      await working.getByRole('button', { name: 'Create it' }).click()
      await working.getByRole('link', { name: 'Select how you will send it to them' }).waitFor()
      await expectNoAxeViolations(working, 'asking the birth mother, with an error')
      await working.getByLabel('A link').check()
      await working.getByRole('button', { name: 'Create it' }).click()
      await working.getByRole('heading', { name: 'Link created' }).waitFor()
      await expectNoAxeViolations(working, 'the link, shown once')
      const link = (await working.locator('#secret').textContent())?.trim() as string
      assert.match(link, /\/birth-family\/[A-Za-z0-9_-]{43}$/)

      // A code for the father's letter.
      await working.goto(`/plans/${planId}/birth-family`)
      await working.getByRole('link', { name: 'Send a link or code to Birth father' }).click()
      await working.getByLabel('A code for a printed letter').check()
      await working.getByRole('button', { name: 'Create it' }).click()
      await working.getByRole('heading', { name: 'Code created for a letter' }).waitFor()
      await expectNoAxeViolations(working, 'the letter’s code, shown once')
      const code = (await working.locator('#secret').textContent())?.trim() as string
      await working.getByRole('link', { name: 'Back to birth family sign-off' }).click()
      await working.getByText('Waiting for an answer').first().waitFor()
      await expectNoAxeViolations(working, 'the birth family sign-off page, two waiting')

      // The mother, in a browser of her own, with no account.
      const mother = await (await browser.newContext({ baseURL })).newPage()
      await mother.goto(new URL(link).pathname)
      await mother.getByRole('heading', { name: 'Adoption support offered to you' }).waitFor()
      assert.equal(await mother.title(), 'Adoption support offered to you – Adoption Support')
      assert.ok(!(await mother.content()).includes('A support group for birth fathers'))
      await expectNoAxeViolations(mother, 'the birth mother’s page')
      await mother.getByLabel('Your full name').fill('Jo Bloggs')
      await mother.getByRole('button', { name: 'Confirm the support' }).click()
      await mother.getByRole('link', { name: 'Enter the date' }).waitFor()
      await expectNoAxeViolations(mother, 'the birth mother’s page, with an error')
      const [year, month, day] = todayInEngland().split('-') as [string, string, string]
      await mother.getByLabel('Day').fill(day)
      await mother.getByLabel('Month').fill(month)
      await mother.getByLabel('Year').fill(year)
      await mother.getByRole('button', { name: 'Confirm the support' }).click()
      await mother.getByRole('heading', { name: 'Your answer has been sent' }).waitFor()
      await expectNoAxeViolations(mother, 'the birth mother’s answer sent')
      await mother.goto(new URL(link).pathname)
      await mother.getByRole('heading', { name: 'This link has already been used' }).waitFor()
      await expectNoAxeViolations(mother, 'the birth mother’s link, used')

      // The father types the code from his letter.
      const father = await (await browser.newContext({ baseURL })).newPage()
      await father.goto('/birth-family')
      await expectNoAxeViolations(father, 'the page for a letter’s code')
      await father.getByLabel('Enter the code from your letter').fill('ZZZZ-9999')
      await father.getByRole('button', { name: 'Continue' }).click()
      await father.getByRole('link', { name: /The code is not right/ }).waitFor()
      await expectNoAxeViolations(father, 'the page for a letter’s code, with a wrong code')
      await father.getByLabel('Enter the code from your letter').fill(code.toLowerCase())
      await father.getByRole('button', { name: 'Continue' }).click()
      await father.getByText('A support group for birth fathers').waitFor()
      await expectNoAxeViolations(father, 'the birth father’s page')
      await father.getByLabel('Tell us why you do not agree with it').fill('I would like to meet first')
      await father.getByRole('button', { name: 'Decline the support' }).click()
      await father.getByRole('heading', { name: 'Your answer has been sent' }).waitFor()

      // The worker sees both answers, and records the father's later signature on paper.
      await working.reload()
      await working.getByText('Confirmed by Jo Bloggs').waitFor()
      await working.getByText('I would like to meet first').waitFor()
      await expectNoAxeViolations(working, 'the birth family sign-off page, with answers')
      await working.getByRole('link', { name: 'Record a paper signature of Birth father' }).click()
      await expectNoAxeViolations(working, 'recording a paper signature')
      await working.getByRole('button', { name: 'Record the signature' }).click()
      await working.getByRole('link', { name: 'Enter the name they signed with' }).waitFor()
      await expectNoAxeViolations(working, 'recording a paper signature, with errors')
      await working.getByLabel('Name they signed with').fill('Tom Bloggs')
      await working.getByLabel('Day').fill('2')
      await working.getByLabel('Month').fill('3')
      await working.getByLabel('Year').fill('2026')
      await working
        .getByLabel('Upload the scan of the signed page')
        .setInputFiles({ name: 'scan.pdf', mimeType: 'application/pdf', buffer: PDF })
      await working.getByRole('button', { name: 'Record the signature' }).click()
      await working.getByText('Paper signature recorded').waitFor()
      await working.getByText('Signed by Tom Bloggs on 2 March 2026').waitFor()
      await expectNoAxeViolations(working, 'the birth family sign-off page, with a paper signature')
    }),
)
