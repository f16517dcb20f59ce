import assert from 'node:assert/strict'
import { after, before, beforeEach, describe, test } from 'node:test'
import { setTimeout as sleep } from 'node:timers/promises'
import { sql } from 'kysely'
import { testDatabase } from '../../../test/support/database.ts'
import type { DatabaseHandle } from '../../db/database.ts'
import { queueMail } from './outbox.ts'
import type { MailTransport, OutgoingMail } from './transports.ts'
import { drainMail, errorSummary, startMailWorker } from './worker.ts'

const SERVICE = 'https://adoption-support.example'

/** Keeps what it is given; a little slow, so that workers running side by side interleave. */
function recorder(fail?: (mail: OutgoingMail) => Error | undefined) {
  const sent: OutgoingMail[] = []
  const transport: MailTransport = {
    name: 'recorder',
    async send(mail) {
      await sleep(1 + Math.floor(Math.random() * 4))
      const error = fail?.(mail)
      if (error) throw error
      sent.push(mail)
    },
  }
  return { sent, transport }
}

describe('mail worker', () => {
  let handle: DatabaseHandle

  before(async () => {
    handle = await testDatabase()
  })
  after(() => handle.close())
  // Each test starts from an empty outbox.
  beforeEach(() => sql`delete from mail_outbox`.execute(handle.db))

  const queueMany = (count: number) =>
    Promise.all(
      Array.from({ length: count }, (_, index) =>
        queueMail(handle.db, {
          to: `person${index}@agency.example`,
          kind: 'reminder',
          link: `/plans/${index}`,
        }),
      ),
    )

  test('two workers draining one outbox side by side send each message exactly once', async () => {
    await queueMany(50)
    const { sent, transport } = recorder()
    const options = { db: handle.db, transport, serviceUrl: SERVICE, batchSize: 4 }
    const results = await Promise.all([drainMail(options), drainMail(options), drainMail(options)])
    assert.equal(sent.length, 50)
    assert.equal(new Set(sent.map((mail) => mail.id)).size, 50)
    assert.equal(
      results.reduce((total, result) => total + result.sent, 0),
      50,
    )
    const left = await handle.db.selectFrom('mail_outbox').select('id').where('sent_at', 'is', null).execute()
    assert.equal(left.length, 0)
  })

  test('two running workers (as two app instances would) send each message exactly once', async () => {
    const { sent, transport } = recorder()
    const workers = [1, 2].map(() =>
      startMailWorker({ db: handle.db, transport, serviceUrl: SERVICE, batchSize: 3, intervalMs: 5 }),
    )
    await queueMany(50)
    for (let waited = 0; sent.length < 50 && waited < 10_000; waited += 20) await sleep(20)
    await Promise.all(workers.map((worker) => worker.stop()))
    assert.equal(sent.length, 50)
    assert.equal(new Set(sent.map((mail) => mail.id)).size, 50)
  })

  test('a sent message loses its link, which may be a credential', async () => {
    await queueMail(handle.db, {
      to: 'a@agency.example',
      kind: 'staff-invitation',
      link: '/invitations/secret',
    })
    const { sent, transport } = recorder()
    await drainMail({ db: handle.db, transport, serviceUrl: SERVICE })
    assert.match(sent[0]?.body ?? '', /https:\/\/adoption-support\.example\/invitations\/secret/)
    const row = await handle.db.selectFrom('mail_outbox').selectAll().executeTakeFirstOrThrow()
    assert.equal(row.link, null)
    assert.ok(row.sent_at)
    assert.equal(row.attempts, 1)
  })

  test('a failure is retried after a wait, recorded without the address, and given up at last', async () => {
    const to = 'zephyrine.quillbrook@example.com'
    await queueMail(handle.db, { to, kind: 'reminder', link: '/plans/1' })
    const { transport } = recorder((mail) => new Error(`550 5.1.1 <${mail.to}>: Recipient address rejected`))
    const options = { db: handle.db, transport, serviceUrl: SERVICE, maxAttempts: 3, backoffMs: () => 60_000 }

    assert.deepEqual(await drainMail(options), { sent: 0, failed: 1, gaveUp: 0 })
    let row = await handle.db.selectFrom('mail_outbox').selectAll().executeTakeFirstOrThrow()
    assert.equal(row.attempts, 1)
    assert.ok(row.send_after.getTime() > Date.now() + 50_000, 'waits before the next attempt')
    assert.ok(row.last_error?.includes('Recipient address rejected'))
    assert.ok(!row.last_error?.includes(to) && !/zephyrine/i.test(row.last_error ?? ''))

    // Not due yet: nothing is tried.
    assert.deepEqual(await drainMail(options), { sent: 0, failed: 0, gaveUp: 0 })

    for (const expected of [
      { sent: 0, failed: 1, gaveUp: 0 },
      { sent: 0, failed: 0, gaveUp: 1 },
    ]) {
      await sql`update mail_outbox set send_after = now()`.execute(handle.db)
      assert.deepEqual(await drainMail(options), expected)
    }
    row = await handle.db.selectFrom('mail_outbox').selectAll().executeTakeFirstOrThrow()
    assert.equal(row.attempts, 3)
    assert.ok(row.gave_up_at, 'given up, and still there to be seen')
    await sql`update mail_outbox set send_after = now()`.execute(handle.db)
    assert.deepEqual(await drainMail(options), { sent: 0, failed: 0, gaveUp: 0 })
  })

  test('a message for later waits; a claim left by a dead worker runs out and the message goes', async () => {
    await queueMail(handle.db, {
      to: 'a@agency.example',
      kind: 'reminder',
      link: '/plans/later',
      sendAfter: new Date(Date.now() + 3_600_000),
    })
    await queueMail(handle.db, { to: 'b@agency.example', kind: 'reminder', link: '/plans/orphan' })
    // A worker claimed this one and died before sending it.
    await sql`update mail_outbox set locked_until = now() + interval '1 minute', attempts = 1 where link = '/plans/orphan'`.execute(
      handle.db,
    )
    const { sent, transport } = recorder()
    const options = { db: handle.db, transport, serviceUrl: SERVICE }
    assert.equal((await drainMail(options)).sent, 0)
    await sql`update mail_outbox set locked_until = now() - interval '1 second' where link = '/plans/orphan'`.execute(
      handle.db,
    )
    assert.equal((await drainMail(options)).sent, 1)
    assert.match(sent[0]?.body ?? '', /\/plans\/orphan/)
  })

  test('stopping waits for the message being sent and hands back the rest of the batch', async () => {
    await queueMany(5)
    let release: () => void = () => {}
    const gate = new Promise<void>((resolve) => {
      release = resolve
    })
    const sent: string[] = []
    const transport: MailTransport = {
      name: 'slow',
      async send(mail) {
        await gate
        sent.push(mail.id)
      },
    }
    const worker = startMailWorker({
      db: handle.db,
      transport,
      serviceUrl: SERVICE,
      batchSize: 5,
      intervalMs: 10,
    })
    await sleep(100)
    const stopped = worker.stop()
    release()
    await stopped
    assert.equal(sent.length, 1)
    const rows = await handle.db.selectFrom('mail_outbox').selectAll().where('sent_at', 'is', null).execute()
    assert.equal(rows.length, 4)
    for (const row of rows) {
      assert.equal(row.locked_until, null)
      assert.equal(row.attempts, 0)
    }
  })

  test('error summaries keep the reason and lose addresses', () => {
    const error = Object.assign(new Error('Request failed with status code 400'), {
      response: {
        status: 400,
        data: { errors: [{ error: 'BadRequestError', message: 'Not a valid email address: a.b@c.example' }] },
      },
    })
    assert.equal(
      errorSummary(error),
      '400 Request failed with status code 400 Not a valid email address: [address]',
    )
  })
})
