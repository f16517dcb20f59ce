import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { sql } from 'kysely'
import { testDatabase } from '../../../test/support/database.ts'
import type { DatabaseHandle } from '../../db/database.ts'
import { hintPlace } from '../../plan/guidance.ts'
import type { Actor } from '../../platform/policy.ts'
import type { StaffRole } from '../../platform/roles.ts'
import { accounts } from '../accounts/service.ts'
import { type GuidanceService, guidanceService } from './service.ts'

// The agency's own wording of the plan's hints: over the defaults, for its own plans only, checked,
// put back to the default, and every change audited. Runs on PGlite and PostgreSQL.

type Staff = Actor & { kind: 'staff' }

const WHO = 'child.whoTheyAre'
const defaultOf = (path: string) => hintPlace(path)?.defaultHint as string

describe('guidance', () => {
  let handle: DatabaseHandle
  let guidance: GuidanceService
  let manager: Staff
  let admin: Staff
  let worker: Staff
  let otherAgency: string

  const auditOf = (path: string) =>
    handle.db
      .selectFrom('audit_events')
      .select(['what', 'who', 'agency_id', 'details'])
      .where('subject_type', '=', 'guidance')
      .where('subject_id', '=', path)
      .orderBy('seq')
      .execute()

  before(async () => {
    handle = await testDatabase()
    const people = accounts(handle.db)
    const agencyId = await people.addAgency({ name: 'Guidance RAA', kind: 'raa' })
    otherAgency = await people.addAgency({ name: 'Other RAA', kind: 'raa' })
    const staff = async (role: StaffRole): Promise<Staff> => ({
      kind: 'staff',
      agencyId,
      role,
      userId: await people.addUser({ agencyId, email: `${role}@guidance.example`, name: role, role }),
    })
    manager = await staff('team-manager')
    admin = await staff('agency-admin')
    worker = await staff('social-worker')
    guidance = guidanceService(handle.db)
  })
  after(() => handle.close())

  test('an agency that wrote nothing sees the defaults, and no hint where there is none', async () => {
    const hints = await guidance.hintsFor(manager.agencyId)
    assert.equal(hints[WHO], defaultOf(WHO))
    assert.equal(hints['child.needs'], defaultOf('child.needs'))
    assert.equal(hints['adopters.needs.description'], defaultOf('adopters.needs.description'))
    assert.equal('child.ehcp' in hints, false)
  })

  test('a team manager’s wording replaces the default for the agency only, and is audited', async () => {
    const saved = await guidance.change(
      manager,
      WHO,
      '  What the child enjoys,\n\n and what our   life story team knows.  ',
      'guidance-test',
    )
    assert.deepEqual(saved, { outcome: 'saved' })
    const wording = 'What the child enjoys, and what our life story team knows.'
    assert.equal((await guidance.hintsFor(manager.agencyId))[WHO], wording)
    assert.equal((await guidance.hintsFor(otherAgency))[WHO], defaultOf(WHO), 'other agencies keep theirs')
    const place = await guidance.place(admin, WHO)
    assert.equal(place?.hint, wording)
    assert.equal(place?.own, true)
    const events = await auditOf(WHO)
    assert.equal(events.length, 1)
    assert.deepEqual(events[0], {
      what: 'guidance-changed',
      who: manager.userId,
      agency_id: manager.agencyId,
      details: { before: null, after: wording },
    })
  })

  test('blank and over-long wording is refused and nothing is stored', async () => {
    assert.deepEqual(await guidance.change(admin, 'child.health', ' \n\t ', 'guidance-test'), {
      outcome: 'invalid',
      error: 'Enter the hint, or choose to use the default wording',
    })
    assert.deepEqual(await guidance.change(admin, 'child.health', 'x'.repeat(501), 'guidance-test'), {
      outcome: 'invalid',
      error: 'The hint must be 500 characters or fewer',
    })
    const place = await guidance.place(admin, 'child.health')
    assert.equal(place?.own, false)
    assert.deepEqual(await auditOf('child.health'), [])
    await assert.rejects(
      sql`insert into guidance (agency_id, path, hint) values (${admin.agencyId}, 'child.health', '  ')`.execute(
        handle.db,
      ),
      'the database refuses a blank hint too',
    )
  })

  test('unknown places, and people who may not edit, find nothing', async () => {
    assert.deepEqual(await guidance.change(manager, 'child.nothing', 'Text', 'guidance-test'), {
      outcome: 'not-found',
    })
    assert.equal(await guidance.place(manager, 'child'), null)
    assert.deepEqual(await guidance.change(worker, 'child.health', 'Text', 'guidance-test'), {
      outcome: 'not-found',
    })
    assert.deepEqual(await guidance.useDefault(worker, WHO, 'guidance-test'), { outcome: 'not-found' })
    assert.equal(await guidance.place(worker, WHO), null)
  })

  test('a place with no default can be given a hint; the default’s own words are the default', async () => {
    await guidance.change(manager, 'child.needs.funding', 'Ask the ASGSF lead before choosing.', 'test')
    assert.equal(
      (await guidance.hintsFor(manager.agencyId))['child.needs.funding'],
      'Ask the ASGSF lead before choosing.',
    )
    assert.equal(
      (await guidance.hintsFor(manager.agencyId))['adopters.needs.funding'],
      undefined,
      'the same list in another section has its own hint',
    )
    await guidance.change(manager, 'child.health', defaultOf('child.health'), 'guidance-test')
    assert.equal((await guidance.place(manager, 'child.health'))?.own, false)
    assert.deepEqual(await auditOf('child.health'), [], 'nothing changed, nothing recorded')
  })

  test('using the default wording again removes the agency’s own, once', async () => {
    assert.deepEqual(await guidance.useDefault(admin, WHO, 'guidance-test'), { outcome: 'saved' })
    await guidance.useDefault(admin, WHO, 'guidance-test')
    assert.equal((await guidance.hintsFor(admin.agencyId))[WHO], defaultOf(WHO))
    const list = await guidance.list(admin)
    assert.equal(list.find((place) => place.path === WHO)?.own, false)
    assert.equal(list.find((place) => place.path === 'child.needs.funding')?.own, true)
    const events = await auditOf(WHO)
    assert.equal(events.length, 2, 'the second, which changed nothing, is not recorded')
    assert.deepEqual(events[1]?.details, {
      before: 'What the child enjoys, and what our life story team knows.',
      after: null,
    })
    assert.equal(events[1]?.who, admin.userId)
  })
})
