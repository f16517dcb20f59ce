import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { sql } from 'kysely'
import { testDatabase } from '../../test/support/database.ts'
import type { DatabaseHandle } from '../db/database.ts'
import { groupRead, readAlone, readTogether, rowRead, rowsRead, toDate } from './reads.ts'

describe('reads made one statement', () => {
  let handle: DatabaseHandle
  before(async () => {
    handle = await testDatabase()
    await handle.db
      .insertInto('agencies')
      .values([
        { name: 'Second', kind: 'la', region: null, created_at: new Date('2026-02-01T10:00:00.123Z') },
        { name: 'First', kind: 'raa', region: 'London', created_at: new Date('2026-01-01T09:30:00.456Z') },
      ])
      .execute()
  })
  after(() => handle.close())

  const agencies = (db: DatabaseHandle['db']) =>
    rowsRead(
      db.selectFrom('agencies').select(['name', 'region', 'created_at']).orderBy('created_at'),
      (rows) => rows.map((row) => ({ ...row, created_at: toDate(row.created_at) })),
    )

  test('alone or together, a read gives what the query gives, in its order, timestamps as dates', async () => {
    const direct = await handle.db
      .selectFrom('agencies')
      .select(['name', 'region', 'created_at'])
      .orderBy('created_at')
      .execute()
    assert.deepEqual(await readAlone(handle.db, agencies(handle.db)), direct)
    const together = await readTogether(handle.db, {
      agencies: agencies(handle.db),
      count: rowRead(
        handle.db.selectFrom('agencies').select((eb) => eb.fn.countAll<number>().as('n')),
        (row) => row?.n,
      ),
      today: rowRead(handle.db.selectNoFrom(sql<string>`date '2026-03-27'`.as('day')), (row) => row?.day),
      nothing: rowRead(
        handle.db.selectFrom('agencies').select('name').where('name', '=', 'None'),
        (row) => row,
      ),
      none: rowsRead(
        handle.db.selectFrom('agencies').select('name').where('name', '=', 'None'),
        (rows) => rows,
      ),
    })
    assert.deepEqual(together, {
      agencies: direct,
      count: 2,
      today: '2026-03-27',
      nothing: null,
      none: [],
    })
  })

  test('a group of reads is one read', async () => {
    const grouped = groupRead({
      agencies: agencies(handle.db),
      names: rowsRead(handle.db.selectFrom('agencies').select('name').orderBy('name'), (rows) =>
        rows.map((row) => row.name),
      ),
    })
    const read = await readAlone(handle.db, grouped)
    assert.deepEqual(
      read.agencies.map((agency) => agency.name),
      ['First', 'Second'],
    )
    assert.ok(read.agencies[0]?.created_at instanceof Date)
    assert.deepEqual(read.names, ['First', 'Second'])
  })
})
