import assert from 'node:assert/strict'
import { after, before, beforeEach, describe, test } from 'node:test'
import { setTimeout as sleep } from 'node:timers/promises'
import { sql } from 'kysely'
import { testDatabase } from '../../../test/support/database.ts'
import {
  addStaff,
  placedDaysAgo,
  planFor,
  type StaffWithEmail,
  type TestPlan,
} from '../../../test/support/reminders.ts'
import { readConfig } from '../../config.ts'
import { type DatabaseHandle, openDatabase } from '../../db/database.ts'
import { addDays, todayInEngland } from '../../platform/dates.ts'
import type { MailTransport, OutgoingMail } from '../../platform/mail/transports.ts'
import { drainMail } from '../../platform/mail/worker.ts'
import { services } from '../../services.ts'
import { accounts } from '../accounts/service.ts'
import { REMINDER_EMAIL_DAYS } from './service.ts'
import { startReminderSweeper } from './sweeper.ts'

// Issue 5, acceptance 5: with two app instances sharing one database, a due reminder is e-mailed
// exactly once. Each "instance" is the service as main.ts builds it, `services(db, config)`. On
// PostgreSQL the second has its own pool of connections to the same database, so the two sweeps
// really run side by side, each in its own transactions; on PGlite they share the one handle.

const SERVICE = 'https://adoption-support.example'

/** A second way in to the same database, as a second app instance would have. */
async function secondConnection(handle: DatabaseHandle): Promise<DatabaseHandle> {
  const server = process.env.TEST_DATABASE_URL
  if (handle.kind === 'pglite' || !server) return { ...handle, close: async () => {} }
  const { rows } = await sql<{ name: string }>`select current_database() as name`.execute(handle.db)
  const url = new URL(server)
  url.pathname = `/${rows[0]?.name}`
  return openDatabase({ kind: 'postgres', url: url.toString() })
}

/** Keeps what it is given, a little slowly, so that two drains interleave. */
function recorder() {
  const sent: OutgoingMail[] = []
  const transport: MailTransport = {
    name: 'recorder',
    async send(mail) {
      await sleep(1 + Math.floor(Math.random() * 3))
      sent.push(mail)
    },
  }
  return { sent, transport }
}

