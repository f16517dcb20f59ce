import autocannon from 'autocannon'
import type { Settings } from './settings.ts'

// Load one address with autocannon and summarise what came back. Latencies are kept per response,
// to a fraction of a millisecond, because autocannon's own histogram counts whole milliseconds and
// has no 95th percentile; a fast page's median would read as 0 or 1 ms.

/**
 * An address to load, and the headers of each connection (connection i gets set i modulo their
 * number). Or, for requests that depend on the answers before them (a save sends the version the
 * last save gave back), `dynamic`: made ready before each run, then its requests in turn.
 */
export type Load = { url: string; headerSets: Record<string, string>[]; dynamic?: DynamicLoad }

export type DynamicLoad = {
  /** Called before each run (warm-up and measurement), when no request is in flight. */
  prepare: () => Promise<void>
  /** Connection i's own requests (autocannon shares one list between connections otherwise). */
  requestsFor: (connection: number) => autocannon.Request[]
}

export type Measurement = {
  connections: number
  /** Seconds the measurement ran, warm-up excluded. */
  seconds: number
  responses: number
  /** 2xx responses per second. */
  requestsPerSecond: number
  /** Milliseconds from sending a request to the end of its response, over 2xx responses. */
  p50: number
  p95: number
  p99: number
  /** Connection errors and timeouts. */
  errors: number
  /** Responses other than 2xx (a redirect to sign-in counts here). */
  non2xx: number
}

type Run = { responses: number; ok: number[]; seconds: number; errors: number; non2xx: number }

function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return Number.NaN
  const rank = Math.ceil((p / 100) * sorted.length)
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1] ?? Number.NaN
}

async function load(target: Load, connections: number, seconds: number): Promise<Run> {
  await target.dynamic?.prepare()
  const ok: number[] = []
  let responses = 0
  let non2xx = 0
  let next = 0
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(
      {
        url: target.url,
        connections,
        duration: seconds,
        pipelining: 1,
        setupClient: (client) => {
          const connection = next++
          if (target.dynamic) {
            client.setRequests(target.dynamic.requestsFor(connection))
            return
          }
          const headers = target.headerSets[connection % target.headerSets.length]
          if (headers) client.setHeaders(headers)
        },
      },
      (error, result) => (error ? reject(error) : resolve(result)),
    )
    instance.on('response', (_client, statusCode, _bytes, responseTime) => {
      responses++
      if (statusCode >= 200 && statusCode < 300) ok.push(responseTime)
      else non2xx++
    })
  })
  const elapsed = (Number(result.finish) - Number(result.start)) / 1000
  return {
    responses,
    ok,
    seconds: elapsed > 0 ? elapsed : seconds,
    errors: result.errors + result.timeouts,
    non2xx,
  }
}

/** A warm-up whose figures are thrown away, then the measurement. */
export async function measure(
  target: Load,
  connections: number,
  settings: Pick<Settings, 'seconds' | 'warmupSeconds'>,
): Promise<Measurement> {
  if (settings.warmupSeconds > 0) await load(target, connections, settings.warmupSeconds)
  const run = await load(target, connections, settings.seconds)
  const sorted = Float64Array.from(run.ok).sort()
  return {
    connections,
    seconds: run.seconds,
    responses: run.responses,
    requestsPerSecond: run.ok.length / run.seconds,
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    p99: percentile(sorted, 99),
    errors: run.errors,
    non2xx: run.non2xx,
  }
}
