import { buildApp } from './app.ts'
import { ConfigError, readConfig } from './config.ts'
import { migrate, openDatabase } from './db/database.ts'
import { DatabaseBusyError } from './db/lock.ts'
import { describeSignIns, hasAnyAgency, loadDemo } from './features/demo/demo.ts'
import { type ReminderSweeper, startReminderSweeper } from './features/reminders/sweeper.ts'
import { mailTransport } from './platform/mail/transports.ts'
import { type MailWorker, startMailWorker } from './platform/mail/worker.ts'
import { services } from './services.ts'

// Start: config → database → migrations → (demo data) → app → listen; and a graceful stop.

async function start(): Promise<void> {
  const config = readConfig()
  const database = await openDatabase(config.database)
  await migrate(database.db)
  const built = services(database.db, config)
  const app = await buildApp(config, built)
  if (config.loadDemoData && database.kind === 'pglite' && !(await hasAnyAgency(database.db))) {
    process.stdout.write(describeSignIns(await loadDemo(database.db), config.serviceUrl))
  }

  let stopping = false
  let mailWorker: MailWorker | undefined
  let reminderSweeper: ReminderSweeper | undefined
  const stop = async (signal: string) => {
    if (stopping) return
    stopping = true
    app.log.info({ signal }, 'stopping: finishing requests in flight')
    const force = setTimeout(() => process.exit(1), 10_000)
    force.unref()
    try {
      await app.close()
    } finally {
      // The sweep and the batch being sent are finished and marked before the database goes.
      await reminderSweeper?.stop()
      await mailWorker?.stop()
      await database.close()
    }
    process.exit(0)
  }
  process.on('SIGTERM', () => void stop('SIGTERM'))
  process.on('SIGINT', () => void stop('SIGINT'))

  await app.listen({ port: config.port, host: config.host })
  mailWorker = startMailWorker({
    db: database.db,
    transport: mailTransport(config.mail),
    serviceUrl: config.serviceUrl,
    log: app.log,
  })
  // Reminders derived from dates, e-mailed through the outbox once each (docs/adr/0018).
  reminderSweeper = startReminderSweeper({
    sweep: () => built.reminders.sweep(),
    intervalMs: config.reminderSweepMinutes * 60_000,
    firstAfterMs: 5_000,
    log: app.log,
  })
}

start().catch((error: unknown) => {
  if (error instanceof ConfigError || error instanceof DatabaseBusyError) {
    process.stderr.write(`${error.message}\n`)
  } else {
    process.stderr.write(
      `Could not start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    )
  }
  process.exit(1)
})
