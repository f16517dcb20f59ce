import type { Expression, Kysely, RawBuilder, ShallowDehydrateObject, Simplify, Transaction } from 'kysely'
import { jsonArrayFrom, jsonBuildObject, jsonObjectFrom } from 'kysely/helpers/postgres'
import type { Database } from '../db/schema.ts'

// A page's many small reads made one statement. Each read is a query and what to make of its rows;
// the rows come back as one JSON value, so several reads (and the plan a page is about) can be
// columns of one select. On this service's machines every query costs a round trip and more of
// the server's time than the query itself: a page that needs ten small things asks once (ADR 0024).
//
// In JSON a timestamp comes back as text (`toDate` makes it a Date again); dates stay the ISO text
// the database hands out anyway, whole numbers stay numbers, text stays text.

type Executor = Kysely<Database> | Transaction<Database>

/** A value, or the column (or expression) of an enclosing query that holds it. */
export type Ref<T> = T | Expression<T>

/** A query's row as it comes back in JSON. */
export type JsonRow<O> = Simplify<ShallowDehydrateObject<O>>

export type Read<T> = {
  /** The rows as one JSON value. */
  readonly json: RawBuilder<unknown>
  readonly from: (json: unknown) => T
}

/** What a read makes of its rows. */
export type ReadValue<R> = R extends Read<infer T> ? T : never

/** Every row of `query`, in its order, made into what the caller needs. */
export function rowsRead<O, T>(query: Expression<O>, from: (rows: JsonRow<O>[]) => T): Read<T> {
  return { json: jsonArrayFrom(query), from: from as (json: unknown) => T }
}

/** The first row of `query` (null when there is none), made into what the caller needs. */
export function rowRead<O, T>(query: Expression<O>, from: (row: JsonRow<O> | null) => T): Read<T> {
  return { json: jsonObjectFrom(query), from: from as (json: unknown) => T }
}

/** The same read, made into something else. */
export function mapRead<T, U>(read: Read<T>, then: (value: T) => U): Read<U> {
  return { json: read.json, from: (json) => then(read.from(json)) }
}

export type Reads = Record<string, Read<unknown>>
export type ReadResults<R extends Reads> = { [K in keyof R]: ReadValue<R[K]> }

/** Several reads as one (a JSON object of them, by name): what a feature gives a page to read. */
export function groupRead<R extends Reads>(reads: R): Read<ReadResults<R>> {
  const parts = Object.fromEntries(Object.entries(reads).map(([name, read]) => [name, read.json]))
  return {
    json: jsonBuildObject(parts) as RawBuilder<unknown>,
    from: (json) => readResults(reads, json as Record<string, unknown>),
  }
}

/** The reads as columns of a select, each under its name (see `readResults`). */
export function readColumns(reads: Reads) {
  return Object.entries(reads).map(([name, read]) => read.json.as(name))
}

/** What each read made of its column of `row`. */
export function readResults<R extends Reads>(reads: R, row: Record<string, unknown>): ReadResults<R> {
  return Object.fromEntries(
    Object.entries(reads).map(([name, read]) => [name, read.from(row[name])]),
  ) as ReadResults<R>
}

/** Several reads in one statement. */
export async function readTogether<R extends Reads>(executor: Executor, reads: R): Promise<ReadResults<R>> {
  const row = await executor.selectNoFrom(readColumns(reads)).executeTakeFirstOrThrow()
  return readResults(reads, row as Record<string, unknown>)
}

/** One read on its own. */
export async function readAlone<T>(executor: Executor, read: Read<T>): Promise<T> {
  return (await readTogether(executor, { value: read })).value as T
}

/** A timestamp read in JSON (text), or directly (a Date). */
export const toDate = (value: string | Date): Date => (value instanceof Date ? value : new Date(value))
