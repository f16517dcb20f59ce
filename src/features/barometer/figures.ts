import { type QueryCreator, sql } from 'kysely'
import type { Database } from '../../db/schema.ts'

// The figures Adoption UK's Barometer asks adopters about (domain.md, "Why it matters"), per plan,
// worked out from what the service recorded as it happened — the plan's moves, the adopters' comments,
// views and first reading, the planning meetings, the versions and the placement date — and never
// from a flag someone sets. One query gives every plan of an agency (issue 5, acceptance 6); the
// totals are the same query, counted.
//
// - Shared before panel: the plan went to the adopters before it first went to panel (unknown
//   until it has been to panel).
// - Involved: the adopters commented, wrote their views, or a planning meeting was recorded.
// - First shared, first read: the first move to "with the adopters", and the first time one of the
//   family's adopters opened the plan (from the audit of views).
// - A written plan at placement: a version of the plan, agreed or later, was taken on or before the
//   day of placement — when it was recorded, not the date typed, as a date can be typed in later
//   (unknown until the child is placed).
// - Read before placement: one of the adopters had opened the plan by the day of placement.

const AGREED_OR_LATER = ['agreed', 'order-made', 'post-order', 'closed']

/** A timestamp as the day it was in England, to compare with dates such as the placement. */
const dayInEngland = (column: string) => sql`(${sql.ref(column)} at time zone 'Europe/London')::date`

/** What was recorded of each plan of the agency. */
function facts(db: QueryCreator<Database>, agencyId: string) {
  return db
    .selectFrom('plans as p')
    .innerJoin('children as c', 'c.id', 'p.child_id')
    .leftJoin('matches as m', (join) =>
      join
        .onRef('m.child_id', '=', 'p.child_id')
        .onRef('m.family_id', '=', 'p.family_id')
        .on('m.ended_at', 'is', null),
    )
    .where('p.agency_id', '=', agencyId)
    .select((eb) => [
      'p.id as planId',
      'p.status',
      'c.first_name as firstName',
      'c.last_name as lastName',
      'm.placed_on as placedOn',
      eb
        .selectFrom('plan_transitions as t')
        .select((inner) => inner.fn.min('t.made_at').as('at'))
        .whereRef('t.plan_id', '=', 'p.id')
        .where('t.to_status', '=', 'with-adopters')
        .as('firstSharedAt'),
      eb
        .selectFrom('plan_transitions as t')
        .select((inner) => inner.fn.min('t.made_at').as('at'))
        .whereRef('t.plan_id', '=', 'p.id')
        .where('t.to_status', '=', 'at-panel')
        .as('firstPanelAt'),
      eb
        .selectFrom('audit_events as e')
        .select((inner) => inner.fn.min('e.when').as('at'))
        .where('e.subject_type', '=', 'child')
        .where(sql<boolean>`e.subject_id = p.child_id::text`)
        .where('e.what', '=', 'plan-viewed')
        .where(sql<boolean>`e.details->>'planId' = p.id::text`)
        .where('e.who', 'in', (inner) =>
          inner.selectFrom('adopters as a').select('a.user_id').whereRef('a.family_id', '=', 'p.family_id'),
        )
        .as('firstReadAt'),
      eb
        .selectFrom('plan_versions as v')
        .select((inner) => inner.fn.min('v.taken_at').as('at'))
        .whereRef('v.plan_id', '=', 'p.id')
        .where(sql<string>`v.content->>'status'`, 'in', AGREED_OR_LATER)
        .as('firstAgreedVersionAt'),
      eb
        .exists(eb.selectFrom('plan_comments as pc').select('pc.id').whereRef('pc.plan_id', '=', 'p.id'))
        .$castTo<boolean>()
        .as('commented'),
      eb
        .exists(eb.selectFrom('plan_adopter_views as pv').select('pv.id').whereRef('pv.plan_id', '=', 'p.id'))
        .$castTo<boolean>()
        .as('gaveViews'),
      eb
        .exists(eb.selectFrom('plan_meetings as pm').select('pm.id').whereRef('pm.plan_id', '=', 'p.id'))
        .$castTo<boolean>()
        .as('met'),
    ])
}

/** Every plan of the agency with its Barometer figures: one query. Null means "not known yet". */
export function barometerFigures(db: QueryCreator<Database>, agencyId: string) {
  return db
    .with('facts', (creator) => facts(creator, agencyId))
    .selectFrom('facts')
    .selectAll('facts')
    .select([
      sql<boolean | null>`case when ${sql.ref('firstPanelAt')} is null then null
        else coalesce(${sql.ref('firstSharedAt')} < ${sql.ref('firstPanelAt')}, false) end`.as(
        'sharedBeforePanel',
      ),
      sql<boolean>`${sql.ref('commented')} or ${sql.ref('gaveViews')} or ${sql.ref('met')}`.as('involved'),
      sql<boolean | null>`case when ${sql.ref('placedOn')} is null then null
        else coalesce(${dayInEngland('firstAgreedVersionAt')} <= ${sql.ref('placedOn')}, false) end`.as(
        'writtenPlanAtPlacement',
      ),
      sql<boolean | null>`case when ${sql.ref('placedOn')} is null then null
        else coalesce(${dayInEngland('firstReadAt')} <= ${sql.ref('placedOn')}, false) end`.as(
        'readBeforePlacement',
      ),
    ])
}

export type BarometerRow = Awaited<ReturnType<ReturnType<typeof barometerFigures>['execute']>>[number]

/** The agency's totals: the same figures, counted. */
export function barometerTotals(db: QueryCreator<Database>, agencyId: string) {
  return db
    .selectFrom(barometerFigures(db, agencyId).as('f'))
    .select((eb) => [
      eb.fn.countAll<number>().as('plans'),
      eb.fn.countAll<number>().filterWhere('f.firstPanelAt', 'is not', null).as('wentToPanel'),
      eb.fn.countAll<number>().filterWhere('f.sharedBeforePanel', '=', true).as('sharedBeforePanel'),
      eb.fn.countAll<number>().filterWhere('f.involved', '=', true).as('involved'),
      eb.fn.countAll<number>().filterWhere('f.firstReadAt', 'is not', null).as('read'),
      eb.fn.countAll<number>().filterWhere('f.placedOn', 'is not', null).as('placed'),
      eb.fn
        .countAll<number>()
        .filterWhere('f.writtenPlanAtPlacement', '=', true)
        .as('writtenPlanAtPlacement'),
      eb.fn.countAll<number>().filterWhere('f.readBeforePlacement', '=', false).as('notReadBeforePlacement'),
    ])
}
