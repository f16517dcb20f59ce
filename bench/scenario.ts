import { type Measurement, measure } from './measure.ts'
import type { Settings } from './settings.ts'
import { startTarget, type TargetName, type TargetOptions } from './target.ts'

// What every benchmark scenario shares: its shape, what it is given, and "start a server, load it
// at each number of connections, stop it". A new benchmark is one more Scenario in bench/run.ts.

/** One line of a results table: a target at one number of connections. */
export type ResultRow = {
  label: string
  measurement: Measurement
  /** The bare Fastify route at the same number of connections, for the throughput ratio. */
  baseline?: Measurement
  /**
   * The Express + Nunjucks reference rendering the same HTML at the same number of connections, for
   * the conventional stack's ratio: only on the rows of the page it renders (bench/express-reference.ts).
   */
  conventional?: Measurement
}

/** A scenario's part of the report: a heading, what was measured, the table, and anything odd. */
export type Section = {
  id: string
  title: string
  description: string[]
  rows: ResultRow[]
  /** Tables of other shapes, for what is not requests under load (render times, start-up, memory). */
  tables?: { caption?: string; headings: string[]; rows: string[][] }[]
  notes: string[]
}

export type PostgresTarget = { url: string; version: string; started: boolean }

export type ScenarioContext = {
  settings: Settings
  /** A server to make benchmark databases on, or why there is none. */
  postgres: PostgresTarget | { skipped: string }
  /** The bare Fastify route's figures by number of connections, measured first in the same run. */
  baseline: Map<number, Measurement>
}

export type Scenario = {
  id: string
  title: string
  run: (context: ScenarioContext) => Promise<Section>
}

/** The environment a target server needs for a database: a PostgreSQL server's address, or none for PGlite. */
export function databaseEnv(postgresUrl?: string): NodeJS.ProcessEnv {
  const env = { ...process.env }
  delete env.TEST_DATABASE_URL
  if (postgresUrl) env.TEST_DATABASE_URL = postgresUrl
  return env
}

function progress(label: string, measurement: Measurement): void {
  const rate = Math.round(measurement.requestsPerSecond)
  const failed = measurement.errors + measurement.non2xx
  process.stdout.write(
    `  ${label}, ${measurement.connections} conn: ${rate} req/s, p50 ${measurement.p50.toFixed(2)} ms, ` +
      `p99 ${measurement.p99.toFixed(2)} ms${failed > 0 ? `, ${failed} FAILED` : ''}\n`,
  )
}

/** Starts a target, measures each of its pages at each number of connections in the settings, stops it. */
export async function measureTarget(
  label: string,
  name: TargetName,
  options: Omit<TargetOptions, 'sessions'>,
  context: ScenarioContext,
  env?: NodeJS.ProcessEnv,
): Promise<{ rows: ResultRow[]; details: string[] }> {
  const { settings } = context
  process.stdout.write(`${label}: starting\n`)
  const sessions = Math.max(...settings.connections)
  const target = await startTarget(name, { ...options, sessions }, env)
  try {
    const rows: ResultRow[] = []
    for (const page of target.pages) {
      const pageLabel = page.name ? `${label}: ${page.name}` : label
      for (const connections of settings.connections) {
        const measurement = await measure(
          { url: page.url, headerSets: target.headerSets },
          connections,
          settings,
        )
        progress(pageLabel, measurement)
        rows.push({ label: pageLabel, measurement, baseline: context.baseline.get(connections) })
      }
    }
    return { rows, details: target.details }
  } finally {
    await target.stop()
  }
}

/**
 * Measures a target on PGlite, then on PostgreSQL where the run has one; the rows are labelled
 * `<name>, PGlite` and `<name>, PostgreSQL <version>`, and a note says why PostgreSQL is missing.
 */
export async function measureOnEachDatabase(
  name: string,
  target: TargetName,
  context: ScenarioContext,
  options: Omit<TargetOptions, 'sessions' | 'database'> = {},
): Promise<{ rows: ResultRow[]; details: string[]; notes: string[] }> {
  const pglite = await measureTarget(
    `${name}, PGlite`,
    target,
    { ...options, database: 'pglite' },
    context,
    databaseEnv(),
  )
  const { postgres } = context
  if ('skipped' in postgres) {
    return { ...pglite, notes: [`PostgreSQL was not measured: ${postgres.skipped}.`] }
  }
  const measured = await measureTarget(
    `${name}, PostgreSQL ${postgres.version}`,
    target,
    { ...options, database: 'postgres' },
    context,
    databaseEnv(postgres.url),
  )
  return { rows: [...pglite.rows, ...measured.rows], details: pglite.details, notes: [] }
}