describe('reminders e-mailed exactly once, with two app instances', () => {
  let first: DatabaseHandle
  let second: DatabaseHandle
  const config = readConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent' })
  const today = todayInEngland()
  let worker: StaffWithEmail
  let iro: StaffWithEmail
  let manager: StaffWithEmail
  let due: TestPlan
  const others: TestPlan[] = []

  const reminderRows = () =>
    first.db
      .selectFrom('mail_outbox')
      .select(['to_address', 'kind', 'link', 'dedupe_key', 'sent_at'])
      .where('dedupe_key', 'like', 'reminder:%')
      .orderBy('dedupe_key')
      .execute()

  before(async () => {
    first = await testDatabase()
    second = await secondConnection(first)
    const db = first.db
    const agency = await accounts(db).addAgency({ name: 'Two instances RAA', kind: 'raa' })
    worker = await addStaff(db, agency, 'social-worker')
    iro = await addStaff(db, agency, 'iro')
    manager = await addStaff(db, agency, 'team-manager')
    // Placed 30 days ago: the first review was due 2 days ago, so it is overdue since yesterday.
    due = await planFor(db, worker, { firstName: 'Amy', allocate: [worker, iro] })
    await placedDaysAgo(db, due, today, 30)
    // More reminders, so that the two sweeps have many rows to contend over.
    for (const [index, firstName] of ['Ben', 'Cal', 'Dee', 'Eve', 'Fay'].entries()) {
      const plan = await planFor(db, worker, { firstName, allocate: [iro] })
      await placedDaysAgo(db, plan, today, 15 + index)
      others.push(plan)
    }
  })
  after(async () => {
    await second.close()
    await first.close()
  })
  beforeEach(() => sql`delete from mail_outbox`.execute(first.db))

  test('two instances sweeping at once, then again, queue one e-mail per person, sent once', async () => {
    const one = services(first.db, config).reminders
    const two = services(second.db, config).reminders
    const now = new Date()
    const firstRound = await Promise.all([one.sweep(now), two.sweep(now), one.sweep(now), two.sweep(now)])
    await Promise.all([one.sweep(now), two.sweep(now)])

    const rows = await reminderRows()
    const overdue = rows.filter((row) => row.dedupe_key?.startsWith(`reminder:review-overdue:${due.planId}:`))
    assert.deepEqual(
      overdue.map((row) => row.to_address).sort(),
      [worker.email, iro.email, manager.email].sort(),
      'the overdue review: one row for the worker, one for the IRO, one for the team manager',
    )
    // Each other plan's review is due soon: the worker (who leads the plan) and the IRO.
    assert.equal(rows.length, 3 + others.length * 2)
    assert.equal(new Set(rows.map((row) => row.dedupe_key)).size, rows.length)
    assert.equal(
      firstRound.reduce((total, result) => total + result.queued, 0),
      rows.length,
      'between them the sweeps queued each e-mail once',
    )
    for (const row of overdue) {
      assert.equal(row.kind, 'something-to-do')
      assert.equal(row.link, `/plans/${due.planId}/reviews`)
    }

    // Each instance's mail worker drains the one outbox at the same time.
    const { sent, transport } = recorder()
    const drains = await Promise.all([
      drainMail({ db: first.db, transport, serviceUrl: SERVICE, batchSize: 2 }),
      drainMail({ db: second.db, transport, serviceUrl: SERVICE, batchSize: 2 }),
    ])
    assert.equal(sent.length, rows.length)
    assert.equal(drains[0].sent + drains[1].sent, rows.length)
    const toManager = sent.filter((mail) => mail.to === manager.email)
    assert.equal(toManager.length, 1, 'the team manager is e-mailed once about the overdue review')
    assert.equal(sent.filter((mail) => mail.to === iro.email).length, 1 + others.length)
    assert.equal(toManager[0]?.subject, 'You have something to do in Adoption Support')
    assert.ok(toManager[0]?.body.includes(`${SERVICE}/plans/${due.planId}/reviews`))
    assert.doesNotMatch(toManager[0]?.body ?? '', /Amy|Reminder|overdue/i, 'no name, nothing about the child')

    // Later sweeps find every reminder sent already: nothing more goes.
    const later = await Promise.all([one.sweep(new Date()), two.sweep(new Date())])
    assert.deepEqual(
      later.map((result) => result.queued),
      [0, 0],
    )
    const again = recorder()
    await drainMail({ db: second.db, transport: again.transport, serviceUrl: SERVICE })
    assert.equal(again.sent.length, 0)
  })

  test('the sweepers on their timers, in two instances, send each reminder once', async () => {
    const one = services(first.db, config).reminders
    const two = services(second.db, config).reminders
    const sweepers = [one, two].map((instance) =>
      startReminderSweeper({ sweep: () => instance.sweep(), intervalMs: 5 }),
    )
    for (
      let waited = 0;
      (await reminderRows()).length < 3 + others.length * 2 && waited < 10_000;
      waited += 20
    )
      await sleep(20)
    await sleep(50)
    await Promise.all(sweepers.map((sweeper) => sweeper.stop()))
    const rows = await reminderRows()
    assert.equal(rows.length, 3 + others.length * 2)
    assert.equal(new Set(rows.map((row) => row.dedupe_key)).size, rows.length)
  })

  test('the first sweep over old data e-mails only the recent reminders; the rest wait on the home pages', async () => {
    const old = await planFor(first.db, worker, { firstName: 'Gus', allocate: [iro] })
    // Overdue for a month: older than the e-mail window.
    await placedDaysAgo(first.db, old, today, 28 + REMINDER_EMAIL_DAYS + 30)
    const instance = services(first.db, config)
    await instance.reminders.sweep()
    const rows = await reminderRows()
    assert.equal(
      rows.filter((row) => row.link?.includes(old.planId)).length,
      0,
      'not e-mailed: it became a reminder long ago',
    )
    const things = await instance.reminders.thingsToDo(iro)
    const gus = things.find((thing) => thing.planId === old.planId)
    assert.equal(gus?.kind, 'review-overdue', 'still one of the IRO’s things to do')
    assert.equal(gus?.since, addDays(today, -REMINDER_EMAIL_DAYS - 30 + 1))
    await first.db.updateTable('plans').set({ status: 'closed' }).where('id', '=', old.planId).execute()
  })
})
