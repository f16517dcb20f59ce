import { createHash, randomBytes } from 'node:crypto'
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import pg from 'pg'
import { type DatabaseHandle, migrate, openDatabase } from '../../src/db/database.ts'

// A fresh, migrated database for one test file. With TEST_DATABASE_URL set (the runner sets it when
// it has a PostgreSQL server) each call creates a database of its own on that server; otherwise an
// embedded PGlite copied from a migrated template folder, so that each one opens in half a second
// instead of the five a new cluster takes. The template is rebuilt whenever a migration changes.

const migrationsDir = new URL('../../src/db/migrations/', import.meta.url)
const root = join(tmpdir(), 'adoption-support-tests')

function migrationsFingerprint(): string {
  const hash = createHash('sha256')
  for (const name of readdirSync(migrationsDir).sort()) {
    hash.update(name).update(readFileSync(new URL(name, migrationsDir)))
  }
  return hash.digest('hex').slice(0, 16)
}

let template: Promise<string> | undefined

async function migratedTemplate(): Promise<string> {
  const dir = join(root, `template-${migrationsFingerprint()}`)
  if (existsSync(dir)) return dir
  mkdirSync(root, { recursive: true })
  const building = `${dir}.${process.pid}`
  const handle = await openDatabase({ kind: 'pglite', dataDir: building })
  await migrate(handle.db)
  await handle.close()
  try {
    renameSync(building, dir)
  } catch {
    // Another test process built the same template first; theirs is as good as ours.
    rmSync(building, { recursive: true, force: true })
  }
  return dir
}

/** A folder holding a migrated, empty embedded database, for tests that start the service itself. */
export async function newDataDir(): Promise<string> {
  template ??= migratedTemplate()
  const dataDir = join(root, `db-${randomBytes(6).toString('hex')}`)
  cpSync(await template, dataDir, { recursive: true })
  return dataDir
}

export function testDatabaseKind(): 'pglite' | 'postgres' {
  return process.env.TEST_DATABASE_URL ? 'postgres' : 'pglite'
}

/** Creates an empty database `name` (letters, digits and _) on a PostgreSQL server; its address. */
export async function createDatabase(serverUrl: string, name: string): Promise<string> {
  const admin = new pg.Client({ connectionString: serverUrl })
  await admin.connect()
  try {
    await admin.query(`create database ${name}`)
  } finally {
    await admin.end()
  }
  const url = new URL(serverUrl)
  url.pathname = `/${name}`
  return url.toString()
}

export async function testDatabase(): Promise<DatabaseHandle> {
  const serverUrl = process.env.TEST_DATABASE_URL
  if (serverUrl) {
    const url = await createDatabase(serverUrl, `test_${randomBytes(6).toString('hex')}`)
    const handle = await openDatabase({ kind: 'postgres', url })
    await migrate(handle.db)
    return handle
  }
  const dataDir = await newDataDir()
  const handle = await openDatabase({ kind: 'pglite', dataDir })
  return {
    ...handle,
    close: async () => {
      await handle.close()
      rmSync(dataDir, { recursive: true, force: true })
    },
  }
}
