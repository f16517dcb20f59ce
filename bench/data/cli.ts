import { parseArgs } from 'node:util'
import { SingleBar } from 'cli-progress'
import { readConfig } from '../../src/config.ts'
import { type DatabaseTarget, migrate, openDatabase } from '../../src/db/database.ts'
import { verifyAuditChain } from '../../src/platform/audit.ts'
import { generateData, SCALES, type Scale } from './generate.ts'

// `npm run bench:data -- --scale national|region|agency [--database-url URL | --data-dir DIR]`:
// synthetic agencies for benchmarks and trials, in the database the service is configured for
// (DATABASE_URL, or DATA_DIR for the embedded one) unless one is named. Only into a database with
// no children in it. Prints how many rows it wrote to each table (with --json: that, the accounts
// and records the benchmarks use, and the time taken), and checks the audit chain it made.

const USAGE = `Usage: npm run bench:data -- --scale national|region|agency [--database-url URL | --data-dir DIR] [--no-verify]

  national  ${SCALES.national.about}
  region    ${SCALES.region.about}
  agency    ${SCALES.agency.about}`

function target(values: { 'database-url'?: string; 'data-dir'?: string }): DatabaseTarget {
  if (values['database-url']) return { kind: 'postgres', url: values['database-url'] }
  if (values['data-dir']) return { kind: 'pglite', dataDir: values['data-dir'] }
  return readConfig({ ...process.env, SESSION_SECRET: process.env.SESSION_SECRET ?? 'unused-for-data' })
    .database
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      scale: { type: 'string' },
      'database-url': { type: 'string' },
      'data-dir': { type: 'string' },
      'no-verify': { type: 'boolean' },
      json: { type: 'boolean' },
      help: { type: 'boolean' },
    },
  })
  if (values.help) {
    process.stdout.write(`${USAGE}\n`)
    return
  }
  const scale = values.scale as Scale | undefined
  if (!scale || !(scale in SCALES)) {
    process.stderr.write(`${USAGE}\n`)
    process.exitCode = 2
    return
  }
  const where = target(values)
  process.stderr.write(
    `Generating ${SCALES[scale].about} into ${where.kind === 'postgres' ? 'PostgreSQL' : `PGlite at ${where.kind === 'pglite' ? where.dataDir : 'memory'}`}\n`,
  )
  const handle = await openDatabase(where)
  const bar = new SingleBar({
    format: '  [{bar}] {percentage}% | {value}/{total} children | {stage} | {duration_formatted}',
    hideCursor: true,
    stream: process.stderr,
    // Without a terminal (CI, the benchmark's log), a line every ten seconds instead of a bar.
    noTTYOutput: true,
    notTTYSchedule: 10_000,
  })
  try {
    await migrate(handle.db)
    bar.start(SCALES[scale].children, 0, { stage: 'starting' })
    const generated = await generateData(handle, SCALES[scale], (done, _total, stage) =>
      bar.update(done, { stage }),
    )
    bar.stop()
    process.stderr.write(`Done in ${generated.seconds.toFixed(0)} s.\n`)
    if (values.json) process.stdout.write(`${JSON.stringify(generated)}\n`)
    else
      for (const [table, count] of Object.entries(generated.counts))
        process.stdout.write(`${table}\t${count}\n`)
    if (!values['no-verify']) {
      const check = await verifyAuditChain(handle.db)
      if (!check.ok) throw new Error(`The audit chain breaks at event ${check.brokenAt}`)
      process.stderr.write(`Audit chain verified: ${check.events} events.\n`)
    }
  } finally {
    bar.stop()
    await handle.close()
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error)
  process.exitCode = 1
})
