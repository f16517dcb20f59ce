import { buildApp } from './app.ts'
import { ConfigError, readConfig } from './config.ts'
import { migrate, openDatabase } from './db/database.ts'
import { DatabaseBusyError } from './db/lock.ts'
import { describeSignIns, hasAnyAgency, loadDemo } from './features/demo/demo.ts'
import { mailTransport } from './platform/mail/transports.ts'
import { type MailWorker, startMailWorker } from './platform/mail/worker.ts'
import { services } from './services.ts'

// Start: config → database → migrations → (demo data) → app → listen; and a graceful stop.

async function start(): Promise<void> {
  const config = readConfig()
  const database = await openDatabase(config.database)
  await migrate(database.db)
  const app = await buildApp(config, services(database.db, config))
  if (config.loadDemoData && database.kind === 'pglite' && !(await hasAnyAgency(database.db))) {
    process.stdout.write(describeSignIns(await loadDemo(database.db), config.serviceUrl))
  }

  let stopping = false
  let mailWorker: MailWorker | undefined
  const stop = async (signal: string) => {
    if (stopping) return
    stopping = true
    app.log.info({ signal }, 'stopping: finishing requests in flight')
    const force = setTimeout(() => process.exit(1), 10_000)
    force.unref()
    try {
      await app.close()
    } finally {
      // The batch being sent is finished and marked before the database goes.
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
