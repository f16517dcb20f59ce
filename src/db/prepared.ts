import { createHash, randomUUID } from 'node:crypto'
import {
  type Compilable,
  CompiledQuery,
  DummyDriver,
  Kysely,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
  type Transaction,
} from 'kysely'
import type { Database } from './schema.ts'

// A query a busy page sends on every request, whose text never changes, only its values: built and
// compiled by Kysely once, and on PostgreSQL prepared once on each connection of the pool (a named
// statement), so that neither Kysely nor the database's planner works it out again each time. The
// plan's front page is one query of some twenty parts: planning it took longer than running it
// (ADR 0024).
//
// Only for queries whose columns are named: a prepared `select *` fails once a migration adds a
// column under a running instance ("cached plan must not change result type"). PGlite runs the
// same text unprepared. (A connection pooler in front of PostgreSQL must pass named statements on:
// PgBouncer does from 1.21, with max_prepared_statements set.)

type Executor = Kysely<Database> | Transaction<Database>

/** What marks a statement to be prepared; the pool's connections look for it (database.ts). */
const MARK = '/* prepared */ '

const names = new Map<string, string>()

/** The name a marked statement is prepared under on each connection, or none for any other. */
export function preparedName(text: string): string | undefined {
  if (!text.startsWith(MARK)) return undefined
  let name = names.get(text)
  if (name === undefined) {
    name = `prepared_${createHash('sha256').update(text).digest('hex').slice(0, 24)}`
    names.set(text, name)
  }
  return name
}

/** Builds and compiles queries for PostgreSQL (and PGlite), and runs none. */
const builder = new Kysely<Database>({
  dialect: {
    createAdapter: () => new PostgresAdapter(),
    createDriver: () => new DummyDriver(),
    createIntrospector: (db) => new PostgresIntrospector(db),
    createQueryCompiler: () => new PostgresQueryCompiler(),
  },
})

/**
 * A query built once from stand-ins for its values (`build` gets one for each), then run with the
 * real values. A stand-in must be used only as a value (Kysely makes it a parameter): one written
 * into the text, or not used at all, is refused the first time.
 */
export function fixedQuery<O, V extends unknown[]>(
  count: V['length'],
  build: (db: Kysely<Database>, ...values: { [K in keyof V]: string }) => Compilable<O>,
): (executor: Executor, ...values: V) => Promise<O[]> {
  let compiled: { sql: string; parameters: readonly unknown[]; at: Map<number, number> } | undefined
  return async (executor, ...values) => {
    if (!compiled) {
      const standIns = Array.from({ length: count }, () => `stand-in:${randomUUID()}`)
      const query = build(builder, ...(standIns as { [K in keyof V]: string })).compile()
      const at = new Map<number, number>()
      query.parameters.forEach((parameter, position) => {
        const index = standIns.indexOf(parameter as string)
        if (index >= 0) at.set(position, index)
      })
      const unused = standIns.filter((standIn) => !query.parameters.includes(standIn))
      if (unused.length > 0 || standIns.some((standIn) => query.sql.includes(standIn)))
        throw new Error('fixedQuery: each value must be used, and only as a value')
      compiled = { sql: `${MARK}${query.sql}`, parameters: query.parameters, at }
    }
    const { sql, parameters, at } = compiled
    const given = parameters.map((parameter, position) => {
      const index = at.get(position)
      return index === undefined ? parameter : values[index]
    })
    const result = await executor.executeQuery<O>(CompiledQuery.raw(sql, given))
    return result.rows
  }
}
