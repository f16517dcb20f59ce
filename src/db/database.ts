import { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { PGlite } from '@electric-sql/pglite'
import { Kysely, PostgresDialect, sql } from 'kysely'
import { type Migration, type MigrationProvider, Migrator } from 'kysely/migration'
import pg from 'pg'
import { from as copyFrom } from 'pg-copy-streams'
import type { Config } from '../config.ts'
import { lockDataDir } from './lock.ts'
import { migrations } from './migrations/index.ts'
import { PGliteDialect } from './pglite-dialect.ts'
import { preparedName } from './prepared.ts'
import type { Database } from './schema.ts'

export type Db = Kysely<Database>

export type DatabaseHandle = {
  db: Db
  kind: 'pglite' | 'postgres'
  close: () => Promise<void>
  /** The embedded database's files as one archive (backups, test templates); PGlite only. */
  dump?: () => Promise<Blob>
  /**
   * Loads rows with COPY, in PostgreSQL's text format (one row a line, tab between columns, `\N` for
   * null): tens of thousands of rows a second, where INSERT manages hundreds. For bulk loading only
   * (the synthetic data of bench/data); it bypasses nothing the database itself checks.
   */
  copyIn: (table: string, columns: readonly string[], rows: string) => Promise<void>
}

const copyStatement = (table: string, columns: readonly string[], source: string) =>
  `copy ${table} (${columns.map((column) => `"${column}"`).join(', ')}) from ${source}`

// The two drivers disagree on some types; they are made to agree here, and only here:
// bigint (count(*), identity columns) becomes a number, and a `date` stays the ISO text it is
// stored as, so no time zone can move a child's date of birth by a day.
const INT8 = 20
const DATE = 1082
const parseInt8 = (value: string) => Number.parseInt(value, 10)
const keepText = (value: string) => value

export type DatabaseTarget = Config['database'] | { kind: 'memory' }

export async function openDatabase(target: DatabaseTarget): Promise<DatabaseHandle> {
  if (target.kind === 'postgres') {
    const pool = new pg.Pool({
      connectionString: target.url,
      max: 10,
      types: {
        getTypeParser: ((oid: number, format?: 'text' | 'binary') => {
          if (oid === INT8) return parseInt8
          if (oid === DATE) return keepText
          return pg.types.getTypeParser(oid, format)
        }) as typeof pg.types.getTypeParser,
      },
    })
    // Statements marked by fixedQuery (prepared.ts) go as named statements: prepared once on each
    // connection, planned once (PostgreSQL keeps a generic plan after a few runs).
    pool.on('connect', (client) => {
      const query = client.query.bind(client) as (...args: unknown[]) => unknown
      client.query = ((text: unknown, values: unknown) => {
        const name = typeof text === 'string' ? preparedName(text) : undefined
        return name ? query({ name, text, values }) : query(text, values)
      }) as typeof client.query
    })
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) })
    const copyIn = async (table: string, columns: readonly string[], rows: string) => {
      const client = await pool.connect()
      try {
        await pipeline(Readable.from([rows]), client.query(copyFrom(copyStatement(table, columns, 'stdin'))))
      } finally {
        client.release()
      }
    }
    return { db, kind: 'postgres', close: () => db.destroy(), copyIn }
  }

  const unlock = target.kind === 'pglite' ? lockDataDir(target.dataDir) : () => {}
  try {
    const pglite = new PGlite({
      dataDir: target.kind === 'pglite' ? target.dataDir : undefined,
      parsers: { [INT8]: parseInt8, [DATE]: keepText },
    })
    await pglite.waitReady
    const db = new Kysely<Database>({ dialect: new PGliteDialect(pglite) })
    return {
      db,
      kind: 'pglite',
      close: async () => {
        await db.destroy()
        unlock()
      },
      dump: () => pglite.dumpDataDir('none'),
      copyIn: async (table, columns, rows) => {
        await pglite.query(copyStatement(table, columns, "'/dev/blob'"), [], { blob: new Blob([rows]) })
      },
    }
  } catch (error) {
    unlock()
    throw error
  }
}

class StaticMigrations implements MigrationProvider {
  async getMigrations(): Promise<Record<string, Migration>> {
    return migrations
  }
}

/** Brings the schema up to date. Forward-only: there is no way down. */
export async function migrate(db: Db): Promise<string[]> {
  const migrator = new Migrator({ db, provider: new StaticMigrations() })
  const { error, results } = await migrator.migrateToLatest()
  if (error) throw error
  return (results ?? []).filter((result) => result.status === 'Success').map((result) => result.migrationName)
}

export async function databaseAnswers(db: Db): Promise<boolean> {
  try {
    await sql`select 1`.execute(db)
    return true
  } catch {
    return false
  }
}
