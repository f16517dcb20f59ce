import { loadavg } from 'node:os'
import { serverVersion, startPostgres } from '../test/support/postgres.ts'
import { documentsScenario } from './documents.ts'
import { pagesScenario } from './pages.ts'
import { planPageScenario } from './plan-page.ts'
import { bareFastifyScenario } from './reference.ts'
import { packageVersion, REPORT_PATH, resultsMarkdown, summaryTable, writeReport } from './report.ts'
import type { PostgresTarget, Scenario, ScenarioContext, Section } from './scenario.ts'
import { readSettings } from './settings.ts'

// `npm run bench`: every benchmark, then a table on stdout and the figures in docs/performance.md.
// The bare Fastify route is measured first, in the same run, so that each page's throughput can be
// read as a share of what this machine does with nothing to do. The plan-page benchmark also
// measures the conventional stack's floor, an Express + Nunjucks app sending the same whole-plan page
// from static data (bench/express-reference.ts). Settings: see bench/settings.ts.
// Timings live here, never in the tests: a test that fails on a slow machine tells nobody anything.

/** Every benchmark but the reference, in the order they run. */
const scenarios: Scenario[] = [pagesScenario, planPageScenario, documentsScenario]

async function postgresServer(
  given: string | undefined,
): Promise<{ target: PostgresTarget | { skipped: string }; stop: () => Promise<void> }> {
  const none = async () => {}
  try {
    if (given)
      return { target: { url: given, version: await serverVersion(given), started: false }, stop: none }
    const server = await startPostgres()
    if (!server)
      return { target: { skipped: 'no PostgreSQL server is installed on this machine' }, stop: none }
    return { target: { url: server.url, version: server.version, started: true }, stop: server.stop }
  } catch (error) {
    const reason = error instanceof Error ? error.message.split('\n')[0] : String(error)
    const what = given ? 'BENCH_DATABASE_URL could not be reached' : 'PostgreSQL could not be started'
    return { target: { skipped: `${what} (${reason})` }, stop: none }
  }
}

async function main(): Promise<void> {
  const settings = readSettings()
  const chosen = scenarios.filter((scenario) => !settings.only || settings.only.includes(scenario.id))
  const unknown = (settings.only ?? []).filter(
    (id) => id !== bareFastifyScenario.id && !scenarios.some((scenario) => scenario.id === id),
  )
  if (unknown.length > 0) {
    const known = [bareFastifyScenario, ...scenarios].map((scenario) => scenario.id).join(', ')
    throw new Error(`BENCH_ONLY names no benchmark called ${unknown.join(', ')} (there are: ${known})`)
  }
  process.stdout.write(
    `Benchmarks: ${settings.seconds} s each after ${settings.warmupSeconds} s warm-up, ` +
      `${settings.connections.join(', ')} connections (the main pages: ${settings.pageConnections.join(', ')})\n\n`,
  )

  const postgres = await postgresServer(settings.databaseUrl)
  const date = new Date()
  const loadBefore = loadavg()
  const sections: Section[] = []
  try {
    const context: ScenarioContext = { settings, postgres: postgres.target, baseline: new Map() }
    // The bare route at every number of connections any benchmark uses, for their ratios.
    const everyCount = [...new Set([...settings.connections, ...settings.pageConnections])].sort(
      (a, b) => a - b,
    )
    const reference = await bareFastifyScenario.run({
      ...context,
      settings: { ...settings, connections: everyCount },
    })
    sections.push(reference)
    for (const row of reference.rows) context.baseline.set(row.measurement.connections, row.measurement)
    for (const scenario of chosen) sections.push(await scenario.run(context))
  } finally {
    await postgres.stop()
  }

  process.stdout.write(`\n${summaryTable(sections)}\n\n`)
  const versions: Record<string, string> = {
    autocannon: packageVersion('autocannon'),
    Fastify: packageVersion('fastify'),
    'Express (the conventional reference)': packageVersion('express'),
    Nunjucks: packageVersion('nunjucks'),
    PGlite: packageVersion('@electric-sql/pglite'),
  }
  const target = postgres.target
  if ('url' in target) {
    versions.PostgreSQL = target.started
      ? `${target.version} (a throwaway local server, fsync off)`
      : `${target.version} (BENCH_DATABASE_URL)`
  }
  if (settings.write) {
    writeReport(resultsMarkdown(sections, { date, loadBefore, settings, versions }))
    process.stdout.write(`Written to ${REPORT_PATH}\n`)
  } else {
    const why =
      process.env.BENCH_WRITE === '0'
        ? 'BENCH_WRITE=0'
        : 'a short or partial run (BENCH_WRITE=1 writes it anyway)'
    process.stdout.write(`Not written to docs/performance.md: ${why}\n`)
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : error)
  process.exitCode = 1
})
