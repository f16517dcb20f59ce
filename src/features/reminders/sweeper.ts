import { errorSummary } from '../../platform/mail/worker.ts'
import type { SweepResult } from './service.ts'

// The reminders' sweep on a timer, beside the mail worker in each app instance: soon after start,
// then every `intervalMs`. Every instance sweeps; the outbox's dedupe keys make that harmless
// (docs/adr/0018). A sweep that fails is logged and tried again at the next tick.

type SweepLog = {
  info: (details: object, message: string) => void
  error: (details: object, message: string) => void
}

export type ReminderSweeper = {
  /** Sweeps now instead of at the next tick. */
  poke: () => Promise<void>
  /** No new sweep starts; the one in flight is finished before this resolves. */
  stop: () => Promise<void>
}

export function startReminderSweeper(options: {
  sweep: () => Promise<SweepResult>
  intervalMs: number
  /** Before the first sweep: the instance is up and serving first. */
  firstAfterMs?: number
  log?: SweepLog
}): ReminderSweeper {
  const { sweep, intervalMs } = options
  const log = options.log
  let stopped = false
  let timer: NodeJS.Timeout | undefined
  let inFlight: Promise<void> = Promise.resolve()

  const tick = (): Promise<void> => {
    clearTimeout(timer)
    inFlight = inFlight
      .then(async () => {
        if (stopped) return
        const result = await sweep()
        if (result.queued > 0) log?.info({ ...result }, 'reminders queued for e-mail')
      })
      .catch((error: unknown) => log?.error({ error: errorSummary(error) }, 'reminders could not be swept'))
      .finally(() => {
        clearTimeout(timer)
        // Unref'd: the sweeper alone never keeps the process alive.
        if (!stopped) timer = setTimeout(tick, intervalMs).unref()
      })
    return inFlight
  }
  timer = setTimeout(tick, options.firstAfterMs ?? 0).unref()

  return {
    poke: tick,
    async stop() {
      stopped = true
      clearTimeout(timer)
      await inFlight
    },
  }
}
