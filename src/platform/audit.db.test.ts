import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { sql } from 'kysely'
import { testDatabase } from '../../test/support/database.ts'
import type { DatabaseHandle } from '../db/database.ts'
import { recordAudit, verifyAuditChain } from './audit.ts'

describe('audit log', () => {
  let handle: DatabaseHandle
  before(async () => {
    handle = await testDatabase()
  })
  after(() => handle.close())

  test('events chain by hash; concurrent writers keep the chain whole', async () => {
    await Promise.all(
      Array.from({ length: 20 }, (_, index) =>
        recordAudit(handle.db, {
          what: 'child-viewed',
          who: null,
          subjectType: 'child',
          subjectId: `c${index}`,
          details: { n: index, nested: { b: 1, a: [2, 'x'] } },
        }),
      ),
    )
    const check = await verifyAuditChain(handle.db, 7)
    assert.deepEqual(check, { ok: true, events: 20 })
  })

  test('an event written inside a transaction that rolls back leaves no trace', async () => {
    await assert.rejects(
      handle.db.transaction().execute(async (trx) => {
        await recordAudit(trx, { what: 'child-changed', who: null })
        throw new Error('the change failed')
      }),
    )
    const rows = await handle.db
      .selectFrom('audit_events')
      .select('seq')
      .where('what', '=', 'child-changed')
      .execute()
    assert.equal(rows.length, 0)
    assert.equal((await verifyAuditChain(handle.db)).ok, true)
  })

  test('the log refuses to be changed or emptied, even by the application', async () => {
    await assert.rejects(sql`update audit_events set what = 'nothing'`.execute(handle.db), /append-only/)
    await assert.rejects(sql`delete from audit_events`.execute(handle.db), /append-only/)
    await assert.rejects(sql`truncate audit_events`.execute(handle.db), /append-only/)
    assert.equal((await verifyAuditChain(handle.db)).ok, true)
  })

  test('a row altered behind the log’s back breaks the chain at that row', async () => {
    const target = await handle.db
      .selectFrom('audit_events')
      .select('seq')
      .orderBy('seq')
      .offset(5)
      .limit(1)
      .executeTakeFirstOrThrow()
    // Someone with the database owner's rights switches the guard off to tamper with one event.
    await sql`alter table audit_events disable trigger audit_events_append_only`.execute(handle.db)
    await sql`update audit_events set details = '{"n": 999}' where seq = ${target.seq}`.execute(handle.db)
    await sql`alter table audit_events enable trigger audit_events_append_only`.execute(handle.db)
    const check = await verifyAuditChain(handle.db)
    assert.equal(check.ok, false)
    assert.equal(!check.ok && check.brokenAt, target.seq)
  })
})
