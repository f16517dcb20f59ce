import assert from 'node:assert/strict'
import { type ChildProcess, spawn } from 'node:child_process'
import { rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { after, before, describe, test } from 'node:test'
import { PGlite } from '@electric-sql/pglite'
import { newDataDir } from '../test/support/database.ts'
import { freePort } from '../test/support/ports.ts'
import { type ProcessResult, runProcess } from '../test/support/process.ts'

// The operator CLI as operators run it: a separate process, its stdout captured by scripts.

const node = process.execPath
const cliPath = new URL('./cli.ts', import.meta.url).pathname
const mainPath = new URL('./main.ts', import.meta.url).pathname

type Result = ProcessResult

function cli(dataDir: string, ...args: string[]): Promise<Result> {
  return runProcess(node, [cliPath, ...args], { ...process.env, DATA_DIR: dataDir, NODE_ENV: 'test' })
}

/** Opens the embedded database directly, as the test's own look behind the CLI's back. */
async function withEmbedded<T>(dataDir: string, work: (db: PGlite) => Promise<T>): Promise<T> {
  const db = new PGlite({ dataDir })
  try {
    return await work(db)
  } finally {
    await db.close()
  }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\n$/

describe('operator CLI', () => {
  let dataDir: string
  before(async () => {
    dataDir = await newDataDir()
  })
  after(() => rmSync(dataDir, { recursive: true, force: true }))

  test('agency add, user add and token add print only their result', async () => {
    const agency = await cli(
      dataDir,
      'agency',
      'add',
      '--name',
      'Thames Adoption',
      '--kind',
      'raa',
      '--region',
      'London',
    )
    assert.equal(agency.code, 0, agency.stderr)
    assert.match(agency.stdout, UUID)
    const user = await cli(
      dataDir,
      ...[
        'user',
        'add',
        '--agency',
        agency.stdout.trim(),
        '--email',
        'iro@thames.example',
        '--name',
        'Ira Lowe',
        '--role',
        'iro',
      ],
    )
    assert.equal(user.code, 0, user.stderr)
    assert.match(user.stdout, UUID)
    const token = await cli(dataDir, 'token', 'add', '--user', user.stdout.trim(), '--days', '7')
    assert.equal(token.code, 0, token.stderr)
    assert.match(token.stdout, /^asp_[A-Za-z0-9_-]{43}\n$/)
    const iro = await cli(
      dataDir,
      ...[
        'user',
        'add',
        '--agency',
        agency.stdout.trim(),
        '--email',
        'iro2@thames.example',
        '--name',
        'Io Ray',
        '--role',
        'iro',
      ],
    )
    const missingChild = await cli(
      dataDir,
      'allocate',
      '--user',
      iro.stdout.trim(),
      '--child',
      '00000000-0000-4000-8000-000000000000',
    )
    assert.equal(missingChild.code, 1)
    assert.match(missingChild.stderr, /No child has that id/)
    const childId = await withEmbedded(dataDir, async (db) => {
      const { rows } = await db.query<{ id: string }>(
        `insert into children (agency_id, first_name, last_name, date_of_birth, sex, ethnicity)
         values ($1, 'Cli', 'Child', '2022-01-01', 'male', 'WBRI') returning id`,
        [agency.stdout.trim()],
      )
      return rows[0]?.id as string
    })
    const allocated = await cli(dataDir, 'allocate', '--user', iro.stdout.trim(), '--child', childId)
    assert.equal(allocated.code, 0, allocated.stderr)
    assert.match(allocated.stdout, UUID)
    const verify = await cli(dataDir, 'audit', 'verify')
    assert.equal(verify.code, 0)
    assert.match(verify.stdout, /Audit log intact: \d+ events/)
  })

  test('sso set reads the client secret from a file; sso show never prints it', async () => {
    const agencyId = await withEmbedded(dataDir, async (db) => {
      const { rows } = await db.query<{ id: string }>(
        `select id from agencies where name = 'Thames Adoption'`,
      )
      return rows[0]?.id as string
    })
    const secretFile = join(dataDir, 'client-secret')
    writeFileSync(secretFile, 'not-in-any-process-list\n', { mode: 0o600 })
    const issuer = 'https://login.microsoftonline.com/0b6f5c1e-5a4e-4c5e-9d1a-2f0b8e7c4d21/v2.0'
    const set = await cli(
      dataDir,
      ...['sso', 'set', '--agency', agencyId, '--issuer', issuer, '--client-id', 'adoption-support'],
      ...['--client-secret-file', secretFile, '--enforces-mfa'],
    )
    assert.equal(set.code, 0, set.stderr)
    assert.equal(set.stdout, `${agencyId}\n`)
    const show = await cli(dataDir, 'sso', 'show', '--agency', agencyId)
    assert.equal(show.code, 0, show.stderr)
    assert.match(
      show.stdout,
      new RegExp(`^issuer: ${issuer}\nclient id: adoption-support\nclient secret: set\n`),
    )
    assert.match(show.stdout, /enforces MFA: yes/)
    const stored = await withEmbedded(dataDir, (db) => db.query('select * from identity_providers'))
    assert.doesNotMatch(`${show.stdout}${JSON.stringify(stored.rows)}`, /not-in-any-process-list/)
  })

  test('reminders sweep queues the reminders’ e-mails and says how many', async () => {
    const swept = await cli(dataDir, 'reminders', 'sweep')
    assert.equal(swept.code, 0, swept.stderr)
    assert.match(swept.stdout, /^Reminders to e-mail: \d+; e-mails queued now: \d+ \(\d+ queued before\)\n$/)
  })

  test('mistakes are explained on stderr with a failing exit code', async () => {
    const role = await cli(
      dataDir,
      'user',
      'add',
      '--agency',
      '00000000-0000-4000-8000-000000000000',
      '--email',
      'x@y.example',
      '--name',
      'X',
      '--role',
      'wizard',
    )
    assert.equal(role.code, 1)
    assert.equal(role.stdout, '')
    assert.match(role.stderr, /--role/)
    const missing = await cli(dataDir, 'agency', 'add', '--kind', 'raa')
    assert.equal(missing.code, 2)
    assert.match(missing.stderr, /--name is required/)
    const unknown = await cli(dataDir, 'frobnicate')
    assert.equal(unknown.code, 2)
  })

  test('while the service holds the embedded database, the CLI refuses and changes nothing', async () => {
    const port = await freePort()
    const server: ChildProcess = spawn(node, [mainPath], {
      env: {
        ...process.env,
        DATA_DIR: dataDir,
        PORT: String(port),
        NODE_ENV: 'test',
        DEMO_DATA: 'off',
        LOG_LEVEL: 'silent',
      },
      stdio: 'ignore',
    })
    try {
      let up = false
      for (let attempt = 0; attempt < 100 && !up; attempt++) {
        up = await fetch(`http://127.0.0.1:${port}/health`).then(
          (response) => response.ok,
          () => false,
        )
        if (!up) await new Promise((resolve) => setTimeout(resolve, 200))
      }
      assert.ok(up, 'the service started')
      const refused = await cli(dataDir, 'agency', 'add', '--name', 'Should Not Exist', '--kind', 'la')
      assert.equal(refused.code, 1)
      assert.equal(refused.stdout, '')
      assert.match(refused.stderr, /in use by another process .*Stop it first/)
    } finally {
      const stopped = new Promise((resolve) => server.once('exit', resolve))
      server.kill('SIGTERM')
      await stopped
    }
    const rows = await withEmbedded(dataDir, (db) => db.query<{ name: string }>('select name from agencies'))
    assert.deepEqual(
      rows.rows.map((row) => row.name),
      ['Thames Adoption'],
    )
  })
})
