import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { childDetailsFor } from '../../../test/support/children.ts'
import { testDatabase } from '../../../test/support/database.ts'
import type { DatabaseHandle, Db } from '../../db/database.ts'
import { recordAudit } from '../../platform/audit.ts'
import type { Actor } from '../../platform/policy.ts'
import { accounts } from '../accounts/service.ts'
import { childrenService } from '../children/service.ts'
import { auditService, PAGE_SIZE } from './service.ts'

type Staff = Actor & { kind: 'staff' }

async function agencyWithStaff(db: Db, name: string) {
  const people = accounts(db)
  const agencyId = await people.addAgency({ name, kind: 'raa' })
  const staff = async (role: 'social-worker' | 'agency-admin'): Promise<Staff> => ({
    kind: 'staff',
    agencyId,
    role,
    userId: await people.addUser({
      agencyId,
      email: `${role}@${name}.example`,
      name: `${name} ${role}`,
      role,
    }),
  })
  return { agencyId, worker: await staff('social-worker'), admin: await staff('agency-admin') }
}

async function addChild(db: Db, worker: Staff, firstName: string): Promise<string> {
  const added = await childrenService(db).add(worker, childDetailsFor({ firstName }), 'test')
  if (added.outcome !== 'added') throw new Error('child not added')
  return added.child.id
}

describe('audit log queries', () => {
  let handle: DatabaseHandle
  let north: Awaited<ReturnType<typeof agencyWithStaff>>
  let south: Awaited<ReturnType<typeof agencyWithStaff>>

  before(async () => {
    handle = await testDatabase()
    north = await agencyWithStaff(handle.db, 'north')
    south = await agencyWithStaff(handle.db, 'south')
  })
  after(() => handle.close())

  test('pages of 50, newest first, by keyset: no event twice, none missed, none of another agency', async () => {
    const service = auditService(handle.db)
    for (let index = 0; index < 130; index++) {
      const agency = index % 3 === 0 ? south : north
      await recordAudit(handle.db, {
        what: 'child-viewed',
        who: agency.worker.userId,
        agencyId: agency.agencyId,
        subjectType: 'child',
        subjectId: `paging-${index}`,
      })
    }
    const filter = { action: 'child-viewed' }
    const seen: number[] = []
    let page = await service.events(north.admin, filter, null)
    assert.equal(page.newer, null, 'the first page has nothing newer')
    seen.push(...page.events.map((event) => event.seq))
    while (page.older !== null) {
      page = await service.events(north.admin, filter, { before: page.older })
      seen.push(...page.events.map((event) => event.seq))
    }
    const expected = await handle.db
      .selectFrom('audit_events')
      .select('seq')
      .where('agency_id', '=', north.agencyId)
      .where('what', '=', 'child-viewed')
      .orderBy('seq', 'desc')
      .execute()
    assert.equal(expected.length, 86)
    assert.deepEqual(
      seen,
      expected.map((row) => row.seq),
    )

    // And back again from the last page, to the first.
    assert.ok(page.newer !== null)
    const back = await service.events(north.admin, filter, { after: page.newer })
    assert.deepEqual(
      back.events.map((event) => event.seq),
      seen.slice(0, PAGE_SIZE),
    )
    assert.deepEqual([back.newer, back.older], [null, seen[PAGE_SIZE - 1]])
  })

  test('filters by person, child and action; names come with the events', async () => {
    const service = auditService(handle.db)
    const ada = await addChild(handle.db, north.worker, 'Ada')
    const other = await addChild(handle.db, north.worker, 'Other')
    await childrenService(handle.db).view(north.worker, ada, 'test')
    await childrenService(handle.db).view(north.worker, other, 'test')

    const aboutAda = await service.events(north.admin, { child: ada }, null)
    assert.deepEqual(
      aboutAda.events.map((event) => event.what),
      ['child-viewed', 'child-added'],
    )
    assert.deepEqual(aboutAda.names.children.get(ada), { firstName: 'Ada', lastName: 'Hartley' })
    assert.equal(aboutAda.names.people.get(north.worker.userId)?.name, 'north social-worker')

    const added = await service.events(
      north.admin,
      { action: 'child-added', person: north.worker.userId },
      null,
    )
    assert.equal(added.events.length, 2)
    const nobody = await service.events(north.admin, { person: south.worker.userId }, null)
    assert.equal(nobody.events.length, 0, 'another agency’s person has no events here')
    assert.equal((await service.events(south.admin, { child: ada }, null)).events.length, 0)
  })

  test('who has seen a record: views, changes, first and last seen, each day', async () => {
    const service = auditService(handle.db)
    const ben = await addChild(handle.db, north.worker, 'Ben')
    const children = childrenService(handle.db)
    await children.view(north.worker, ben, 'test')
    await children.view(north.worker, ben, 'test')
    await service.exported(north.admin, ben, 1, 'test')

    const access = await service.recordAccess(north.admin, ben)
    assert.ok(access)
    assert.equal(access.child.firstName, 'Ben')
    assert.equal(access.people.length, 1, 'downloading the list is not seeing the record')
    const [person] = access.people
    assert.equal(person?.name, 'north social-worker')
    assert.equal(person?.agencyName, 'north')
    assert.deepEqual([person?.views, person?.changes], [2, 1])
    assert.ok(person && person.firstSeen <= person.lastSeen)
    assert.equal(person?.days.length, 1)
    assert.match(person?.days[0] ?? '', /^\d{4}-\d{2}-\d{2}$/)

    assert.equal(await service.recordAccess(south.admin, ben), null, 'another agency’s child is not found')
    assert.equal(await service.recordAccess(north.admin, 'not-a-uuid'), null)
  })
})

