import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { setTimeout as sleep } from 'node:timers/promises'
import { accounts } from '../../src/features/accounts/service.ts'
import { type TestApp, testApp } from '../support/app.ts'
import { addStaff, planFor } from '../support/reminders.ts'

// Issue 7: 50 people write the same section of one plan through the API at once, each reading it,
// changing one answer and writing it back with If-Match. Every write acknowledged with 200 is in the
// field-level history; every one refused got 412 (and wrote nothing); nothing else happens. On
// PGlite and on PostgreSQL, where the writes really run side by side in separate connections.

const WRITERS = 50

describe('lost updates: 50 writers on one section through the API', () => {
  let t: TestApp
  let planId: string
  let tokens: string[]

  before(async () => {
    t = await testApp()
    const agencyId = await t.addAgency()
    const worker = await addStaff(t.database.db, agencyId, 'social-worker')
    planId = (await planFor(t.database.db, worker, { status: 'draft' })).planId
    tokens = []
    for (let index = 0; index < WRITERS; index++) {
      const writer = await addStaff(t.database.db, agencyId, 'social-worker')
      tokens.push(await accounts(t.database.db).addToken(writer.userId, 1))
    }
  })
  after(() => t.close())

  test('every acknowledged write is in the history, every refusal a 412, no write twice', async () => {
    const url = `/api/v1/plans/${planId}/sections/child`
    const statuses = new Map<number, number>()
    const acknowledged = new Map<string, number>()
    await Promise.all(
      tokens.map(async (token, index) => {
        const headers = { authorization: `Bearer ${token}` }
        const text = `Written by writer ${index + 1}`
        // A 412 carries the section as it now stands and its ETag: the writer changes that and tries
        // again after a short random wait, as a well-behaved client backs off.
        let read = await t.app.inject({ method: 'GET', url, headers })
        for (let attempt = 0; attempt < 200; attempt++) {
          const content = { ...read.json().content, whoTheyAre: text }
          const written = await t.app.inject({
            method: 'PUT',
            url,
            payload: { content },
            headers: { ...headers, 'if-match': String(read.headers.etag) },
          })
          statuses.set(written.statusCode, (statuses.get(written.statusCode) ?? 0) + 1)
          if (written.statusCode === 200) {
            acknowledged.set(text, Number(String(written.headers.etag).replaceAll('"', '')))
            return
          }
          read = written
          await sleep(Math.random() * Math.min(2000, 25 * 2 ** attempt))
        }
      }),
    )

    assert.equal(acknowledged.size, WRITERS, 'every writer got through in the end')
    assert.deepEqual([...statuses.keys()].sort(), [200, 412], 'the others were told 412, nothing else')
    assert.equal(statuses.get(200), WRITERS)
    const versions = [...acknowledged.values()].sort((a, b) => a - b)
    assert.equal(new Set(versions).size, WRITERS, 'each acknowledged write made a version of its own')

    const history = await t.database.db
      .selectFrom('plan_changes')
      .select(['section_version', 'changes'])
      .where('plan_id', '=', planId)
      .where('section', '=', 'child')
      .execute()
    const written = new Map(
      history.flatMap((row) =>
        (row.changes as { path: string; after: string }[])
          .filter((change) => change.path === 'child.whoTheyAre')
          .map((change) => [change.after, row.section_version] as const),
      ),
    )
    for (const [text, version] of acknowledged) {
      assert.equal(written.get(text), version, `${text} is in the history as version ${version}`)
    }
    assert.equal(history.length, WRITERS, 'and nothing refused was written')
    const section = await t.database.db
      .selectFrom('plan_sections')
      .select('version')
      .where('plan_id', '=', planId)
      .where('key', '=', 'child')
      .executeTakeFirstOrThrow()
    assert.equal(section.version, versions.at(-1), 'the section stands at the last acknowledged write')
  })
})
