import assert from 'node:assert/strict'
import { type ChildProcess, spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, test } from 'node:test'
import { setTimeout as sleep } from 'node:timers/promises'
import { sql } from 'kysely'
import { type DatabaseHandle, openDatabase } from '../../src/db/database.ts'
import { accounts } from '../../src/features/accounts/service.ts'
import { plansService } from '../../src/features/plans/service.ts'
import { snapshotHash } from '../../src/plan/versions.ts'
import { verifyAuditChain } from '../../src/platform/audit.ts'
import { newDataDir, testDatabase, testDatabaseKind } from '../support/database.ts'
import { freePort } from '../support/ports.ts'
import { addStaff, planFor } from '../support/reminders.ts'

// Issue 7: the real server, as `npm start` runs it, is killed with SIGKILL in the middle of a burst
// of saves, then started again on the same data. Every save it acknowledged (a 200) before it died is
// there afterwards, in the section and in its history; the audit log's hash chain still holds; every
// plan version still matches its hash. On the embedded database (its files left as the kill left
// them) and on PostgreSQL.

const PLANS = 8
const mainPath = new URL('../../src/main.ts', import.meta.url).pathname

type Target = { env: Record<string, string>; reopen: () => Promise<DatabaseHandle>; remove: () => void }

/** A migrated database of either kind, and how the server and this test find it again. */
async function target(): Promise<Target & { handle: DatabaseHandle }> {
  if (testDatabaseKind() === 'pglite') {
    const dataDir = await newDataDir()
    return {
      handle: await openDatabase({ kind: 'pglite', dataDir }),
      env: { DATA_DIR: dataDir },
      reopen: () => openDatabase({ kind: 'pglite', dataDir }),
      remove: () => rmSync(dataDir, { recursive: true, force: true }),
    }
  }
  const handle = await testDatabase()
  const { rows } = await sql<{ name: string }>`select current_database() as name`.execute(handle.db)
  const url = new URL(String(process.env.TEST_DATABASE_URL))
  url.pathname = `/${rows[0]?.name}`
  return {
    handle,
    env: { DATABASE_URL: url.toString() },
    reopen: () => openDatabase({ kind: 'postgres', url: url.toString() }),
    remove: () => {},
  }
}

