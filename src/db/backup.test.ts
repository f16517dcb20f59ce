import assert from 'node:assert/strict'
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { basename, dirname, join } from 'node:path'
import { after, before, describe, test } from 'node:test'
import { sql } from 'kysely'
import { childDetailsFor } from '../../test/support/children.ts'
import { newDataDir } from '../../test/support/database.ts'
import { type ProcessResult, runProcess } from '../../test/support/process.ts'
import { answersFor } from '../../test/support/written-plan.ts'
import { accounts } from '../features/accounts/service.ts'
import { childrenService } from '../features/children/service.ts'
import { plansService } from '../features/plans/service.ts'
import { PLAN } from '../plan/definition.ts'
import { verifyAuditChain } from '../platform/audit.ts'
import type { Actor } from '../platform/policy.ts'
import { backUp, restore } from './backup.ts'
import { type Db, openDatabase } from './database.ts'
import { DatabaseBusyError } from './lock.ts'
import { migrations } from './migrations/index.ts'

// Backups of the embedded database (docs/adr/0020), through the CLI as an operator runs it: what a
// restore brings back is compared, table by table and row by row, with what was there at the backup.

const node = process.execPath
const cliPath = new URL('../cli.ts', import.meta.url).pathname

type Result = ProcessResult

// The embedded database unless a test names a server.
const { DATABASE_URL: _ignored, ...withoutDatabaseUrl } = process.env

function cli(env: Record<string, string>, ...args: string[]): Promise<Result> {
  return runProcess(node, [cliPath, ...args], { ...withoutDatabaseUrl, NODE_ENV: 'test', ...env })
}

/**
 * Every row of every table of the service's schema, as JSON text in a fixed order, with each
 * sequence's position and whether the audit log's chain holds: two equal pictures, equal databases.
 */
async function picture(dataDir: string) {
  const handle = await openDatabase({ kind: 'pglite', dataDir })
  try {
    const { rows: tables } = await sql<{ name: string }>`
      select table_name as name from information_schema.tables
      where table_schema = 'public' and table_type = 'BASE TABLE' order by table_name`.execute(handle.db)
    const content: Record<string, string[]> = {}
    for (const { name } of tables) {
      const { rows } = await sql<{ row: string }>`
        select to_jsonb(t)::text as row from ${sql.table(name)} t order by 1`.execute(handle.db)
      content[name] = rows.map((row) => row.row)
    }
    const { rows: sequences } = await sql`
      select sequencename, last_value from pg_sequences where schemaname = 'public'
      order by sequencename`.execute(handle.db)
    return { content, sequences, audit: await verifyAuditChain(handle.db) }
  } finally {
    await handle.close()
  }
}

const section = (() => {
  const found = PLAN.find((candidate) => candidate.questions.length > 0 && !candidate.filledElsewhere)
  if (!found) throw new Error('the plan has a section with questions')
  return found
})()

/** A child with a plan, answers in it, a version taken: real records, audited as the pages do it. */
async function fill(db: Db, marker: string) {
  const people = accounts(db)
  const agencyId = await people.addAgency({ name: `Backup RAA ${marker}`, kind: 'raa' })
  const worker: Actor & { kind: 'staff' } = {
    kind: 'staff',
    agencyId,
    role: 'social-worker',
    userId: await people.addUser({
      agencyId,
      email: `worker-${marker}@backup.example`,
      name: 'Wyn Worker',
      role: 'social-worker',
    }),
  }
  const added = await childrenService(db).add(worker, childDetailsFor({ firstName: marker }), 'test')
  if (added.outcome !== 'added') throw new Error('child not added')
  const plans = plansService(db)
  const created = await plans.create(worker, added.child.id, 'test')
  if (created.outcome !== 'created') throw new Error('plan not created')
  const saved = await plans.saveAnswers(
    worker,
    created.planId,
    section.key,
    1,
    answersFor(section.questions, section.key, marker),
    'test',
  )
  if (saved.outcome !== 'saved') throw new Error('answers not saved')
  assert.equal((await plans.takeVersion(worker, created.planId, 'Agreed', 'test')).outcome, 'taken')
  return { worker, planId: created.planId, sectionVersion: saved.version }
}

