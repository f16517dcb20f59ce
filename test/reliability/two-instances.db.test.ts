import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import type { FastifyInstance } from 'fastify'
import { sql } from 'kysely'
import { buildApp } from '../../src/app.ts'
import { type DatabaseHandle, openDatabase } from '../../src/db/database.ts'
import { todayInEngland } from '../../src/platform/dates.ts'
import type { MailTransport, OutgoingMail } from '../../src/platform/mail/transports.ts'
import { drainMail } from '../../src/platform/mail/worker.ts'
import { type Services, services } from '../../src/services.ts'
import { type TestApp, type TestUser, testApp } from '../support/app.ts'
import { childForm } from '../support/children.ts'
import { placedDaysAgo, planFor } from '../support/reminders.ts'
import { WebClient } from '../support/web-client.ts'

// Issue 7: two instances of the service behind one load balancer, sharing one database, as they
// would in production: a session started on instance A works on instance B (and ends on both when
// the person signs out), and a reminder swept by both at once is e-mailed once. On PostgreSQL the
// second instance has its own pool of connections; on PGlite, single-process, it shares the handle.

/** A second way in to the same database, as a second instance would have. */
async function secondConnection(handle: DatabaseHandle): Promise<DatabaseHandle> {
  const server = process.env.TEST_DATABASE_URL
  if (handle.kind === 'pglite' || !server) return { ...handle, close: async () => {} }
  const { rows } = await sql<{ name: string }>`select current_database() as name`.execute(handle.db)
  const url = new URL(server)
  url.pathname = `/${rows[0]?.name}`
  return openDatabase({ kind: 'postgres', url: url.toString() })
}

/** A browser that signed in on one instance, its next request sent to the other. */
function sameBrowserOn(app: FastifyInstance, from: WebClient): WebClient {
  const moved = new WebClient(app)
  for (const [name, value] of from.cookies) moved.cookies.set(name, value)
  moved.csrf = from.csrf
  return moved
}

describe('two instances over one database', () => {
  let a: TestApp
  let secondDb: DatabaseHandle
  let b: FastifyInstance
  let servicesA: Services
  let servicesB: Services
  let agencyId: string
  let worker: TestUser

  before(async () => {
    a = await testApp()
    secondDb = await secondConnection(a.database)
    servicesA = services(a.database.db, a.config)
    servicesB = services(secondDb.db, a.config)
    b = await buildApp(a.config, servicesB)
    await b.ready()
    agencyId = await a.addAgency()
    worker = await a.addUser(agencyId, 'social-worker')
  })
  after(async () => {
    await b.close()
    await secondDb.close()
    await a.close()
  })

  test('a session started on instance A works on instance B, forms included, and ends on both', async () => {
    const onA = new WebClient(a.app)
    await onA.signIn(worker)
    await onA.get('/children/new')
    const onB = sameBrowserOn(b, onA)
    const home = await onB.get('/home')
    assert.equal(home.statusCode, 200)
    assert.match(home.body, /Sign out/, 'B knows who this is')
    const added = await onB.post('/children', childForm)
    assert.equal(added.statusCode, 303, 'a form from a page of A is accepted by B (same CSRF secret)')
    assert.match(String(added.headers.location), /^\/children\/[0-9a-f-]{36}/)
    assert.equal((await onA.get(String(added.headers.location))).statusCode, 200, 'and A sees it')

    await onA.post('/sign-out', {})
    const after = await sameBrowserOn(b, onA).get('/home')
    const stale = await onB.get('/home')
    for (const response of [after, stale]) {
      assert.equal(response.statusCode, 303, 'signed out on A: B asks for a sign-in too')
      assert.match(String(response.headers.location), /^\/(sign-in|signed-out)/)
    }
  })

  test('a reminder swept by both instances at once is e-mailed once', async () => {
    const staff = { kind: 'staff' as const, userId: worker.id, agencyId, role: 'social-worker' as const }
    const due = await planFor(a.database.db, staff, { firstName: 'Amy', allocate: [staff] })
    // Placed 30 days ago: the first review was due two days ago.
    await placedDaysAgo(a.database.db, due, todayInEngland(), 30)
    const now = new Date()
    const swept = await Promise.all([
      servicesA.reminders.sweep(now),
      servicesB.reminders.sweep(now),
      servicesA.reminders.sweep(now),
      servicesB.reminders.sweep(now),
    ])
    const rows = await a.database.db
      .selectFrom('mail_outbox')
      .select(['to_address', 'dedupe_key'])
      .where('dedupe_key', 'like', `reminder:review-overdue:${due.planId}:%`)
      .execute()
    assert.deepEqual(
      rows.map((row) => row.to_address),
      [worker.email],
      'one e-mail queued for the worker',
    )
    assert.ok(swept.reduce((sum, result) => sum + result.queued, 0) >= 1)

    const sent: OutgoingMail[] = []
    const transport: MailTransport = {
      name: 'recorder',
      async send(mail) {
        sent.push(mail)
      },
    }
    const serviceUrl = 'https://adoption-support.example'
    await Promise.all([
      drainMail({ db: a.database.db, transport, serviceUrl, batchSize: 1 }),
      drainMail({ db: secondDb.db, transport, serviceUrl, batchSize: 1 }),
    ])
    const toWorker = sent.filter((mail) => mail.to === worker.email && mail.body.includes(due.planId))
    assert.equal(toWorker.length, 1, 'and sent once, though both instances drain the outbox')
  })
})
