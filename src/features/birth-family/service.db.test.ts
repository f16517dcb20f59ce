import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { childDetailsFor } from '../../../test/support/children.ts'
import { testDatabase } from '../../../test/support/database.ts'
import type { DatabaseHandle } from '../../db/database.ts'
import { secretHash } from '../../plan/birth-family.ts'
import type { StaffActor } from '../../platform/request-context.ts'
import { accounts } from '../accounts/service.ts'
import { childrenService } from '../children/service.ts'
import { plansService } from '../plans/service.ts'
import { type BirthFamilyService, birthFamilyService } from './service.ts'

// Birth family links in the database (ADR 0014): two answers sent at once through one link are one
// answer and one refusal; the relative's answer closes their other links; a link is found by its
// keyed hash only. Runs on PGlite and PostgreSQL.

const SECRET = 'a service secret for tests, long enough'

describe('birth family links', () => {
  let handle: DatabaseHandle
  let service: BirthFamilyService
  let worker: StaffActor
  let planId: string
  let relativeId: string

  before(async () => {
    handle = await testDatabase()
    const db = handle.db
    const people = accounts(db)
    const agencyId = await people.addAgency({ name: 'Birth family RAA', kind: 'raa' })
    const userId = await people.addUser({
      agencyId,
      email: 'worker@birth-family.example',
      name: 'Worker',
      role: 'social-worker',
    })
    worker = { kind: 'staff', agencyId, role: 'social-worker', userId }
    const child = await childrenService(db).add(worker, childDetailsFor(), 'test')
    if (child.outcome !== 'added') throw new Error('child not added')
    const plans = plansService(db)
    const plan = await plans.create(worker, child.child.id, 'test')
    if (plan.outcome !== 'created') throw new Error('plan not created')
    planId = plan.planId
    relativeId = (
      await db
        .insertInto('plan_birth_family_support')
        .values({
          plan_id: planId,
          position: 1,
          relative: 'Birth mother',
          relationship: 'Mother',
          support: 'Counselling',
          provided_by: 'Birthlink',
        })
        .returning('id')
        .executeTakeFirstOrThrow()
    ).id
    service = birthFamilyService(db, plans, SECRET)
  })
  after(() => handle.close())

  test('two answers at once through one link: one is kept, the other refused', async () => {
    const made = await service.create(worker, planId, relativeId, 'link', 'test')
    assert.ok(made)
    const other = await service.create(worker, planId, relativeId, 'code', 'test')
    assert.ok(other)
    const link = { kind: 'link' as const, value: made.secret }
    const [first, second] = await Promise.all([
      service.answer(link, { answer: 'confirmed', name: 'Jo', date: '2026-03-10' }, 'a'),
      service.answer(link, { answer: 'declined', reason: 'No' }, 'b'),
    ])
    const outcomes = [first.outcome, second.outcome].sort()
    assert.deepEqual(outcomes, ['open', 'refused'])
    const rows = await handle.db
      .selectFrom('birth_family_links')
      .selectAll()
      .where('relative_id', '=', relativeId)
      .orderBy('created_at')
      .execute()
    assert.equal(rows.filter((row) => row.answered_at !== null).length, 1)
    assert.ok(rows[1]?.closed_at, 'the letter’s code closed with the answer')
    const code = await service.open({ kind: 'code', value: other.secret }, 'c')
    assert.deepEqual(code, { outcome: 'refused', status: 'used' })
  })

  test('a link is kept as its keyed hash only, and found by nothing else', async () => {
    const made = await service.create(worker, planId, relativeId, 'link', 'test')
    assert.ok(made)
    const row = await handle.db
      .selectFrom('birth_family_links')
      .selectAll()
      .orderBy('created_at', 'desc')
      .executeTakeFirstOrThrow()
    assert.equal(row.secret_hash, secretHash(SECRET, 'link', made.secret))
    assert.ok(!JSON.stringify(row).includes(made.secret))
    const elsewhere = birthFamilyService(handle.db, plansService(handle.db), 'another secret')
    assert.deepEqual(await elsewhere.open({ kind: 'link', value: made.secret }, 'd'), { outcome: 'unknown' })
    assert.equal((await service.open({ kind: 'link', value: made.secret }, 'e')).outcome, 'open')
  })
})
