import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { sql } from 'kysely'
import { testDatabase } from '../../test/support/database.ts'
import type { DatabaseHandle } from './database.ts'
import { fixedQuery } from './prepared.ts'

describe('queries compiled once', () => {
  let handle: DatabaseHandle
  before(async () => {
    handle = await testDatabase()
    await handle.db
      .insertInto('agencies')
      .values([
        { name: 'North', kind: 'la', region: 'North East' },
        { name: 'South', kind: 'raa', region: 'South East' },
      ])
      .execute()
  })
  after(() => handle.close())

  const byName = fixedQuery<{ name: string; region: string | null }, [string]>(1, (db, name) =>
    db
      .selectFrom('agencies')
      .select(['name', 'region'])
      .where('name', '=', name)
      .where('kind', 'in', ['la', 'raa']),
  )

  test('each run takes its own values; the other values of the query stay as built', async () => {
    assert.deepEqual(await byName(handle.db, 'North'), [{ name: 'North', region: 'North East' }])
    assert.deepEqual(await byName(handle.db, 'South'), [{ name: 'South', region: 'South East' }])
    assert.deepEqual(await byName(handle.db, 'West'), [])
  })

  test('on PostgreSQL the statement is prepared on the connection that ran it', async (t) => {
    if (handle.kind !== 'postgres') return t.skip('PGlite runs it unprepared')
    const names = await handle.db.transaction().execute(async (trx) => {
      await byName(trx, 'North')
      await byName(trx, 'South')
      const rows = await sql<{ name: string }>`select name from pg_prepared_statements`.execute(trx)
      return rows.rows.map((row) => row.name)
    })
    assert.equal(names.filter((name) => name.startsWith('prepared_')).length, 1)
  })

  test('a value written into the text instead of passed is refused', async () => {
    const wrong = fixedQuery<{ name: string }, [string]>(1, (db, name) =>
      db.selectFrom('agencies').select('name').where(sql.lit(name), '=', 'x'),
    )
    await assert.rejects(wrong(handle.db, 'North'), /only as a value/)
  })
})
