import { existsSync, readdirSync, statSync } from 'node:fs'
import { join, relative, resolve, sep } from 'node:path'
import { run } from 'node:test'
import { spec } from 'node:test/reporters'
import { fileURLToPath } from 'node:url'
import { type PostgresServer, serverVersion, startPostgres } from './support/postgres.ts'

// The whole suite, in two passes: every test file on PGlite, then the data-layer files
// (*.db.test.ts) again on a real PostgreSQL, because production runs on one and PGlite is not it.
// Usage: node test/run.ts [file or folder or part of a path]...
// TEST_DATABASE_URL names a server for the second pass; without it one is started here when
// PostgreSQL is installed. REQUIRE_POSTGRES=1 (CI) fails the run when there is none.
// The last line is always the totals of both passes: `N passed, N failed[, N skipped]`.

const root = fileURLToPath(new URL('..', import.meta.url))
const testRoots = ['src', 'test']
const perTestTimeoutMs = 120_000
// Well inside CI's 30 minutes, so that a hung suite still reports what it got through.
const wholeRunTimeoutMs = 20 * 60_000
const stopGraceMs = 30_000

type Tally = { passed: number; failed: number; skipped: number }
type TestResult = { details: { type?: 'suite' | 'test' }; skip?: string | boolean; todo?: string | boolean }
type Target = { url: string; version: string }

const tally: Tally = { passed: 0, failed: 0, skipped: 0 }
const cancel = new AbortController()
// Held from the moment it is asked for, so that an interrupt during start-up still stops it.
let server: Promise<PostgresServer | null> | undefined
let brokenSetup = false
let finishing: Promise<never> | undefined

function discover(): string[] {
  return testRoots.flatMap((dir) =>
    readdirSync(join(root, dir), { recursive: true, encoding: 'utf8' })
      .filter((path) => path.endsWith('.test.ts') && !path.split(sep).includes('node_modules'))
      .map((path) => join(dir, path)),
  )
}

// An argument may name a file (run even when outside src/ and test/), a folder, or any part of a path.
function select(all: string[], args: string[]): string[] {
  if (args.length === 0) return all
  const chosen = new Set<string>()
  for (const arg of args) {
    const path = resolve(arg)
    const stat = existsSync(path) ? statSync(path) : undefined
    const folder = `${relative(root, path)}${sep}`
    if (stat?.isFile()) chosen.add(relative(root, path))
    else for (const file of all) if (stat ? file.startsWith(folder) : file.includes(arg)) chosen.add(file)
  }
  return [...chosen].sort()
}

// Suites are only containers; node's own summary does not count them as tests either.
function count(result: TestResult, outcome: 'passed' | 'failed') {
  if (result.details.type === 'suite') return
  if (result.skip !== undefined || result.todo !== undefined) tally.skipped++
  else tally[outcome]++
}

async function runPass(title: string, files: string[], env: NodeJS.ProcessEnv) {
  process.stdout.write(`\n${title} (${files.length} file${files.length === 1 ? '' : 's'})\n\n`)
  const stream = run({
    files: files.map((file) => join(root, file)),
    cwd: root,
    env,
    isolation: 'process',
    concurrency: 2,
    timeout: perTestTimeoutMs,
    // A file that leaves a handle open would otherwise keep its process, and the run, alive.
    forceExit: true,
    signal: cancel.signal,
  })
  stream.on('test:pass', (result) => count(result, 'passed'))
  stream.on('test:fail', (result) => count(result, 'failed'))
  for await (const chunk of stream.compose(new spec())) process.stdout.write(chunk)
}

function setupProblem(message: string, fatal: boolean) {
  process.stdout.write(`\n${message}\n`)
  if (!fatal) return
  brokenSetup = true
  if (!process.env.TEST_DATABASE_URL) process.stdout.write('REQUIRE_POSTGRES=1 is set, so the run fails\n')
}

async function postgresTarget(): Promise<Target | undefined> {
  const given = process.env.TEST_DATABASE_URL
  const required = process.env.REQUIRE_POSTGRES === '1'
  try {
    if (given) return { url: given, version: await serverVersion(given) }
    server = startPostgres()
    const started = await server
    if (started) return { url: started.url, version: started.version }
    setupProblem('PostgreSQL server not found: database tests ran on PGlite only', required)
  } catch (error) {
    const where = given ? 'TEST_DATABASE_URL could not be reached' : 'PostgreSQL could not be started'
    setupProblem(`${where}: ${error instanceof Error ? error.message : error}`, required || Boolean(given))
  }
  return undefined
}

function pgliteEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env }
  delete env.TEST_DATABASE_URL
  return env
}

async function runAll(files: string[]) {
  await runPass('All tests — on PGlite', files, pgliteEnv())
  const databaseFiles = files.filter((file) => file.endsWith('.db.test.ts'))
  if (databaseFiles.length === 0 || cancel.signal.aborted) return
  const target = await postgresTarget()
  if (!target || cancel.signal.aborted) return
  const env = { ...process.env, TEST_DATABASE_URL: target.url }
  await runPass(`Database tests — on PostgreSQL ${target.version}`, databaseFiles, env)
}

function totals(): string {
  const skipped = tally.skipped > 0 ? `, ${tally.skipped} skipped` : ''
  return `${tally.passed} passed, ${tally.failed} failed${skipped}`
}

// Every way out goes through here, once, so that the server started above never outlives the run.
function finish(code: number, message?: string): Promise<never> {
  finishing ??= stopAndExit(code, message)
  return finishing
}

async function stopAndExit(code: number, message?: string): Promise<never> {
  cancel.abort()
  const started = await server?.catch(() => null)
  await started?.stop().catch((error) => process.stdout.write(`Could not stop PostgreSQL: ${error}\n`))
  if (message) process.stdout.write(`\n${message}\n`)
  process.stdout.write(`\n${totals()}\n`)
  process.exit(code)
}

function stopOnSignals() {
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => void finish(130, `Interrupted (${signal})`))
  }
}

// Not unref'd: whatever happens to the tests, the run ends through finish() and its totals line.
function stopWhenTooLong() {
  setTimeout(() => {
    process.stdout.write(`\nThe run took longer than ${wholeRunTimeoutMs / 60_000} minutes: stopping it\n`)
    cancel.abort()
    setTimeout(() => void finish(1, 'Tests did not stop when cancelled'), stopGraceMs)
  }, wholeRunTimeoutMs)
}

async function main() {
  const args = process.argv.slice(2)
  const files = select(discover(), args)
  const wanted = args.length > 0 ? ` for: ${args.join(' ')}` : ''
  if (files.length === 0) return finish(1, `No test files found${wanted}`)
  stopOnSignals()
  stopWhenTooLong()
  try {
    await runAll(files)
  } catch (error) {
    return finish(1, `The test runner failed: ${error instanceof Error ? error.stack : error}`)
  }
  if (cancel.signal.aborted) return finish(1, 'The run was cancelled before it finished')
  if (tally.passed + tally.failed === 0) return finish(1, 'No test ran')
  return finish(tally.failed > 0 || brokenSetup ? 1 : 0)
}

await main()
