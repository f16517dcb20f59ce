import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { childDetailsFor as details } from '../../../test/support/children.ts'
import { testDatabase } from '../../../test/support/database.ts'
import type { DatabaseHandle } from '../../db/database.ts'
import type { Actor } from '../../platform/policy.ts'
import { accounts } from '../accounts/service.ts'
import { childrenService } from './service.ts'

type Staff = Actor & { kind: 'staff' }

describe('children service', () => {
  let handle: DatabaseHandle
  let mine: Staff
  let theirs: Staff

  before(async () => {
    handle = await testDatabase()
    const people = accounts(handle.db)
    const a = await people.addAgency({ name: 'A', kind: 'raa' })
    const b = await people.addAgency({ name: 'B', kind: 'la' })
    const worker = async (agencyId: string, email: string): Promise<Staff> => ({
      kind: 'staff',
      agencyId,
      role: 'social-worker',
      userId: await people.addUser({ agencyId, email, name: 'W', role: 'social-worker' }),
    })
    mine = await worker(a, 'a@agency.example')
    theirs = await worker(b, 'b@agency.example')
  })
  after(() => handle.close())

  test('dates stay calendar dates and counts are numbers', async () => {
    const service = childrenService(handle.db)
    const added = await service.add(mine, details({ dateOfBirth: '2020-03-29' }), 'test')
    assert.equal(added.outcome, 'added')
    const found = await service.find(mine, added.outcome === 'added' ? added.child.id : '')
    assert.equal(found?.date_of_birth, '2020-03-29')
    const page = await service.list(mine, {})
    assert.equal(typeof page.total, 'number')
  })

  test('search matches parts of names within the agency only, and treats % and _ literally', async () => {
    const service = childrenService(handle.db)
    await service.add(mine, details({ firstName: 'Zoë', lastName: 'Percival' }), 'test')
    await service.add(theirs, details({ firstName: 'Zoë', lastName: 'Percival' }), 'test')
    assert.equal((await service.list(mine, { search: 'perc' })).total, 1)
    assert.equal((await service.list(mine, { search: 'zoë perc' })).total, 1)
    assert.equal((await service.list(mine, { search: '%' })).total, 0)
    assert.equal((await service.list(theirs, { search: 'PERCIVAL' })).total, 1)
  })

  test('lists are paged 25 at a time in name order', async () => {
    const service = childrenService(handle.db)
    for (let index = 0; index < 30; index++) {
      await service.add(theirs, details({ lastName: `Page${String(index).padStart(2, '0')}` }), 'test')
    }
    const first = await service.list(theirs, { search: 'page', page: 1 })
    const second = await service.list(theirs, { search: 'page', page: 2 })
    assert.deepEqual(
      [first.total, first.pages, first.children.length, second.children.length],
      [30, 2, 25, 5],
    )
    assert.equal(first.children[0]?.last_name, 'Page00')
    assert.equal(second.children[4]?.last_name, 'Page29')
    assert.equal((await service.list(theirs, { search: 'page', page: 99 })).page, 2)
  })

  test('another agency cannot see, change or join a sibling group with a child', async () => {
    const service = childrenService(handle.db)
    const added = await service.add(mine, details({ firstName: 'Private' }), 'test')
    assert.equal(added.outcome, 'added')
    if (added.outcome !== 'added') return
    assert.equal(await service.view(theirs, added.child.id, 'test'), null)
    assert.deepEqual(await service.change(theirs, added.child.id, details(), undefined, 'test'), {
      outcome: 'not-found',
    })
    assert.deepEqual(await service.add(theirs, details({ siblingOf: added.child.id }), 'test'), {
      outcome: 'invalid-sibling',
    })
    assert.equal(await service.find(mine, 'not-a-uuid'), null)
  })

  test('sibling groups form, keep and dissolve', async () => {
    const service = childrenService(handle.db)
    const first = await service.add(mine, details({ firstName: 'One' }), 'test')
    if (first.outcome !== 'added') throw new Error('not added')
    const second = await service.add(mine, details({ firstName: 'Two', siblingOf: first.child.id }), 'test')
    if (second.outcome !== 'added') throw new Error('not added')
    const group = second.child.sibling_group_id
    assert.ok(group)
    assert.equal((await service.find(mine, first.child.id))?.sibling_group_id, group)
    // Left out, the group stays; null takes the child out, and a group of one dissolves.
    const kept = await service.change(
      mine,
      second.child.id,
      { ...details({ firstName: 'Two' }), siblingOf: undefined },
      1,
      'test',
    )
    assert.equal(kept.outcome === 'changed' && kept.child.sibling_group_id, group)
    const left = await service.change(mine, second.child.id, details({ firstName: 'Two' }), 2, 'test')
    assert.equal(left.outcome === 'changed' && left.child.sibling_group_id, null)
    assert.equal((await service.find(mine, first.child.id))?.sibling_group_id, null)
  })

  test('two people changing the same record: one wins, the other is told, nothing is lost silently', async () => {
    const service = childrenService(handle.db)
    const added = await service.add(mine, details({ firstName: 'Race' }), 'test')
    if (added.outcome !== 'added') throw new Error('not added')
    const results = await Promise.all(
      ['Alpha', 'Beta', 'Gamma'].map((firstName) =>
        service.change(mine, added.child.id, details({ firstName }), 1, 'test'),
      ),
    )
    assert.equal(results.filter((result) => result.outcome === 'changed').length, 1)
    assert.equal(results.filter((result) => result.outcome === 'conflict').length, 2)
    const audit = await handle.db
      .selectFrom('audit_events')
      .select('details')
      .where('what', '=', 'child-changed')
      .where('subject_id', '=', added.child.id)
      .execute()
    assert.equal(audit.length, 1)
    const before = audit[0]?.details.before as Record<string, unknown> | undefined
    assert.equal(before?.firstName, 'Race')
  })
})
