// Work done on a timer in each app instance (the mail worker, the reminders' sweep): soon after
// start, then every `intervalMs` after the last run ended, one run at a time. A run that fails is
// reported and tried again at the next tick. The timer is unref'd: it alone never keeps the process
// alive.

export type Repeating = {
  /** Runs now instead of at the next tick (after the run in flight, if any). */
  poke: () => Promise<void>
  /** No new run starts; the one in flight is finished before this resolves. */
  stop: () => Promise<void>
}

export function repeatEvery(options: {
  /** Told whether the timer was stopped meanwhile, so that a long run can end early. */
  run: (stopped: () => boolean) => Promise<void>
  intervalMs: number
  firstAfterMs?: number
  onError: (error: unknown) => void
}): Repeating {
  let stopped = false
  let timer: NodeJS.Timeout | undefined
  let inFlight: Promise<void> = Promise.resolve()

  const tick = (): Promise<void> => {
    clearTimeout(timer)
    inFlight = inFlight
      .then(async () => {
        if (!stopped) await options.run(() => stopped)
      })
      .catch(options.onError)
      .finally(() => {
        clearTimeout(timer)
        if (!stopped) timer = setTimeout(tick, options.intervalMs).unref()
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