async function startServer(env: Record<string, string>, port: number): Promise<ChildProcess> {
  const server = spawn(process.execPath, [mainPath], {
    env: {
      ...process.env,
      ...env,
      PORT: String(port),
      NODE_ENV: 'test',
      DEMO_DATA: 'off',
      LOG_LEVEL: 'silent',
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  })
  let stderr = ''
  server.stderr?.on('data', (chunk) => {
    stderr += chunk
  })
  for (let waited = 0; waited < 30_000; waited += 100) {
    const up = await fetch(`http://127.0.0.1:${port}/health`).then(
      (response) => response.ok,
      () => false,
    )
    if (up) return server
    if (server.exitCode !== null) break
    await sleep(100)
  }
  server.kill('SIGKILL')
  throw new Error(`The server did not start: ${stderr}`)
}

function exited(server: ChildProcess): Promise<unknown> {
  if (server.exitCode !== null || server.signalCode !== null) return Promise.resolve()
  return new Promise((resolve) => server.once('exit', resolve))
}

describe(`crash: kill -9 during a burst of saves (${testDatabaseKind()})`, () => {
  let where: Target
  let token: string
  const planIds: string[] = []
  const servers: ChildProcess[] = []

  before(async () => {
    const { handle, ...rest } = await target()
    where = { ...rest, env: { ...rest.env, MAIL_DIR: mkdtempSync(join(tmpdir(), 'crash-mail-')) } }
    const db = handle.db
    const agencyId = await accounts(db).addAgency({ name: 'Crash RAA', kind: 'raa' })
    const worker = await addStaff(db, agencyId, 'social-worker')
    for (let index = 0; index < PLANS; index++) {
      const { planId } = await planFor(db, worker, { firstName: `Child${index}`, status: 'draft' })
      await plansService(db).takeVersion(worker, planId, 'Before the burst', 'test')
      planIds.push(planId)
    }
    token = await accounts(db).addToken(worker.userId, 1)
    await handle.close()
  })
  after(async () => {
    for (const server of servers) server.kill('SIGKILL')
    await Promise.all(servers.map(exited))
    where.remove()
    rmSync(where.env.MAIL_DIR as string, { recursive: true, force: true })
  })

  test('every acknowledged save survives, and the database is consistent', async () => {
    const port = await freePort()
    const base = `http://127.0.0.1:${port}/api/v1/plans`
    const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' }
    const first = await startServer(where.env, port)
    servers.push(first)

    // One writer per plan, saving again and again; each remembers what the server acknowledged.
    const acknowledged = new Map<string, string[]>(planIds.map((id) => [id, []]))
    let killed = false
    let failedAfterKill = 0
    const writers = planIds.map(async (planId, index) => {
      const url = `${base}/${planId}/sections/child`
      let etag = (await fetch(url, { headers })).headers.get('etag') ?? ''
      for (let save = 1; !killed; save++) {
        const text = `Plan ${index + 1}, save ${save}`
        try {
          const response = await fetch(url, {
            method: 'PUT',
            headers: { ...headers, 'if-match': etag },
            body: JSON.stringify({ content: { whoTheyAre: text } }),
          })
          if (response.status !== 200) throw new Error(`save answered ${response.status}`)
          await response.arrayBuffer()
          acknowledged.get(planId)?.push(text)
          etag = response.headers.get('etag') ?? ''
        } catch (error) {
          if (!killed) throw error
          failedAfterKill++
        }
      }
    })
    // Killed once the burst is well under way, with saves in flight.
    const total = () => [...acknowledged.values()].reduce((sum, texts) => sum + texts.length, 0)
    for (let waited = 0; total() < 60 && waited < 30_000; waited += 5) await sleep(5)
    killed = true
    first.kill('SIGKILL')
    await exited(first)
    await Promise.all(writers)
    assert.ok(total() >= 60, `saves were acknowledged before the kill (${total()})`)
    assert.ok(failedAfterKill > 0, 'and some were in flight when it died')

    // Started again on the same data: every acknowledged save is there, and saving goes on.
    const second = await startServer(where.env, port)
    servers.push(second)
    for (const [index, planId] of planIds.entries()) {
      const url = `${base}/${planId}/sections/child`
      const read = await fetch(url, { headers })
      assert.equal(read.status, 200)
      const stands = ((await read.json()) as { content: { whoTheyAre: string } }).content.whoTheyAre
      const last = acknowledged.get(planId)?.at(-1) as string
      // A save in flight at the kill may or may not have landed; nothing older than the last
      // acknowledged one may stand.
      const saveNumber = (text: string) => Number(/save (\d+)$/.exec(text)?.[1])
      assert.ok(saveNumber(stands) >= saveNumber(last), `plan ${index + 1}: ${stands} after ${last}`)
      const again = await fetch(url, {
        method: 'PUT',
        headers: { ...headers, 'if-match': read.headers.get('etag') ?? '' },
        body: JSON.stringify({ content: { whoTheyAre: 'After the restart' } }),
      })
      assert.equal(again.status, 200, 'and saves work again')
    }
    second.kill('SIGTERM')
    await exited(second)

    const handle = await where.reopen()
    try {
      const db = handle.db
      const history = await db
        .selectFrom('plan_changes')
        .select(['plan_id', 'changes'])
        .where('section', '=', 'child')
        .execute()
      const written = new Set(
        history.flatMap((row) =>
          (row.changes as { path: string; after: string }[])
            .filter((change) => change.path === 'child.whoTheyAre')
            .map((change) => `${row.plan_id} ${change.after}`),
        ),
      )
      for (const [planId, texts] of acknowledged) {
        for (const text of texts) assert.ok(written.has(`${planId} ${text}`), `${text} is in the history`)
      }

      const chain = await verifyAuditChain(db)
      assert.ok(chain.ok, `the audit log's hash chain holds: ${JSON.stringify(chain)}`)
      const versions = await db.selectFrom('plan_versions').select(['content', 'content_hash']).execute()
      assert.equal(versions.length, PLANS)
      for (const version of versions)
        assert.equal(snapshotHash(version.content as never), version.content_hash)
    } finally {
      await handle.close()
    }
  })
})
