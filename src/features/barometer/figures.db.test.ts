import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { childDetailsFor } from '../../../test/support/children.ts'
import { testDatabase } from '../../../test/support/database.ts'
import type { DatabaseHandle } from '../../db/database.ts'
import { ADOPTER_ROLE } from '../../platform/roles.ts'
import { accounts, insertUser } from '../accounts/service.ts'
import { childrenService } from '../children/service.ts'
import { familiesService } from '../families/service.ts'
import { plansService } from '../plans/service.ts'
import { type BarometerRow, barometerFigures, barometerTotals } from './figures.ts'

// The Barometer's figures from one query (issue 5, acceptance 6), on plans built to answer each
// question one way or the other: what happened, and when, is set on each plan as the service would
// have recorded it. Runs on PGlite and PostgreSQL.

type Staff = { kind: 'staff'; userId: string; agencyId: string; role: 'social-worker' }

describe('the Barometer figures', () => {
  let handle: DatabaseHandle
  let agencyId: string
  let worker: Staff
  const plan: Record<string, { planId: string; childId: string; adopterUserId: string }> = {}

  const db = () => handle.db
  const at = (iso: string) => new Date(iso)

  async function move(planId: string, from: string, to: string, madeAt: string) {
    await db()
      .insertInto('plan_transitions')
      .values({
        plan_id: planId,
        from_status: from,
        to_status: to,
        on_date: null,
        note: null,
        version_number: 1,
        made_by: worker.userId,
        made_at: at(madeAt),
      })
      .execute()
    await db().updateTable('plans').set({ status: to }).where('id', '=', planId).execute()
  }

  let versionNumber = 0
  async function version(planId: string, status: string, takenAt: string) {
    await db()
      .insertInto('plan_versions')
      .values({
        plan_id: planId,
        number: ++versionNumber,
        reason: 'test',
        content: JSON.stringify({ status, sections: {} }),
        content_hash: `hash-${versionNumber}`,
        taken_by: worker.userId,
        taken_at: at(takenAt),
      })
      .execute()
  }

  /** A view of the plan on a chosen day, as the audit records every one (who, what, the plan). */
  async function viewed(key: string, who: string, when: string) {
    const { planId, childId } = plan[key] as { planId: string; childId: string }
    await db()
      .insertInto('audit_events')
      .values({
        what: 'plan-viewed',
        who,
        agency_id: agencyId,
        when: at(when),
        subject_type: 'child',
        subject_id: childId,
        correlation_id: 'test',
        details: JSON.stringify({ planId }),
        previous_hash: 'test',
        hash: 'test',
      })
      .execute()
  }

  const placed = (key: string, on: string) =>
    db()
      .updateTable('matches')
      .set({ placed_on: on })
      .where('child_id', '=', plan[key]?.childId as string)
      .execute()

  async function planFor(key: string, firstName: string, agency: string, by: Staff) {
    const children = childrenService(db())
    const families = familiesService(db())
    const added = await children.add(by, childDetailsFor({ firstName, lastName: 'Barometer' }), 'test')
    if (added.outcome !== 'added') throw new Error('child not added')
    const familyId = await families.add(
      by,
      {
        approvingAgencyId: agency,
        adopters: [
          { firstName: `${firstName}’s`, lastName: 'Adopter', dateOfBirth: '1980-01-01', email: null },
        ],
      },
      'test',
    )
    await families.match(by, familyId, added.child.id, 'test')
    const created = await plansService(db()).create(by, added.child.id, 'test')
    if (created.outcome !== 'created') throw new Error('plan not created')
    const adopterUserId = await insertUser(db(), {
      agencyId: agency,
      email: `${key}@home.example`,
      name: `${firstName}’s adopter`,
      role: ADOPTER_ROLE,
      passwordHash: null,
      totpSecret: null,
    })
    await db()
      .updateTable('adopters')
      .set({ user_id: adopterUserId })
      .where('family_id', '=', familyId)
      .execute()
    plan[key] = { planId: created.planId, childId: added.child.id, adopterUserId }
  }

  before(async () => {
    handle = await testDatabase()
    const people = accounts(db())
    agencyId = await people.addAgency({ name: 'Barometer RAA', kind: 'raa' })
    const elsewhere = await people.addAgency({ name: 'Another RAA', kind: 'raa' })
    const staff = async (agency: string, email: string): Promise<Staff> => ({
      kind: 'staff',
      agencyId: agency,
      role: 'social-worker',
      userId: await people.addUser({ agencyId: agency, email, name: 'Worker', role: 'social-worker' }),
    })
    worker = await staff(agencyId, 'worker@barometer.example')
    const otherWorker = await staff(elsewhere, 'worker@elsewhere.example')
    await planFor('amy', 'Amy', agencyId, worker)
    await planFor('ben', 'Ben', agencyId, worker)
    await planFor('cal', 'Cal', agencyId, worker)
    await planFor('dee', 'Dee', agencyId, worker)
    await planFor('eve', 'Eve', elsewhere, otherWorker)
    const id = (key: string) => plan[key]?.planId as string

    // Amy: shared, read and commented on before panel; agreed before placement.
    await move(id('amy'), 'draft', 'with-adopters', '2026-01-05T10:00:00Z')
    await viewed('amy', worker.userId, '2026-01-02T09:00:00Z')
    await viewed('amy', plan.amy?.adopterUserId as string, '2026-01-06T19:00:00Z')
    await db()
      .insertInto('plan_comments')
      .values({
        plan_id: id('amy'),
        section: 'child',
        section_version: 1,
        body: 'A question',
        written_by: plan.amy?.adopterUserId as string,
      })
      .execute()
    await move(id('amy'), 'with-adopters', 'at-panel', '2026-02-01T10:00:00Z')
    await version(id('amy'), 'at-panel', '2026-02-01T10:00:00Z')
    await version(id('amy'), 'agreed', '2026-03-01T12:00:00Z')
    await placed('amy', '2026-03-10')

    // Ben: straight to panel; a planning meeting, never read; the agreed version was taken at
    // 00:30 on 10 June in England (23:30 on 9 June by the clock of the world), after the placement on 9 June.
    await move(id('ben'), 'draft', 'at-panel', '2026-02-01T10:00:00Z')
    await db()
      .insertInto('plan_meetings')
      .values({
        plan_id: id('ben'),
        held_on: '2026-01-20',
        attended: 'Ben’s adopter',
        support_service: 'Adoption support team',
        agreed: 'Therapy',
        recorded_by: worker.userId,
      })
      .execute()
    await version(id('ben'), 'agreed', '2026-06-09T23:30:00Z')
    await placed('ben', '2026-06-09')

    // Cal: still in draft; another family's adopter reading it is not Cal's adopters reading it.
    await viewed('cal', plan.dee?.adopterUserId as string, '2026-01-07T10:00:00Z')

    // Dee: to panel, back to draft, then shared: not before panel. The adopters gave their views.
    await move(id('dee'), 'draft', 'at-panel', '2026-01-10T10:00:00Z')
    await move(id('dee'), 'at-panel', 'draft', '2026-01-12T10:00:00Z')
    await move(id('dee'), 'draft', 'with-adopters', '2026-01-15T10:00:00Z')
    await db()
      .insertInto('plan_adopter_views')
      .values({ plan_id: id('dee'), views: 'Our views', written_by: plan.dee?.adopterUserId as string })
      .execute()

    // Eve, in another agency, was shared before panel: she must not count here.
    await move(id('eve'), 'draft', 'with-adopters', '2026-01-05T10:00:00Z')
    await move(id('eve'), 'with-adopters', 'at-panel', '2026-02-01T10:00:00Z')
  })
  after(() => handle.close())

  const rowOf = (rows: BarometerRow[], key: string) => {
    const row = rows.find((candidate) => candidate.planId === plan[key]?.planId)
    assert.ok(row, `a row for ${key}`)
    return row
  }

  test('one query gives every plan of the agency, and only of that agency', async () => {
    const rows = await barometerFigures(db(), agencyId).orderBy('firstName').execute()
    assert.deepEqual(
      rows.map((row) => row.firstName),
      ['Amy', 'Ben', 'Cal', 'Dee'],
    )
  })

  test('each plan’s figures follow from what was recorded', async () => {
    const rows = await barometerFigures(db(), agencyId).execute()
    const figures = (key: string) => {
      const row = rowOf(rows, key)
      return {
        sharedBeforePanel: row.sharedBeforePanel,
        involved: row.involved,
        commented: row.commented,
        gaveViews: row.gaveViews,
        met: row.met,
        firstSharedAt: row.firstSharedAt?.toISOString() ?? null,
        firstReadAt: row.firstReadAt?.toISOString() ?? null,
        placedOn: row.placedOn,
        writtenPlanAtPlacement: row.writtenPlanAtPlacement,
        readBeforePlacement: row.readBeforePlacement,
      }
    }
    assert.deepEqual(figures('amy'), {
      sharedBeforePanel: true,
      involved: true,
      commented: true,
      gaveViews: false,
      met: false,
      firstSharedAt: '2026-01-05T10:00:00.000Z',
      firstReadAt: '2026-01-06T19:00:00.000Z',
      placedOn: '2026-03-10',
      writtenPlanAtPlacement: true,
      readBeforePlacement: true,
    })
    assert.deepEqual(figures('ben'), {
      sharedBeforePanel: false,
      involved: true,
      commented: false,
      gaveViews: false,
      met: true,
      firstSharedAt: null,
      firstReadAt: null,
      placedOn: '2026-06-09',
      writtenPlanAtPlacement: false,
      readBeforePlacement: false,
    })
    assert.deepEqual(figures('cal'), {
      sharedBeforePanel: null,
      involved: false,
      commented: false,
      gaveViews: false,
      met: false,
      firstSharedAt: null,
      firstReadAt: null,
      placedOn: null,
      writtenPlanAtPlacement: null,
      readBeforePlacement: null,
    })
    assert.deepEqual(figures('dee'), {
      sharedBeforePanel: false,
      involved: true,
      commented: false,
      gaveViews: true,
      met: false,
      firstSharedAt: '2026-01-15T10:00:00.000Z',
      firstReadAt: null,
      placedOn: null,
      writtenPlanAtPlacement: null,
      readBeforePlacement: null,
    })
  })

  test('the agency’s totals count the same figures', async () => {
    const totals = await barometerTotals(db(), agencyId).executeTakeFirstOrThrow()
    assert.deepEqual(Object.fromEntries(Object.entries(totals).map(([key, value]) => [key, Number(value)])), {
      plans: 4,
      wentToPanel: 3,
      sharedBeforePanel: 1,
      involved: 3,
      read: 1,
      placed: 2,
      writtenPlanAtPlacement: 1,
      notReadBeforePlacement: 1,
    })
  })
})
