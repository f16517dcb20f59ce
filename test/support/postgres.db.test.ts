import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { sql } from 'kysely'
import type { DatabaseHandle } from '../../src/db/database.ts'
import { testDatabase, testDatabaseKind } from './database.ts'

// The runner's second pass is only worth having if it really reaches PostgreSQL, and the data layer
// promises the same values from both drivers.

let handle: DatabaseHandle

before(async () => {
  handle = await testDatabase()
})

after(async () => {
  await handle.close()
})

test('the database is the kind the runner asked for', () => {
  assert.equal(handle.kind, testDatabaseKind())
})

test('count(*) comes back as a number and a date as its YYYY-MM-DD text', async () => {
  const { rows } = await sql<{ total: unknown; born: unknown }>`
    select count(*) as total, date '2016-02-29' as born from (values (1), (2), (3)) as v (n)
  `.execute(handle.db)
  assert.deepEqual(rows, [{ total: 3, born: '2016-02-29' }])
})
