import { expressReferenceTarget } from './express-reference.ts'
import { planPageTarget } from './plan-page.ts'
import { bareFastifyTarget } from './reference.ts'
import type { ServerMessage, TargetName, TargetOptions, TargetReady } from './target.ts'

// The server side of a benchmark, started by bench/target.ts: `node bench/server.ts <target> <options>`.
// It prepares its target (database, data, sessions), listens on a free port of 127.0.0.1, says so
// over IPC, and closes everything when told to stop or when the benchmark goes away.

export type RunningTarget = TargetReady & { close: () => Promise<void> }

const targets: Record<TargetName, (options: TargetOptions) => Promise<RunningTarget>> = {
  'bare-fastify': bareFastifyTarget,
  'plan-page': planPageTarget,
  'express-reference': expressReferenceTarget,
}

function send(message: ServerMessage): void {
  process.send?.(message)
}

async function main(): Promise<void> {
  const [name, json] = process.argv.slice(2)
  const factory = targets[name as TargetName]
  if (!factory || !process.send) {
    throw new Error(`usage (from bench/target.ts): server.ts <${Object.keys(targets).join('|')}> <options>`)
  }
  const running = await factory(JSON.parse(json ?? '{}') as TargetOptions)
  let closing = false
  const shutDown = () => {
    if (closing) return
    closing = true
    running.close().finally(() => process.exit(0))
  }
  process.on('message', (message) => {
    if (message === 'stop') shutDown()
  })
  process.on('disconnect', shutDown)
  process.on('SIGTERM', shutDown)
  const { close: _close, ...ready } = running
  send({ type: 'ready', ...ready })
}

main().catch((error: unknown) => {
  const message = error instanceof Error ? (error.stack ?? error.message) : String(error)
  // Whatever the target opened before it failed must not keep this process alive.
  if (!process.send) {
    console.error(message)
    process.exit(1)
  }
  process.send({ type: 'failed', message } satisfies ServerMessage, () => process.exit(1))
})