describe('backup and restore of the embedded database', () => {
  const folders: string[] = []
  let dataDir: string
  let backupFile: string
  let saved: Awaited<ReturnType<typeof picture>>
  let first: Awaited<ReturnType<typeof fill>>

  before(async () => {
    dataDir = await newDataDir()
    const files = mkdtempSync(join(tmpdir(), 'adoption-support-backups-'))
    folders.push(dataDir, files)
    backupFile = join(files, 'first.backup')
    const handle = await openDatabase({ kind: 'pglite', dataDir })
    try {
      first = await fill(handle.db, 'Before')
    } finally {
      await handle.close()
    }
  })
  after(() => {
    for (const folder of folders) {
      for (const name of readdirSync(dirname(folder))) {
        if (name.startsWith(`${basename(folder)}.`)) folders.push(join(dirname(folder), name))
      }
    }
    for (const folder of folders) rmSync(folder, { recursive: true, force: true })
  })

  test('a restore brings back exactly what was saved, and keeps what it replaced', async () => {
    const backedUp = await cli({ DATA_DIR: dataDir }, 'backup', backupFile)
    assert.equal(backedUp.code, 0, backedUp.stderr)
    assert.equal(backedUp.stdout, `${backupFile}\n`)
    assert.match(backedUp.stderr, /Backed up \d+ rows in \d+ tables \(\d+ audit events\)/)
    saved = await picture(dataDir)
    assert.ok(saved.audit.ok && saved.audit.events > 0, 'there are audit events to bring back')
    assert.ok((saved.content.plan_versions ?? []).length > 0, 'and a version')

    // Work goes on after the backup: a new child with a plan, and the first plan's answers changed.
    const handle = await openDatabase({ kind: 'pglite', dataDir })
    try {
      await fill(handle.db, 'After')
      const changedAnswers = answersFor(section.questions, section.key, 'Changed')
      const plans = plansService(handle.db)
      const resaved = await plans.saveAnswers(
        first.worker,
        first.planId,
        section.key,
        first.sectionVersion,
        changedAnswers,
        'test',
      )
      assert.equal(resaved.outcome, 'saved')
    } finally {
      await handle.close()
    }
    const changed = await picture(dataDir)
    assert.notDeepEqual(changed.content, saved.content)

    const restored = await cli({ DATA_DIR: dataDir }, 'restore', backupFile)
    assert.equal(restored.code, 0, restored.stderr)
    assert.match(restored.stdout, new RegExp(`Audit log intact: ${saved.audit.events} events`))
    const keptAt = /kept in (.+)\n?$/.exec(restored.stdout)?.[1] as string
    assert.match(keptAt, /\.before-restore-\d{4}-\d\d-\d\dT/)

    const now = await picture(dataDir)
    assert.deepEqual(now.content, saved.content, 'every row of every table as it was at the backup')
    assert.deepEqual(now.sequences, saved.sequences)
    assert.deepEqual(now.audit, saved.audit)
    assert.deepEqual(await picture(keptAt), changed, 'the data replaced is all still there')
  })

  test('a damaged, cut short or foreign file is refused before anything is touched', async () => {
    const lastMigration = Object.keys(migrations).at(-1) as string
    const whole = readFileSync(backupFile)
    const before = readdirSync(dirname(dataDir)).filter((name) => name.startsWith(basename(dataDir)))
    const damaged = Buffer.from(whole)
    damaged[damaged.length - 1000] = (damaged[damaged.length - 1000] ?? 0) ^ 0xff
    const cases: [string, Buffer, RegExp][] = [
      ['damaged.backup', damaged, /is damaged: its data does not match the checksum/],
      ['short.backup', whole.subarray(0, whole.length - 4096), /is damaged or cut short/],
      ['header.backup', whole.subarray(0, 200), /is not a backup of this service, or it is cut short/],
      ['foreign.backup', Buffer.from('PK\u0003\u0004 not ours'), /is not a backup of this service/],
      [
        'newer.backup',
        Buffer.from(
          whole.toString('latin1').replace(`"${lastMigration}"`, `"${lastMigration}","9999-future"`),
          'latin1',
        ),
        /made by a newer version of the service \(migrations unknown here: 9999-future\)/,
      ],
    ]
    for (const [name, bytes, message] of cases) {
      const file = join(dirname(backupFile), name)
      writeFileSync(file, bytes)
      await assert.rejects(restore(dataDir, file), message, name)
    }
    await assert.rejects(restore(dataDir, join(dirname(backupFile), 'nothing.backup')), /There is no file/)
    // And as the operator sees it: a message on stderr, nothing on stdout, a failing exit code.
    const refused = await cli({ DATA_DIR: dataDir }, 'restore', join(dirname(backupFile), 'damaged.backup'))
    assert.equal(refused.code, 1)
    assert.equal(refused.stdout, '')
    assert.match(refused.stderr, /damaged\.backup is damaged: its data does not match the checksum/)
    assert.deepEqual(
      readdirSync(dirname(dataDir)).filter((name) => name.startsWith(basename(dataDir))),
      before,
      'no folder made, moved or left behind',
    )
    assert.deepEqual((await picture(dataDir)).content, saved.content, 'the data is untouched')
  })

  test('refused while the service holds the database; never over an existing file', async () => {
    // A living process's id in the lock file is how the running service shows it holds the folder
    // (process 1 is always alive, and it is not this one).
    writeFileSync(join(dataDir, 'owner.lock'), '1')
    try {
      const refused = await cli({ DATA_DIR: dataDir }, 'restore', backupFile)
      assert.equal(refused.code, 1)
      assert.match(refused.stderr, /in use by another process .*Stop it first/)
      await assert.rejects(backUp(dataDir, join(dirname(backupFile), 'second.backup')), DatabaseBusyError)
    } finally {
      rmSync(join(dataDir, 'owner.lock'), { force: true })
    }
    assert.equal(existsSync(join(dirname(backupFile), 'second.backup')), false)
    await assert.rejects(backUp(dataDir, backupFile), /already exists: choose a new file name/)
    const usage = await cli({ DATA_DIR: dataDir }, 'restore')
    assert.equal(usage.code, 2)
    assert.match(usage.stderr, /restore takes one file name/)
  })

  test('restores onto a machine with no database yet', async () => {
    const fresh = join(dirname(backupFile), 'fresh-data')
    const result = await restore(fresh, backupFile)
    assert.equal(result.keptAt, null)
    assert.deepEqual((await picture(fresh)).content, saved.content)
  })

  test('on PostgreSQL it gives the pg_dump and pg_restore commands, and no secret', async () => {
    const url = 'postgres://service:not-to-be-printed@db.example:5432/adoption_support'
    for (const command of ['backup', 'restore']) {
      const answer = await cli({ DATABASE_URL: url }, command, 'some.backup')
      assert.equal(answer.code, 1)
      assert.match(answer.stderr, /pg_dump --format=custom .*"\$DATABASE_URL"/)
      assert.match(answer.stderr, /pg_restore .*--single-transaction/)
      assert.doesNotMatch(answer.stderr, /not-to-be-printed/)
    }
  })
})
