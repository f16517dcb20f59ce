// What a benchmark run does, from the environment, so that a quick smoke run needs no code change:
//   BENCH_SECONDS         seconds each measurement lasts (default 10)
//   BENCH_WARMUP_SECONDS  seconds of discarded load before each measurement (default 2, at most BENCH_SECONDS)
//   BENCH_CONNECTIONS     concurrent connections, comma-separated (default 1,20; the main pages 1,20,100)
//   BENCH_ONLY            scenario ids to run, comma-separated (default all; the bare route always runs)
//   BENCH_DATABASE_URL    a PostgreSQL server to use (a new database is made on it) instead of starting one
//   BENCH_WRITE           1: always write docs/performance.md; 0: never; unset: only after a full run
//   BENCH_PLAN_SECTIONS   1: the large plan's check-your-answers pages and form too (bench/plan-page.ts)
//   BENCH_LARGE_SCALE     the synthetic data the pages are measured on with PostgreSQL (default national;
//                         region or agency for a quicker run)

export type Settings = {
  seconds: number
  warmupSeconds: number
  connections: number[]
  /** The main pages' (bench/pages.ts): up to the 100 connections the budgets name. */
  pageConnections: number[]
  only: string[] | undefined
  databaseUrl: string | undefined
  /** Whether the figures go into docs/performance.md. */
  write: boolean
  largeScale: 'agency' | 'region' | 'national'
}

export const DEFAULT_SECONDS = 10
const DEFAULT_WARMUP_SECONDS = 2
const DEFAULT_CONNECTIONS = [1, 20]
const DEFAULT_PAGE_CONNECTIONS = [1, 20, 100]

function positiveNumber(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined || value.trim() === '') return fallback
  const number = Number(value)
  if (!Number.isFinite(number) || number <= 0)
    throw new Error(`${name} must be a positive number, not "${value}"`)
  return number
}

function list(value: string | undefined): string[] | undefined {
  const items = (value ?? '')
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean)
  return items.length > 0 ? items : undefined
}

export function readSettings(env: NodeJS.ProcessEnv = process.env): Settings {
  const seconds = positiveNumber('BENCH_SECONDS', env.BENCH_SECONDS, DEFAULT_SECONDS)
  const warmupSeconds = Math.min(
    seconds,
    positiveNumber('BENCH_WARMUP_SECONDS', env.BENCH_WARMUP_SECONDS, DEFAULT_WARMUP_SECONDS),
  )
  const counts = (items: string[]) =>
    items.map((item) => {
      const number = Number(item)
      if (!Number.isInteger(number) || number < 1) {
        throw new Error(`BENCH_CONNECTIONS must list whole numbers of at least 1, not "${item}"`)
      }
      return number
    })
  const given = list(env.BENCH_CONNECTIONS)
  const connections = counts(given ?? DEFAULT_CONNECTIONS.map(String))
  const pageConnections = counts(given ?? DEFAULT_PAGE_CONNECTIONS.map(String))
  const only = list(env.BENCH_ONLY)
  const largeScale = env.BENCH_LARGE_SCALE || 'national'
  if (largeScale !== 'agency' && largeScale !== 'region' && largeScale !== 'national')
    throw new Error(`BENCH_LARGE_SCALE must be agency, region or national, not "${largeScale}"`)
  const fullRun = seconds >= DEFAULT_SECONDS && only === undefined && largeScale === 'national'
  const write = env.BENCH_WRITE === '1' ? true : env.BENCH_WRITE === '0' ? false : fullRun
  return {
    seconds,
    warmupSeconds,
    connections: [...new Set(connections)].sort((a, b) => a - b),
    pageConnections: [...new Set(pageConnections)].sort((a, b) => a - b),
    only,
    databaseUrl: env.BENCH_DATABASE_URL || undefined,
    write,
    largeScale,
  }
}