describe('audit log dates', () => {
  let handle: DatabaseHandle
  let agency: Awaited<ReturnType<typeof agencyWithStaff>>

  // Events at chosen times go straight into the table (recordAudit stamps them now); this test's log
  // is not a hash chain, and its times rise with seq as the real log's do.
  async function eventAt(iso: string, what = 'child-viewed') {
    await handle.db
      .insertInto('audit_events')
      .values({
        what,
        who: agency.worker.userId,
        agency_id: agency.agencyId,
        when: new Date(iso),
        details: '{}',
        previous_hash: 'test',
        hash: 'test',
      })
      .execute()
  }

  before(async () => {
    handle = await testDatabase()
    agency = await agencyWithStaff(handle.db, 'dates')
  })
  after(() => handle.close())

  test('dates are English calendar days, found without reading every event', async () => {
    const service = auditService(handle.db)
    const times = [
      '2030-05-31T12:00:00Z',
      // 23:30 UTC on 1 June is 00:30 on 2 June in London (summer time).
      '2030-06-01T22:59:59Z',
      '2030-06-01T23:30:00Z',
      '2030-06-02T12:00:00Z',
      '2030-06-03T08:00:00Z',
      // In winter London keeps UTC: 23:30 on 3 December is still 3 December there.
      '2030-12-03T23:30:00Z',
      '2030-12-04T00:00:00Z',
    ]
    for (const [index, time] of times.entries()) {
      await eventAt(time)
      // A rolled-back event leaves a gap in seq, as in the real log.
      if (index === 2)
        await assert.rejects(
          handle.db.transaction().execute(async (trx) => {
            await trx
              .insertInto('audit_events')
              .values({
                what: 'gap',
                who: null,
                when: new Date(time),
                details: '{}',
                previous_hash: '',
                hash: '',
              })
              .execute()
            throw new Error('rolled back')
          }),
        )
    }
    const whenOf = async (from?: string, to?: string) =>
      (await service.events(agency.admin, { from, to, action: 'child-viewed' }, null)).events
        .map((event) => event.when.toISOString().slice(0, 19))
        .reverse()
    assert.deepEqual(await whenOf('2030-06-02', '2030-06-02'), ['2030-06-01T23:30:00', '2030-06-02T12:00:00'])
    assert.deepEqual(await whenOf(undefined, '2030-06-01'), ['2030-05-31T12:00:00', '2030-06-01T22:59:59'])
    assert.deepEqual(await whenOf('2030-12-04'), ['2030-12-04T00:00:00'])
    assert.deepEqual(await whenOf('2030-12-03', '2030-12-03'), ['2030-12-03T23:30:00'])
    assert.deepEqual(await whenOf('2031-01-01'), [])
    assert.deepEqual(await whenOf('2020-01-01', '2020-12-31'), [])
    assert.equal((await whenOf('2020-01-01')).length, times.length)
  })

  test('each day someone saw a record is an English calendar day', async () => {
    const child = await addChild(handle.db, agency.worker, 'Cara')
    const service = auditService(handle.db)
    for (const time of ['2031-07-01T23:30:00Z', '2031-07-02T10:00:00Z', '2031-07-04T09:00:00Z']) {
      await handle.db
        .insertInto('audit_events')
        .values({
          what: 'child-viewed',
          who: agency.worker.userId,
          agency_id: agency.agencyId,
          when: new Date(time),
          subject_type: 'child',
          subject_id: child,
          details: '{}',
          previous_hash: 'test',
          hash: 'test',
        })
        .execute()
    }
    const access = await service.recordAccess(agency.admin, child)
    const person = access?.people[0]
    assert.deepEqual(
      person?.days,
      [
        new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London' }).format(new Date()),
        '2031-07-02',
        '2031-07-04',
      ].sort(),
    )
    assert.deepEqual([person?.views, person?.changes], [3, 1])
  })
})
