import { errorSummary } from '../../platform/mail/worker.ts'
import { type Repeating, repeatEvery } from '../../platform/repeating.ts'
import type { SweepResult } from './service.ts'

// The reminders' sweep on a timer, beside the mail worker in each app instance: soon after start,
// then every `intervalMs`. Every instance sweeps; the outbox's dedupe keys make that harmless
// (docs/adr/0018). A sweep that fails is logged and tried again at the next tick.

type SweepLog = {
  info: (details: object, message: string) => void
  error: (details: object, message: string) => void
}

export type ReminderSweeper = Repeating

export function startReminderSweeper(options: {
  sweep: () => Promise<SweepResult>
  intervalMs: number
  /** Before the first sweep: the instance is up and serving first. */
  firstAfterMs?: number
  log?: SweepLog
}): ReminderSweeper {
  const log = options.log
  return repeatEvery({
    intervalMs: options.intervalMs,
    firstAfterMs: options.firstAfterMs,
    async run() {
      const result = await options.sweep()
      if (result.queued > 0) log?.info({ ...result }, 'reminders queued for e-mail')
    },
    onError: (error) => log?.error({ error: errorSummary(error) }, 'reminders could not be swept'),
  })
}
