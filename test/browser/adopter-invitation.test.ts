import assert from 'node:assert/strict'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test } from 'node:test'
import { childrenService } from '../../src/features/children/service.ts'
import { familiesService } from '../../src/features/families/service.ts'
import { folderTransport, readFolderMail } from '../../src/platform/mail/transports.ts'
import { drainMail } from '../../src/platform/mail/worker.ts'
import type { Actor } from '../../src/platform/policy.ts'
import { totpCode } from '../../src/platform/totp.ts'
import { TEST_PASSWORD, testApp } from '../support/app.ts'
import { expectNoAxeViolations, launchBrowser, NO_CHROMIUM, serve, signInAs } from '../support/browser.ts'
import { childDetailsFor } from '../support/children.ts'

// A worker invites an adopter. The adopter opens the e-mail that the local outbox folder holds,
// chooses a password, sets up an authenticator app, and sees their own child and nothing else: the
// address of another family's child answers "Page not found". Every page is scanned with axe.

test('an adopter accepts an invitation from the outbox and sees only their own child', {
  timeout: 120_000,
}, async (t) => {
  const browser = await launchBrowser()
  if (!browser) {
    t.skip(NO_CHROMIUM)
    return
  }
  const mailDir = await mkdtemp(join(tmpdir(), 'adoption-support-mail-'))
  const site = await testApp()
  try {
    const db = site.database.db
    const agencyId = await site.addAgency()
    const workerUser = await site.addUser(agencyId, 'social-worker')
    const worker: Actor & { kind: 'staff' } = {
      kind: 'staff',
      userId: workerUser.id,
      agencyId,
      role: 'social-worker',
    }
    const children = childrenService(db)
    const families = familiesService(db)
    const placed = async (firstName: string, lastName: string, adopter: string, email: string | null) => {
      const added = await children.add(worker, childDetailsFor({ firstName, lastName }), 'browser-test')
      if (added.outcome !== 'added') throw new Error('child not added')
      const familyId = await families.add(
        worker,
        {
          approvingAgencyId: agencyId,
          adopters: [{ firstName: adopter, lastName: 'Featherstonehaugh', dateOfBirth: '1984-03-02', email }],
        },
        'browser-test',
      )
      await families.match(worker, familyId, added.child.id, 'browser-test')
      const match = await db
        .selectFrom('matches')
        .select('id')
        .where('child_id', '=', added.child.id)
        .executeTakeFirstOrThrow()
      await families.share(worker, familyId, match.id, 'browser-test')
      return { familyId, childId: added.child.id }
    }
    const ours = await placed('Mia', 'Rowe', 'Canarywren', 'canarywren@home.example')
    const theirs = await placed('Ned', 'Quill', 'Linnet', null)

    const baseURL = await serve(site.app)
    const workerPage = await (await browser.newContext({ baseURL })).newPage()
    await signInAs(workerPage, workerUser)
    await workerPage.goto(`/families/${ours.familyId}`)
    await expectNoAxeViolations(workerPage, 'the family, to the worker')
    await workerPage.getByRole('button', { name: 'Invite Canarywren to create an account' }).click()
    await workerPage.getByText('Invitation sent').waitFor()
    await expectNoAxeViolations(workerPage, 'the family after the invitation')

    // The worker in the running service sends the outbox to the local folder.
    const drained = await drainMail({
      db,
      transport: folderTransport(mailDir, 'test@service.invalid'),
      serviceUrl: baseURL,
    })
    assert.equal(drained.sent, 1)
    const [mail, ...others] = await readFolderMail(mailDir)
    assert.equal(others.length, 0)
    assert.equal(mail?.to, 'canarywren@home.example')
    assert.doesNotMatch(`${mail?.subject}\n${mail?.body}`, /Canarywren|Featherstonehaugh|Mia|Rowe/)
    const link = mail?.links[0] as string
    assert.ok(link.startsWith(`${baseURL}/invitations/`))

    const page = await (await browser.newContext({ baseURL })).newPage()
    await page.goto(link)
    assert.equal(await page.title(), 'Create your password – Adoption Support')
    await expectNoAxeViolations(page, 'create your password')
    await page.getByLabel('Password', { exact: true }).fill('too short')
    await page.getByLabel('Confirm password').fill('too short')
    await page.getByRole('button', { name: 'Continue' }).click()
    await page.getByRole('alert').filter({ hasText: 'There is a problem' }).waitFor()
    await expectNoAxeViolations(page, 'create your password, with an error')
    await page.getByLabel('Password', { exact: true }).fill(TEST_PASSWORD)
    await page.getByLabel('Confirm password').fill(TEST_PASSWORD)
    await page.getByRole('button', { name: 'Continue' }).click()

    await page.waitForURL((url) => url.pathname === '/sign-in/set-up-two-factor')
    await expectNoAxeViolations(page, 'set up your authenticator app')
    const secret = ((await page.locator('#totp-secret').textContent()) ?? '').replaceAll(' ', '')
    await page.getByLabel('Code from your authenticator app').fill(await totpCode(secret))
    await page.getByRole('button', { name: 'Finish setting up' }).click()

    await page.waitForURL((url) => url.pathname === '/home')
    await expectNoAxeViolations(page, 'your home page, nothing shared yet')
    await page.getByRole('link', { name: 'Your family', exact: true }).first().click()
    await page.waitForURL((url) => url.pathname === `/families/${ours.familyId}`)
    await expectNoAxeViolations(page, 'your family')
    assert.equal(await page.getByRole('link', { name: 'Ned Quill' }).count(), 0)
    await page.getByRole('link', { name: 'Mia Rowe' }).click()
    await page.waitForURL((url) => url.pathname === `/children/${ours.childId}`)
    await page.getByRole('heading', { name: /Mia Rowe/ }).waitFor()
    await expectNoAxeViolations(page, 'your child, to the adopter')

    const elsewhere = await page.goto(`/children/${theirs.childId}`)
    assert.equal(elsewhere?.status(), 404)
    await page.getByRole('heading', { name: 'Page not found' }).waitFor()
    assert.doesNotMatch((await page.locator('body').textContent()) ?? '', /\bNed\b|Quill/)
    await expectNoAxeViolations(page, 'page not found')
    assert.equal((await page.goto(`/families/${theirs.familyId}`))?.status(), 404)
    assert.equal((await page.goto(link))?.status(), 404, 'the link works once')
  } finally {
    await browser.close()
    await site.close()
    await rm(mailDir, { recursive: true, force: true })
  }
})
