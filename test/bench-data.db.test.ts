import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { sql } from 'kysely'
import { type GeneratedData, generateData } from '../bench/data/generate.ts'
import { findPlan, snapshotOf } from '../src/features/plans/service.ts'
import { snapshotHash } from '../src/plan/versions.ts'
import { verifyAuditChain } from '../src/platform/audit.ts'
import { CSRF_COOKIE, newCsrfSeed } from '../src/platform/csrf.ts'
import { SESSION_COOKIE } from '../src/platform/pipeline.ts'
import { services } from '../src/services.ts'
import { type TestApp, testApp } from './support/app.ts'

// The synthetic data the benchmarks load (bench/data) must be data the service could have written:
// a verifiable audit chain in time order, versions hashed as the service hashes them, and records
// its pages open. A small shape here; `npm run bench:data` makes the large ones the same way.

describe('the synthetic data generator', () => {
  let test: TestApp
  let generated: GeneratedData

  before(async () => {
    test = await testApp()
    generated = await generateData(test.database, { agencies: 2, regions: 2, children: 60, about: 'a test' })
  })
  after(() => test.close())

  it('writes the agencies, children and plans asked for, each plan with its versions', async () => {
    const { db } = test.database
    const count = async (table: 'agencies' | 'children' | 'plans') =>
      Number((await db.selectFrom(table).select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow()).n)
    assert.equal(await count('agencies'), 2)
    assert.equal(await count('children'), 60)
    assert.equal(await count('plans'), 60)
    const without = await db
      .selectFrom('plans')
      .leftJoin('plan_versions', 'plan_versions.plan_id', 'plans.id')
      .select('plans.id')
      .where('plan_versions.plan_id', 'is', null)
      .execute()
    assert.deepEqual(without, [])
    assert.equal(generated.counts.children, 60)
    assert.ok((generated.counts.audit_events ?? 0) > 60 * 10)
  })

  it('leaves an audit log whose chain verifies and whose time rises with its order', async () => {
    const check = await verifyAuditChain(test.database.db)
    assert.deepEqual(check, { ok: true, events: generated.counts.audit_events })
    const { rows } = await sql<{ n: number }>`
      select count(*)::int as n from (
        select "when" < lag("when") over (order by seq) as back from audit_events) steps
      where back`.execute(test.database.db)
    assert.equal(rows[0]?.n, 0)
  })

  it('hashes each version as the service does, and its last matches the plan as it stands', async () => {
    const { db } = test.database
    const versions = await db.selectFrom('plan_versions').select(['content', 'content_hash']).execute()
    for (const version of versions)
      assert.equal(snapshotHash(version.content as Parameters<typeof snapshotHash>[0]), version.content_hash)
    // A plan past the panel is written in full: its sections then are its last version's, read the service's way.
    const settled = await db
      .selectFrom('plans')
      .select('id')
      .where('status', 'in', ['agreed', 'order-made', 'post-order'])
      .execute()
    assert.ok(settled.length > 0)
    for (const { id } of settled.slice(0, 5)) {
      const plan = await findPlan(db, id)
      assert.ok(plan)
      const last = await db
        .selectFrom('plan_versions')
        .select('content')
        .where('plan_id', '=', id)
        .orderBy('number', 'desc')
        .limit(1)
        .executeTakeFirstOrThrow()
      const now = await snapshotOf(db, plan)
      const kept = last.content as typeof now
      assert.deepEqual(
        Object.fromEntries(Object.entries(now.sections).map(([key, value]) => [key, value.content])),
        Object.fromEntries(Object.entries(kept.sections).map(([key, value]) => [key, value.content])),
      )
    }
  })

  it('gives the benchmarks a social worker whose caseload the pages open', async () => {
    const { sample } = generated
    assert.ok(sample.caseload.length >= 10)
    const appServices = services(test.database.db, test.config)
    const { session } = await appServices.sessions.start(sample.workerId, 'test')
    const token = await appServices.sessions.completeSignIn(session.id)
    const headers = { cookie: `${SESSION_COOKIE}=${token}; ${CSRF_COOKIE}=${newCsrfSeed()}` }
    const child = await test.database.db
      .selectFrom('children')
      .select(['first_name', 'last_name'])
      .where('id', '=', sample.caseload[0]?.childId as string)
      .executeTakeFirstOrThrow()
    const placed = sample.caseload.find((entry) => entry.placed)
    const pages = [
      '/home',
      '/children',
      `/children/${sample.caseload[0]?.childId}`,
      `/plans/${sample.caseload[0]?.planId}`,
      `/plans/${sample.caseload[0]?.planId}/versions/1`,
      ...(placed ? [`/plans/${placed.planId}/reviews`] : []),
    ]
    for (const url of pages) {
      const response = await test.app.inject({ method: 'GET', url, headers })
      assert.equal(response.statusCode, 200, url)
      if (
        url.includes(String(sample.caseload[0]?.childId)) ||
        url.includes(String(sample.caseload[0]?.planId))
      )
        assert.ok(response.body.includes(child.first_name), `${url} shows the child's name`)
    }
  })
})
