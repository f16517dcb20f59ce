import { type ChildProcess, spawn } from 'node:child_process'
import { once } from 'node:events'
import { fileURLToPath } from 'node:url'

// A server under load runs in a process of its own (bench/server.ts), so that it and autocannon,
// which runs here, each have a core of their own instead of taking turns on one event loop.
// Parent side: start it, check that it answers what it should, stop it.

export type TargetName = 'bare-fastify' | 'plan-page' | 'express-reference'

export type TargetOptions = {
  /** How many signed-in sessions to make: one for each connection of the largest measurement. */
  sessions: number
  database?: 'pglite' | 'postgres'
  /**
   * A file for the whole-plan page's data: the plan-page target writes it, the Express reference
   * (bench/express-reference.ts) answers the same page from it.
   */
  referenceData?: string
}

/** One address to load, and how to tell it answered right; a name where a server has several. */
export type TargetPage = {
  name?: string
  url: string
  expect: { status: number; contains: string[] }
}

/** What a started server tells the benchmark: where to send load, and how to tell it answered right. */
export type TargetReady = {
  /** Measured one after another, each at every number of connections. */
  pages: TargetPage[]
  /** Headers of each connection: a session cookie each, where the page needs one. */
  headerSets: Record<string, string>[]
  /** A line or two on what the server holds, for the report. */
  details: string[]
}

export type ServerMessage = ({ type: 'ready' } & TargetReady) | { type: 'failed'; message: string }

export type StartedTarget = TargetReady & { stop: () => Promise<void> }

const serverScript = fileURLToPath(new URL('./server.ts', import.meta.url))
const startTimeoutMs = 180_000
const stopTimeoutMs = 30_000

function waitForReady(child: ChildProcess): Promise<TargetReady> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the server did not start in time')), startTimeoutMs)
    const settle = (action: () => void) => {
      clearTimeout(timer)
      child.off('message', onMessage)
      child.off('exit', onExit)
      action()
    }
    const onMessage = (message: ServerMessage) => {
      if (message.type === 'ready') {
        const { type: _type, ...ready } = message
        settle(() => resolve(ready))
      } else settle(() => reject(new Error(message.message)))
    }
    const onExit = (code: number | null) => settle(() => reject(new Error(`the server exited (${code})`)))
    child.on('message', onMessage)
    child.on('exit', onExit)
  })
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return
  const exited = once(child, 'exit')
  if (child.connected) child.send('stop')
  else child.kill('SIGTERM')
  const timer = setTimeout(() => child.kill('SIGKILL'), stopTimeoutMs)
  await exited
  clearTimeout(timer)
}

/** One request as a browser would send it: the answer must be the page, not a redirect or an error. */
async function verify(page: TargetPage, headers: Record<string, string> | undefined): Promise<void> {
  const response = await fetch(page.url, { headers, redirect: 'manual' })
  const body = await response.text()
  if (response.status !== page.expect.status) {
    const where = response.headers.get('location')
    throw new Error(
      `${page.url} answered ${response.status}${where ? ` (to ${where})` : ''}, not ${page.expect.status}`,
    )
  }
  const missing = page.expect.contains.filter((text) => !body.includes(text))
  if (missing.length > 0) throw new Error(`${page.url} answered without ${missing.join(', ')}`)
}

/** Starts a target server with the given environment and checks it before any load is sent. */
export async function startTarget(
  name: TargetName,
  options: TargetOptions,
  env: NodeJS.ProcessEnv = process.env,
): Promise<StartedTarget> {
  const child = spawn(process.execPath, [serverScript, name, JSON.stringify(options)], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    env,
  })
  const stop = () => stopChild(child)
  try {
    const ready = await waitForReady(child)
    for (const page of ready.pages) await verify(page, ready.headerSets[0])
    return { ...ready, stop }
  } catch (error) {
    await stop()
    throw new Error(`${name}: ${error instanceof Error ? error.message : error}`)
  }
}
