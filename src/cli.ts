import { parseArgs } from 'node:util'
import { ZodError } from 'zod'
import { ConfigError, readConfig } from './config.ts'
import { BackupError, backUp, restore } from './db/backup.ts'
import { type DatabaseHandle, migrate, openDatabase } from './db/database.ts'
import { DatabaseBusyError } from './db/lock.ts'
import { AccountError, accounts } from './features/accounts/service.ts'
import { allocationsService } from './features/allocations/service.ts'
import { describeSignIns, loadDemo } from './features/demo/demo.ts'
import { remindersService } from './features/reminders/service.ts'
import { describeIdentityProvider, setIdentityProvider } from './features/single-sign-on/cli.ts'
import { ProviderError } from './features/single-sign-on/providers.ts'
import { singleSignOn } from './features/single-sign-on/service.ts'
import { verifyAuditChain } from './platform/audit.ts'
import { totpCode } from './platform/totp.ts'

// Operator commands (design.md, "Interfaces"). On success a command prints only its result on
// stdout, so scripts can capture it; messages for people go to stderr.

const USAGE = `Usage: npm run cli -- <command>

  agency add --name NAME --kind raa|vaa|la [--region REGION]   prints the agency id
  user add --agency ID --email EMAIL --name NAME --role ROLE [--password PW]
                                                                 prints the user id
  token add --user ID [--days N]                                 prints an API token
  allocate --user ID --child ID                                  gives a worker or IRO a child's case
  sso set --agency ID --issuer URL --client-id ID [--client-secret-file PATH] [--enforces-mfa]
                                                                 sets the agency's OpenID provider for
                                                                 single sign-on; without the file, the
                                                                 secret is read from standard input
  sso show --agency ID                                           shows it (never the secret)
  migrate                                                        prints the migrations applied
  demo                                                           loads demo data, prints sign-ins
  audit verify                                                   checks the audit log's hash chain
  reminders sweep                                                queues the e-mails of the reminders
                                                                 due now (each once; the app's own
                                                                 instances do this every 15 minutes)
  totp-code SECRET                                               prints the current code for a key
  backup FILE                                                    saves the embedded database to FILE
                                                                 (with the service stopped)
  restore FILE                                                   puts FILE's database in DATA_DIR after
                                                                 checking it, keeping the old data as
                                                                 DATA_DIR.before-restore-TIME

Roles: social-worker, team-manager, iro, support-worker, panel-member, decision-maker,
       agency-admin, data-analyst`

class UsageError extends Error {}
class CommandFailed extends Error {}

const ALLOCATION_FAILURES = {
  'not-found': 'No child has that id',
  'not-allocatable': 'That user is not an active social worker, support worker or IRO of the child’s agency',
  'already-allocated': 'That user is already allocated to the child',
} as const

type Options = Record<string, string | undefined>

function required(options: Options, name: string): string {
  const value = options[name]
  if (!value) throw new UsageError(`--${name} is required`)
  return value
}

async function withDatabase<T>(work: (handle: DatabaseHandle, applied: string[]) => Promise<T>): Promise<T> {
  const handle = await openDatabase(readConfig().database)
  try {
    const applied = await migrate(handle.db)
    return await work(handle, applied)
  } finally {
    await handle.close()
  }
}

// On PostgreSQL the server's own tools do this better: the CLI says which, and how (docs/adr/0020).
const POSTGRES_BACKUPS = `On PostgreSQL use the server's own tools (DATABASE_URL as the service has it):
  backup:   pg_dump --format=custom --no-owner --no-privileges --file=FILE "$DATABASE_URL"
  restore:  createdb NEW_DB
            pg_restore --no-owner --no-privileges --exit-on-error --single-transaction --dbname=NEW_DB_URL FILE
            DATABASE_URL=NEW_DB_URL npm run cli -- audit verify
            then point the service's DATABASE_URL at NEW_DB_URL (the old database stays as it was)`

async function backupCommand(command: 'backup' | 'restore', files: string[]): Promise<string> {
  const file = files[0]
  if (!file || files.length > 1) throw new UsageError(`${command} takes one file name`)
  const database = readConfig().database
  if (database.kind === 'postgres') throw new CommandFailed(POSTGRES_BACKUPS)
  if (command === 'backup') {
    const saved = await backUp(database.dataDir, file)
    const rows = Object.values(saved.rows).reduce((sum, n) => sum + n, 0)
    process.stderr.write(
      `Backed up ${rows} rows in ${Object.keys(saved.rows).length} tables (${saved.auditEvents} audit events), ` +
        `at migration ${saved.migrations.at(-1)}\n`,
    )
    return file
  }
  const restored = await restore(database.dataDir, file)
  const { manifest } = restored
  return [
    `Restored the backup taken at ${manifest.createdAt} by version ${manifest.serviceVersion} into ${database.dataDir}`,
    `Audit log intact: ${restored.auditEvents} events`,
    restored.migratedForward.length > 0
      ? `Migrations applied since the backup: ${restored.migratedForward.join(', ')}`
      : null,
    restored.keptAt
      ? `The data it replaced is kept in ${restored.keptAt}`
      : 'There was no database there before',
  ]
    .filter((line) => line !== null)
    .join('\n')
}

async function run(argv: string[]): Promise<string> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      name: { type: 'string' },
      kind: { type: 'string' },
      region: { type: 'string' },
      agency: { type: 'string' },
      email: { type: 'string' },
      role: { type: 'string' },
      password: { type: 'string' },
      user: { type: 'string' },
      child: { type: 'string' },
      days: { type: 'string' },
      issuer: { type: 'string' },
      'client-id': { type: 'string' },
      'client-secret-file': { type: 'string' },
      'enforces-mfa': { type: 'boolean' },
      help: { type: 'boolean' },
    },
  })
  const options = values as Options
  const command = positionals.join(' ')

  if (values.help || command === '' || command === 'help') return USAGE
  if (positionals[0] === 'totp-code' && positionals[1]) return totpCode(positionals[1])
  if (positionals[0] === 'backup' || positionals[0] === 'restore') {
    return backupCommand(positionals[0], positionals.slice(1))
  }

  switch (command) {
    case 'agency add':
      return withDatabase(({ db }) =>
        accounts(db).addAgency({
          name: required(options, 'name'),
          kind: required(options, 'kind') as 'raa',
          region: options.region,
        }),
      )
    case 'user add':
      return withDatabase(({ db }) =>
        accounts(db).addUser({
          agencyId: required(options, 'agency'),
          email: required(options, 'email'),
          name: required(options, 'name'),
          role: required(options, 'role') as 'iro',
          password: options.password,
        }),
      )
    case 'token add':
      return withDatabase(({ db }) =>
        accounts(db).addToken(required(options, 'user'), Number(options.days ?? '90')),
      )
    case 'allocate':
      return withDatabase(async ({ db }) => {
        const result = await allocationsService(db).allocate(
          { kind: 'operator' },
          required(options, 'child'),
          required(options, 'user'),
          'cli',
        )
        if (result.outcome === 'allocated') return result.id
        throw new CommandFailed(ALLOCATION_FAILURES[result.outcome])
      })
    case 'sso set':
      return withDatabase(({ db }) =>
        setIdentityProvider(singleSignOn(db, readConfig()).providers, {
          agencyId: required(options, 'agency'),
          issuer: required(options, 'issuer'),
          clientId: required(options, 'client-id'),
          clientSecretFile: options['client-secret-file'],
          enforcesMfa: values['enforces-mfa'] === true,
        }),
      )
    case 'sso show':
      return withDatabase(({ db }) =>
        describeIdentityProvider(singleSignOn(db, readConfig()).providers, required(options, 'agency')),
      )
    case 'migrate':
      return withDatabase(async (_handle, applied) => applied.join('\n'))
    case 'demo':
      return withDatabase(async ({ db }) =>
        describeSignIns(await loadDemo(db), readConfig().serviceUrl).trim(),
      )
    case 'audit verify':
      return withDatabase(async ({ db }) => {
        const check = await verifyAuditChain(db)
        if (!check.ok) {
          throw new CommandFailed(
            `Audit log broken at event ${check.brokenAt} (${check.events} events before it are intact)`,
          )
        }
        return `Audit log intact: ${check.events} events`
      })
    case 'reminders sweep':
      return withDatabase(async ({ db }) => {
        const result = await remindersService(db).sweep()
        return `Reminders to e-mail: ${result.reminders}; e-mails queued now: ${result.queued} (${result.emails - result.queued} queued before)`
      })
    default:
      throw new UsageError(`Unknown command "${command}"`)
  }
}

try {
  const output = await run(process.argv.slice(2))
  if (output) process.stdout.write(`${output}\n`)
} catch (error) {
  if (error instanceof UsageError) {
    process.stderr.write(`${error.message}\n\n${USAGE}\n`)
    process.exit(2)
  }
  if (error instanceof ZodError) {
    const problems = error.issues.map((issue) => `--${String(issue.path[0] ?? '')}: ${issue.message}`)
    process.stderr.write(`${problems.join('\n')}\n`)
    process.exit(1)
  }
  const expected = [AccountError, BackupError, CommandFailed, ConfigError, DatabaseBusyError, ProviderError]
  if (expected.some((kind) => error instanceof kind)) {
    process.stderr.write(`${(error as Error).message}\n`)
    process.exit(1)
  }
  throw error
}
