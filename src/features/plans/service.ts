import { type Compilable, sql, type Transaction } from 'kysely'
import { z } from 'zod'
import type { Db } from '../../db/database.ts'
import { fixedQuery } from '../../db/prepared.ts'
import type { Database, FieldChange } from '../../db/schema.ts'
import {
  type Answers,
  missingForCompletion,
  type SectionContent,
  type SectionStatus,
  sectionStatus,
} from '../../plan/answers.ts'
import { type Conflict, diffFields, flattenSection, mergeAnswers } from '../../plan/changes.ts'
import {
  type ListDefinition,
  PLAN,
  type Question,
  type SectionDefinition,
  type SectionKey,
  sectionDefinition,
} from '../../plan/definition.ts'
import { type PlanSnapshot, snapshotHash } from '../../plan/versions.ts'
import { recordAudit } from '../../platform/audit.ts'
import { type Action, type Actor, can, type Resource } from '../../platform/policy.ts'
import { type Reads, type Ref, readColumns, readResults } from '../../platform/reads.ts'
import { accessFactColumns, accessFactsOf, childAccessFacts } from '../children/service.ts'
import { snapshotReviews } from '../reviews/records.ts'
import {
  insertItem,
  memberNamesFrom,
  type Owner,
  type PlanKey,
  readSection,
  removeItem,
  sectionFrom,
  sectionTextColumn,
  shapeColumns,
  shapesFrom,
  updateItem,
  writeAnswers,
} from './content.ts'
import { recordPlanEvent } from './events.ts'

// Plans: one per child (a sibling group's plans are made together), five sections that each carry
// a version, every save recorded field by field, numbered versions that never change. A save on a
// stale version merges what does not collide and hands back what does: nobody's typing is lost.

type Executor = Db | Transaction<Database>
type Person = Actor & { kind: 'staff' | 'adopter' }

export type PlanHeader = {
  id: string
  agencyId: string
  childId: string
  familyId: string | null
  status: string
  dateAgreed: string | null
  child: { firstName: string; lastName: string; dateOfBirth: string; siblingGroupId: string | null }
}

export type SectionState = {
  key: SectionKey
  version: number
  completed: boolean
  status: SectionStatus
  content: SectionContent
}

export type SaveOutcome =
  | { outcome: 'saved'; version: number }
  /** `answers`: the merge to show again, this person's text where both changed. */
  | { outcome: 'conflict'; version: number; conflicts: Conflict[]; changedBy: string[]; answers: Answers }
  | { outcome: 'not-found' }

const isUuid = (value: string) => z.uuid().safeParse(value).success

const planKey = (plan: PlanHeader): PlanKey => ({
  id: plan.id,
  agencyId: plan.agencyId,
  siblingGroupId: plan.child.siblingGroupId,
})

function headerQuery(executor: Executor, planId: string) {
  return executor
    .selectFrom('plans')
    .innerJoin('children', 'children.id', 'plans.child_id')
    .select([
      'plans.id',
      'plans.agency_id',
      'plans.child_id',
      'plans.family_id',
      'plans.status',
      'plans.date_agreed',
      'children.first_name',
      'children.last_name',
      'children.date_of_birth',
      'children.sibling_group_id',
    ])
    .where('plans.id', '=', planId)
}

type HeaderRow = Awaited<ReturnType<ReturnType<typeof headerQuery>['executeTakeFirstOrThrow']>>

function headerOf(row: HeaderRow): PlanHeader {
  return {
    id: row.id,
    agencyId: row.agency_id,
    childId: row.child_id,
    familyId: row.family_id,
    status: row.status,
    dateAgreed: row.date_agreed,
    child: {
      firstName: row.first_name,
      lastName: row.last_name,
      dateOfBirth: row.date_of_birth,
      siblingGroupId: row.sibling_group_id,
    },
  }
}

export async function findPlan(executor: Executor, planId: string): Promise<PlanHeader | null> {
  if (!isUuid(planId)) return null
  const row = await headerQuery(executor, planId).executeTakeFirst()
  return row ? headerOf(row) : null
}

/**
 * A plan's ids, as values or as columns of the query that reads the plan: what a read about a plan
 * (src/platform/reads.ts) starts from, so that a page's reads can come with the plan in one query.
 * Such a read names the tables `plans` and `children` only under another name (`plans as placed`):
 * as they are, they would hide the enclosing query's, and `plans.id` would be any plan's.
 */
export type PlanIds = {
  id: Ref<string>
  childId: Ref<string>
  agencyId: Ref<string>
  familyId: Ref<string | null>
}

export const planIdsOf = (plan: PlanHeader): PlanIds => ({
  id: plan.id,
  childId: plan.childId,
  agencyId: plan.agencyId,
  familyId: plan.familyId,
})

/** The plan's ids as columns of `headerQuery`. */
const planColumns: PlanIds = {
  id: sql.ref<string>('plans.id'),
  childId: sql.ref<string>('plans.child_id'),
  agencyId: sql.ref<string>('plans.agency_id'),
  familyId: sql.ref<string | null>('plans.family_id'),
}

/** A plan someone has been let through to, with the facts that let them (for the next check). */
export type ReachedPlan = PlanHeader & { access: Resource }

/** The plan and what the policy needs to know about it: what each of the queries below starts from. */
const planWithAccess = (executor: Executor, planId: string) =>
  headerQuery(executor, planId).select(accessFactColumns(sql.ref<string>('plans.child_id')))

type PlanRow = HeaderRow & Parameters<typeof accessFactsOf>[1]

function reachedOf(row: PlanRow): ReachedPlan {
  const plan = headerOf(row)
  return { ...plan, access: planResource(plan, accessFactsOf(plan.agencyId, row)) }
}

const reachQuery = fixedQuery<
  Awaited<ReturnType<ReturnType<typeof planWithAccess>['execute']>>[number],
  [string]
>(1, (db, planId) => planWithAccess(db, planId))

/** The plan and what the policy needs to know about it, in one query. */
async function findPlanWithAccess(executor: Executor, planId: string): Promise<ReachedPlan | null> {
  if (!isUuid(planId)) return null
  const [row] = await reachQuery(executor, planId)
  return row ? reachedOf(row) : null
}

/** The plan's own content, as columns of the query that reads the plan (see `headerQuery`). */
const ownerInQuery: Owner = {
  id: sql.ref<string>('plans.id'),
  siblingGroupId: sql.ref<string | null>('children.sibling_group_id'),
}

/** No reads besides the page's own (see below). */
const nothingMore = () => ({})

type Built<Row> = { asked: Reads; query: (executor: Executor, planId: string) => Promise<Row[]> }

/**
 * The query for each set of reads a page asks for with the plan (a page's own, defined once) and
 * each variant of it (a section): built, compiled and prepared once (src/db/prepared.ts).
 */
function queryFor<Row>(
  cache: WeakMap<(plan: PlanIds) => Reads, Map<string, Built<Row>>>,
  reads: (plan: PlanIds) => Reads,
  variant: string,
  build: (db: Executor, planId: string, asked: Reads) => Compilable<Row>,
): Built<Row> {
  let variants = cache.get(reads)
  if (!variants) {
    variants = new Map()
    cache.set(reads, variants)
  }
  let built = variants.get(variant)
  if (!built) {
    const asked = reads(planColumns)
    built = { asked, query: fixedQuery<Row, [string]>(1, (db, planId) => build(db, planId, asked)) }
    variants.set(variant, built)
  }
  return built
}

const sectionQuery = (executor: Executor, planId: string, section: SectionDefinition, asked: Reads) =>
  planWithAccess(executor, planId)
    .select(sectionTextColumn(executor, ownerInQuery, section))
    .select(readColumns(asked))
type SectionRow = Awaited<ReturnType<ReturnType<typeof sectionQuery>['execute']>>[number]
const sectionQueries = new WeakMap<(plan: PlanIds) => Reads, Map<string, Built<SectionRow>>>()

/**
 * The plan, the policy's facts, one section's content, section 1's people by name and whatever
 * else the page reads about the plan, in one query: a section's pages ask for nothing else. The
 * content is shown only to those the facts let through.
 */
async function findPlanWithSection<R extends Reads>(
  executor: Executor,
  planId: string,
  section: SectionDefinition,
  reads: (plan: PlanIds) => R,
) {
  if (!isUuid(planId)) return null
  const { asked, query } = queryFor(sectionQueries, reads, section.key, (db, id, columns) =>
    sectionQuery(db, id, section, columns),
  )
  const [row] = await query(executor, planId)
  if (!row) return null
  const content = JSON.parse(row.section_text)
  return {
    plan: reachedOf(row),
    section: sectionFrom(section, content),
    memberNames: memberNamesFrom(content),
    contentText: row.section_text,
    read: readResults(asked as R, row),
  }
}

const shapesQuery = (executor: Executor, planId: string, asked: Reads) =>
  planWithAccess(executor, planId)
    .select(shapeColumns(executor, ownerInQuery, PLAN))
    .select(readColumns(asked))
type ShapesRow = Awaited<ReturnType<ReturnType<typeof shapesQuery>['execute']>>[number]
const shapesQueries = new WeakMap<(plan: PlanIds) => Reads, Map<string, Built<ShapesRow>>>()

/**
 * The plan, the policy's facts, every section's shape (answers, and the size of each list) and
 * whatever else the page reads about the plan, in one query.
 */
async function findPlanWithShapes<R extends Reads>(
  executor: Executor,
  planId: string,
  reads: (plan: PlanIds) => R,
) {
  if (!isUuid(planId)) return null
  const { asked, query } = queryFor(shapesQueries, reads, '', shapesQuery)
  const [row] = await query(executor, planId)
  if (!row) return null
  return { plan: reachedOf(row), shapes: shapesFrom(PLAN, row), read: readResults(asked as R, row) }
}

type VersionHeader = { number: number; reason: string; hash: string; takenAt: Date; takenBy: string | null }

const versionQuery = fixedQuery(2, (db, planId, number) =>
  planWithAccess(db, planId).select(
    sql<{ number: number; reason: string; hash: string; takenAt: string; takenBy: string | null } | null>`(
        select json_build_object('number', v.number, 'reason', v.reason, 'hash', v.content_hash,
          'takenAt', v.taken_at, 'takenBy', u.name)
        from plan_versions v left join users u on u.id = v.taken_by
        where v.plan_id = plans.id and v.number = ${number})`.as('version_header'),
  ),
)

/**
 * The plan, the policy's facts and one version's header (not its content), in one query: the
 * version page asks for nothing else when it has the version rendered already.
 */
async function findPlanWithVersion(
  executor: Executor,
  planId: string,
  number: number,
): Promise<(ReachedPlan & { version: VersionHeader | null }) | null> {
  if (!isUuid(planId)) return null
  const [row] = await versionQuery(executor, planId, number)
  if (!row) return null
  const header = row.version_header
  return {
    ...reachedOf(row),
    version: header ? { ...header, takenAt: new Date(header.takenAt) } : null,
  }
}

const planResource = (plan: PlanHeader, child: Resource): Resource => ({
  ...child,
  familyId: plan.familyId ?? undefined,
  planStatus: plan.status,
})

export async function planFacts(executor: Executor, plan: PlanHeader): Promise<Resource> {
  return planResource(plan, await childAccessFacts(executor, { id: plan.childId, agency_id: plan.agencyId }))
}

/** The family the child is matched with now, if any. */
async function matchedFamily(executor: Executor, childId: string): Promise<string | null> {
  const match = await executor
    .selectFrom('matches')
    .select('family_id')
    .where('child_id', '=', childId)
    .where('ended_at', 'is', null)
    .executeTakeFirst()
  return match?.family_id ?? null
}

/** Section 1's people by id, for "who provides it". */
async function memberNames(executor: Executor, planId: string): Promise<Map<string, string>> {
  const rows = await executor
    .selectFrom('plan_network_members')
    .select(['id', 'name'])
    .where('plan_id', '=', planId)
    .execute()
  return new Map(rows.map((row) => [row.id, row.name]))
}

function required(key: string): SectionDefinition {
  const section = sectionDefinition(key)
  if (!section) throw new Error(`There is no section ${key}`)
  return section
}

export function plansService(db: Db) {
  /** The plan, if the actor may take the action on it; otherwise nothing, as if it did not exist. */
  async function reach(
    actor: Actor,
    planId: string,
    action: Action,
    executor: Executor = db,
  ): Promise<ReachedPlan | null> {
    const plan = await findPlanWithAccess(executor, planId)
    return plan && can(actor, action, plan.access) ? plan : null
  }

  async function state(
    executor: Executor,
    plan: PlanHeader,
    section: SectionDefinition,
  ): Promise<SectionState> {
    const { content, version, completed } = await readSection(executor, planKey(plan), section)
    return {
      key: section.key,
      version,
      completed,
      status: sectionStatus(section, content, completed),
      content,
    }
  }

  /** The sections of the sibling group's other plans that show this plan's shared needs. */
  const siblingPlans = (trx: Transaction<Database>, plan: PlanHeader) => siblingPlansOf(trx, plan)

  /**
   * One save of one section, whatever it changes: locks the section, lets `apply` change it, then
   * records what changed, field by field, under the next version. `others` also changes for the
   * sibling plans that show a shared need.
   */
  async function commit(
    trx: Transaction<Database>,
    actor: Person,
    plan: PlanHeader,
    section: SectionDefinition,
    correlationId: string,
    apply: () => Promise<{ touchesSiblings?: boolean } | undefined>,
  ): Promise<number> {
    const names = await memberNames(trx, plan.id)
    const before = await readSection(trx, planKey(plan), section)
    const siblings = await siblingPlans(trx, plan)
    const siblingBefore = await Promise.all(
      siblings.map(async (sibling) => ({
        sibling,
        content: (await readSection(trx, planKey(sibling), section)).content,
      })),
    )
    const effect = await apply()
    const after = await readSection(trx, planKey(plan), section)
    const changes = diffFields(
      flattenSection(section, before.content, names),
      flattenSection(section, after.content, await memberNames(trx, plan.id)),
    )
    if (changes.length === 0) return before.version
    const version = await bump(trx, actor, plan, section.key, changes, correlationId)
    if (effect?.touchesSiblings) {
      for (const { sibling, content } of siblingBefore) {
        const now = await readSection(trx, planKey(sibling), section)
        const siblingNames = await memberNames(trx, sibling.id)
        const theirs = diffFields(
          flattenSection(section, content, siblingNames),
          flattenSection(section, now.content, siblingNames),
        )
        if (theirs.length > 0) await bump(trx, actor, sibling, section.key, theirs, correlationId)
      }
    }
    return version
  }

  async function bump(
    trx: Transaction<Database>,
    actor: Person,
    plan: PlanHeader,
    key: string,
    changes: FieldChange[],
    correlationId: string,
  ): Promise<number> {
    const row = await trx
      .updateTable('plan_sections')
      .set({ version: sql`version + 1`, updated_at: new Date(), updated_by: actor.userId })
      .where('plan_id', '=', plan.id)
      .where('key', '=', key)
      .returning('version')
      .executeTakeFirstOrThrow()
    const change = await trx
      .insertInto('plan_changes')
      .values({
        plan_id: plan.id,
        section: key,
        section_version: row.version,
        changed_by: actor.userId,
        correlation_id: correlationId,
        changes: JSON.stringify(changes),
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    await trx.updateTable('plans').set({ updated_at: new Date() }).where('id', '=', plan.id).execute()
    await recordAudit(trx, {
      what: 'plan-changed',
      who: actor.userId,
      agencyId: plan.agencyId,
      subjectType: 'child',
      subjectId: plan.childId,
      correlationId,
      details: {
        planId: plan.id,
        section: key,
        version: row.version,
        changeId: change.id,
        fields: changes.length,
      },
    })
    return row.version
  }

  /** Locks the section and answers its version now. */
  async function lock(trx: Transaction<Database>, planId: string, key: string): Promise<number> {
    const row = await trx
      .selectFrom('plan_sections')
      .select('version')
      .where('plan_id', '=', planId)
      .where('key', '=', key)
      .forUpdate()
      .executeTakeFirstOrThrow()
    return row.version
  }

  /**
   * The fields others changed after `since`, each with its text as it stood at `since` (the
   * "before" of the first change), and who they were: a field someone left as it was is theirs.
   */
  async function changedSince(
    trx: Transaction<Database>,
    planId: string,
    key: string,
    since: number,
    actor: Person,
  ) {
    const rows = await trx
      .selectFrom('plan_changes')
      .leftJoin('users', 'users.id', 'plan_changes.changed_by')
      .select(['plan_changes.changes', 'plan_changes.changed_by', 'users.name'])
      .where('plan_changes.plan_id', '=', planId)
      .where('plan_changes.section', '=', key)
      .where('plan_changes.section_version', '>', since)
      .orderBy('plan_changes.section_version')
      .execute()
    const baseText = new Map<string, string>()
    for (const row of rows) {
      for (const change of row.changes as FieldChange[]) {
        if (!baseText.has(change.path)) baseText.set(change.path, change.before)
      }
    }
    const others = rows.filter((row) => row.changed_by !== actor.userId)
    return { baseText, people: [...new Set(others.map((row) => row.name ?? 'Someone'))] }
  }

  /** A plan's versions with who took them; the content only where it is asked for. */
  function versionsOf(planId: string) {
    return db
      .selectFrom('plan_versions')
      .leftJoin('users', 'users.id', 'plan_versions.taken_by')
      .select([
        'plan_versions.number',
        'plan_versions.reason',
        'plan_versions.content_hash as hash',
        'plan_versions.taken_at as takenAt',
        'users.name as takenBy',
      ])
      .where('plan_versions.plan_id', '=', planId)
  }

  /** A plan read is a view of the child's record: audited, with the section when only one was read. */
  function auditView(actor: Person, plan: PlanHeader, correlationId: string, section?: string) {
    return recordAudit(db, {
      what: 'plan-viewed',
      who: actor.userId,
      agencyId: plan.agencyId,
      subjectType: 'child',
      subjectId: plan.childId,
      correlationId,
      details: section ? { planId: plan.id, section } : { planId: plan.id },
    })
  }

  /**
   * What to save from a page that showed `baseVersion`: the person's answers as they are when
   * nobody saved since; otherwise merged with the others' changes, or the fields both changed.
   */
  async function mergeStale(
    trx: Transaction<Database>,
    actor: Person,
    plan: PlanHeader,
    key: string,
    baseVersion: number,
    current: number,
    stale: { questions: Question[]; pathOf: (field: string) => string; mine: Answers; theirs: Answers },
  ): Promise<{ answers: Answers } | Extract<SaveOutcome, { outcome: 'conflict' }>> {
    if (current === baseVersion) return { answers: stale.mine }
    const others = await changedSince(trx, plan.id, key, baseVersion, actor)
    const merged = mergeAnswers({
      ...stale,
      baseText: others.baseText,
      names: await memberNames(trx, plan.id),
    })
    if (!merged.conflicts) return merged
    return {
      outcome: 'conflict',
      version: current,
      conflicts: merged.conflicts,
      changedBy: others.people,
      answers: merged.answers,
    }
  }

  return {
    reach,
    /** The policy's facts about a plan: read with it when it was reached, else now. */
    facts: async (plan: PlanHeader | ReachedPlan) => ('access' in plan ? plan.access : planFacts(db, plan)),

    async forChild(childId: string): Promise<string | null> {
      if (!isUuid(childId)) return null
      const row = await db.selectFrom('plans').select('id').where('child_id', '=', childId).executeTakeFirst()
      return row?.id ?? null
    },

    /**
     * Starts the child's plan, and the plans of the child's brothers and sisters who have none: a
     * sibling group's plans are made together. Each plan takes the family its child is matched with;
     * a family named by the caller must be that one, as matching is the family's work, not the plan's.
     */
    async create(
      actor: Actor & { kind: 'staff' },
      childId: string,
      correlationId: string,
      options: { familyId?: string } = {},
    ): Promise<
      | { outcome: 'created'; planId: string; created: number }
      | { outcome: 'not-found' }
      | { outcome: 'not-matched' }
    > {
      if (!isUuid(childId)) return { outcome: 'not-found' }
      return db.transaction().execute(async (trx) => {
        const child = await trx
          .selectFrom('children')
          .select(['id', 'agency_id', 'sibling_group_id'])
          .where('id', '=', childId)
          .executeTakeFirst()
        if (!child) return { outcome: 'not-found' as const }
        const facts = await childAccessFacts(trx, child)
        if (!can(actor, 'child:view', facts) || !can(actor, 'plan:create', facts))
          return { outcome: 'not-found' as const }
        if (options.familyId !== undefined && (await matchedFamily(trx, childId)) !== options.familyId)
          return { outcome: 'not-matched' as const }
        const group = child.sibling_group_id
          ? await trx
              .selectFrom('children')
              .select(['id', 'agency_id'])
              .where('sibling_group_id', '=', child.sibling_group_id)
              .where('agency_id', '=', child.agency_id)
              .execute()
          : [child]
        let created = 0
        for (const member of group) {
          const existing = await trx
            .selectFrom('plans')
            .select('id')
            .where('child_id', '=', member.id)
            .executeTakeFirst()
          if (existing) continue
          const plan = await trx
            .insertInto('plans')
            .values({
              agency_id: member.agency_id,
              child_id: member.id,
              family_id: await matchedFamily(trx, member.id),
              date_agreed: null,
              lead_worker_id: actor.userId,
              created_by: actor.userId,
            })
            .returning('id')
            .executeTakeFirstOrThrow()
          await trx
            .insertInto('plan_sections')
            .values(
              PLAN.map((section) => ({
                plan_id: plan.id,
                key: section.key,
                answers: '{}',
                updated_by: actor.userId,
              })),
            )
            .execute()
          await recordAudit(trx, {
            what: 'plan-created',
            who: actor.userId,
            agencyId: member.agency_id,
            subjectType: 'child',
            subjectId: member.id,
            correlationId,
            details: { planId: plan.id },
          })
          created++
        }
        const planId = (
          await trx.selectFrom('plans').select('id').where('child_id', '=', childId).executeTakeFirstOrThrow()
        ).id
        return { outcome: 'created' as const, planId, created }
      })
    },

    /** The whole plan for someone to read: the view is audited as a view of the child's record. */
    async view(actor: Person, planId: string, correlationId: string) {
      const plan = await reach(actor, planId, 'plan:view')
      if (!plan) return null
      const sections = await Promise.all(PLAN.map((section) => state(db, plan, section)))
      await auditView(actor, plan, correlationId)
      return { plan, sections, memberNames: await memberNames(db, plan.id) }
    },

    /**
     * The plan's front page: each section's status, derived from its answers and the number of
     * items in its lists, without reading the items (audited as a view).
     */
    async overview<R extends Reads = Record<never, never>>(
      actor: Person,
      planId: string,
      correlationId: string,
      /** What else the page shows of the plan, read with it (only shown if the plan may be read). */
      reads: (plan: PlanIds) => R = nothingMore as () => R,
    ) {
      const found = await findPlanWithShapes(db, planId, reads)
      if (!found || !can(actor, 'plan:view', found.plan.access)) return null
      const { plan, shapes, read } = found
      await auditView(actor, plan, correlationId)
      const sections = PLAN.map((section) => {
        const { shape, version, completed } = shapes.get(section.key) as NonNullable<
          ReturnType<typeof shapes.get>
        >
        return { key: section.key, version, completed, status: sectionStatus(section, shape, completed) }
      })
      return { plan, sections, read }
    },

    /** One section, for a form or a check-your-answers page (audited as a view). */
    async section<R extends Reads = Record<never, never>>(
      actor: Person,
      planId: string,
      key: string,
      correlationId: string,
      action: Action = 'plan:view',
      /** What else the page shows of the plan, read with it (only shown if the plan may be read). */
      reads: (plan: PlanIds) => R = nothingMore as () => R,
    ) {
      const definition = sectionDefinition(key)
      if (!definition) return null
      const found = await findPlanWithSection(db, planId, definition, reads)
      if (!found || !can(actor, action, found.plan.access)) return null
      const { plan, section, memberNames, contentText, read } = found
      await auditView(actor, plan, correlationId, key)
      const state: SectionState = {
        key: definition.key,
        version: section.version,
        completed: section.completed,
        status: sectionStatus(definition, section.content, section.completed),
        content: section.content,
      }
      /** `contentText`: the content and the names as the database gave them, to digest (renderKept). */
      return { plan, definition, state, memberNames, contentText, read }
    },

    /**
     * Saves a section's plain answers typed on a page that showed `baseVersion`. When others saved
     * in between, the fields only one side changed are merged; fields both changed come back as
     * conflicts, with both texts, and nothing is saved until the person chooses. An autosave
     * refuses instead (`stale`): its page would not show what the merge took from the others, and
     * its next save would quietly put their changes back.
     */
    async saveAnswers(
      actor: Person,
      planId: string,
      key: string,
      baseVersion: number,
      submitted: Answers,
      correlationId: string,
      onStale: 'merge' | 'refuse' = 'merge',
    ): Promise<SaveOutcome | { outcome: 'stale'; version: number }> {
      const section = required(key)
      return db.transaction().execute(async (trx) => {
        const plan = await reach(actor, planId, 'plan:update', trx)
        if (!plan) return { outcome: 'not-found' as const }
        const current = await lock(trx, plan.id, key)
        if (onStale === 'refuse' && current !== baseVersion)
          return { outcome: 'stale' as const, version: current }
        const now = await readSection(trx, planKey(plan), section)
        const mine = Object.fromEntries(
          section.questions.map((question) => [question.key, submitted[question.key] ?? null]),
        )
        const merged = await mergeStale(trx, actor, plan, key, baseVersion, current, {
          questions: section.questions,
          pathOf: (field) => `${key}.${field}`,
          mine,
          theirs: now.content.answers,
        })
        if ('outcome' in merged) return merged
        const answers = merged.answers
        const version = await commit(trx, actor, plan, section, correlationId, async () => {
          await writeAnswers(trx, plan.id, key, answers)
          return undefined
        })
        return { outcome: 'saved' as const, version }
      })
    },

    /** Adds (itemId null) or changes one item of a list; a stale page conflicts only on that item. */
    async saveItem(
      actor: Person,
      planId: string,
      key: string,
      list: ListDefinition,
      itemId: string | null,
      baseVersion: number,
      answers: Answers,
      options: { shared?: boolean; correlationId: string },
    ): Promise<SaveOutcome & { itemId?: string }> {
      const section = required(key)
      return db.transaction().execute(async (trx) => {
        const plan = await reach(actor, planId, 'plan:update', trx)
        if (!plan) return { outcome: 'not-found' as const }
        const current = await lock(trx, plan.id, key)
        const before = await readSection(trx, planKey(plan), section)
        const existing = itemId
          ? (before.content.lists[list.key] ?? []).find((item) => item.id === itemId)
          : undefined
        if (itemId && !existing) return { outcome: 'not-found' as const }
        let merged = answers
        if (existing) {
          const result = await mergeStale(trx, actor, plan, key, baseVersion, current, {
            questions: list.questions,
            pathOf: (field) => `${key}.${list.key}.${existing.id}.${field}`,
            mine: answers,
            theirs: existing.answers,
          })
          if ('outcome' in result) return result
          merged = result.answers
        }
        let savedId = itemId ?? ''
        const shared = existing
          ? existing.shared === true
          : options.shared === true && list.sharedBySiblings === true
        const version = await commit(trx, actor, plan, section, options.correlationId, async () => {
          if (existing) await updateItem(trx, planKey(plan), list, existing.id, merged)
          else savedId = await insertItem(trx, planKey(plan), section, list, merged, shared)
          return { touchesSiblings: shared }
        })
        return { outcome: 'saved' as const, version, itemId: savedId }
      })
    },

    async removeItem(
      actor: Person,
      planId: string,
      key: string,
      list: ListDefinition,
      itemId: string,
      correlationId: string,
    ): Promise<SaveOutcome> {
      const section = required(key)
      return db.transaction().execute(async (trx) => {
        const plan = await reach(actor, planId, 'plan:update', trx)
        if (!plan || !isUuid(itemId)) return { outcome: 'not-found' as const }
        await lock(trx, plan.id, key)
        const before = await readSection(trx, planKey(plan), section)
        const existing = (before.content.lists[list.key] ?? []).find((item) => item.id === itemId)
        if (!existing) return { outcome: 'not-found' as const }
        const version = await commit(trx, actor, plan, section, correlationId, async () => {
          await removeItem(trx, planKey(plan), list, itemId)
          return { touchesSiblings: existing.shared === true }
        })
        return { outcome: 'saved' as const, version }
      })
    },

    /** "Have you completed this section?": yes only when nothing it needs is missing. */
    async setCompleted(
      actor: Person,
      planId: string,
      key: string,
      completed: boolean,
      correlationId: string,
    ): Promise<
      { outcome: 'saved' } | { outcome: 'incomplete'; missing: string[] } | { outcome: 'not-found' }
    > {
      const section = required(key)
      if (section.filledElsewhere) return { outcome: 'not-found' }
      return db.transaction().execute(async (trx) => {
        const plan = await reach(actor, planId, 'plan:update', trx)
        if (!plan) return { outcome: 'not-found' as const }
        await lock(trx, plan.id, key)
        const now = await readSection(trx, planKey(plan), section)
        if (completed) {
          const missing = missingForCompletion(section, now.content)
          if (missing.length > 0) return { outcome: 'incomplete' as const, missing }
        }
        if (now.completed === completed) return { outcome: 'saved' as const }
        await trx
          .updateTable('plan_sections')
          .set({ completed })
          .where('plan_id', '=', plan.id)
          .where('key', '=', key)
          .execute()
        const yesNo = (value: boolean) => (value ? 'Yes' : 'No')
        await bump(
          trx,
          actor,
          plan,
          key,
          [
            {
              path: `${key}.completed`,
              label: 'Section completed',
              before: yesNo(now.completed),
              after: yesNo(completed),
            },
          ],
          correlationId,
        )
        return { outcome: 'saved' as const }
      })
    },

    /**
     * The API's PUT: the whole content of a section, only on the version the caller last read.
     * Items with an id are changed, items without one added, items left out removed.
     */
    async replaceSection(
      actor: Person,
      planId: string,
      key: string,
      ifMatch: number,
      content: SectionContent,
      correlationId: string,
    ): Promise<
      | { outcome: 'saved'; state: SectionState }
      | { outcome: 'stale'; state: SectionState }
      | { outcome: 'unknown-item'; itemId: string }
      | { outcome: 'not-found' }
    > {
      const section = required(key)
      return db.transaction().execute(async (trx) => {
        const plan = await reach(actor, planId, 'plan:update', trx)
        if (!plan) return { outcome: 'not-found' as const }
        const current = await lock(trx, plan.id, key)
        if (current !== ifMatch) return { outcome: 'stale' as const, state: await state(trx, plan, section) }
        const before = await readSection(trx, planKey(plan), section)
        for (const list of section.lists) {
          const known = new Set((before.content.lists[list.key] ?? []).map((item) => item.id))
          for (const item of content.lists[list.key] ?? []) {
            if (item.id && !known.has(item.id)) return { outcome: 'unknown-item' as const, itemId: item.id }
          }
        }
        let touchesSiblings = false
        await commit(trx, actor, plan, section, correlationId, async () => {
          await writeAnswers(trx, plan.id, key, content.answers)
          for (const list of section.lists) {
            const given = content.lists[list.key] ?? []
            const keep = new Set(given.map((item) => item.id).filter(Boolean))
            for (const item of before.content.lists[list.key] ?? []) {
              if (!keep.has(item.id)) {
                await removeItem(trx, planKey(plan), list, item.id)
                touchesSiblings ||= item.shared === true
              }
            }
            for (const item of given) {
              const wasShared = (before.content.lists[list.key] ?? []).find(
                (old) => old.id === item.id,
              )?.shared
              if (item.id) await updateItem(trx, planKey(plan), list, item.id, item.answers)
              else await insertItem(trx, planKey(plan), section, list, item.answers, item.shared === true)
              touchesSiblings ||= item.shared === true || wasShared === true
            }
          }
          return { touchesSiblings }
        })
        // A PUT on the right version always moves it on, so that two PUTs on one version never both succeed.
        const after = await lock(trx, plan.id, key)
        if (after === current) {
          await trx
            .updateTable('plan_sections')
            .set({ version: sql`version + 1`, updated_at: new Date(), updated_by: actor.userId })
            .where('plan_id', '=', plan.id)
            .where('key', '=', key)
            .execute()
        }
        return { outcome: 'saved' as const, state: await state(trx, plan, section) }
      })
    },

    /** The plan's changes, newest first, each with who made it and the fields before and after. */
    /** Every change, field by field (audited as a view of the record: it holds the plan's text). */
    async history(actor: Person, planId: string, correlationId: string) {
      const plan = await reach(actor, planId, 'plan:view')
      if (!plan) return null
      await auditView(actor, plan, correlationId, 'history')
      const changes = await db
        .selectFrom('plan_changes')
        .leftJoin('users', 'users.id', 'plan_changes.changed_by')
        .select([
          'plan_changes.id',
          'plan_changes.section',
          'plan_changes.section_version as version',
          'plan_changes.changed_at as changedAt',
          'plan_changes.changes',
          'users.name as changedBy',
        ])
        .where('plan_changes.plan_id', '=', plan.id)
        .orderBy('plan_changes.changed_at', 'desc')
        .orderBy('plan_changes.section_version', 'desc')
        .limit(500)
        .execute()
      return {
        plan,
        changes: changes.map((change) => ({ ...change, changes: change.changes as FieldChange[] })),
      }
    },

    /** Freezes the plan as it stands now as the next numbered version. */
    async takeVersion(
      actor: Actor & { kind: 'staff' },
      planId: string,
      reason: string,
      correlationId: string,
    ): Promise<{ outcome: 'taken'; number: number; hash: string } | { outcome: 'not-found' }> {
      return db.transaction().execute(async (trx) => {
        const plan = await reach(actor, planId, 'plan:version', trx)
        if (!plan) return { outcome: 'not-found' as const }
        const { number, hash } = await recordVersion(trx, plan, reason, actor.userId, correlationId)
        return { outcome: 'taken' as const, number, hash }
      })
    },

    async versions(actor: Person, planId: string) {
      const plan = await reach(actor, planId, 'plan:view')
      if (!plan) return null
      const versions = await versionsOf(plan.id).orderBy('plan_versions.number', 'desc').execute()
      return { plan, versions }
    },

    /**
     * One version, audited as a view of the record. Without its content for a page that has it
     * rendered already (a version never changes): still only for those who may read the plan.
     */
    async version<WithContent extends boolean = true>(
      actor: Person,
      planId: string,
      number: number,
      correlationId: string,
      withContent: WithContent = true as WithContent,
      /** What the audit log records; a view of the version unless the caller names another event. */
      auditAs?: { what: string; details: Record<string, unknown> },
    ) {
      if (!Number.isSafeInteger(number)) return null
      const found = await findPlanWithVersion(db, planId, number)
      if (!found?.version || !can(actor, 'plan:view', found.access)) return null
      const { version, ...plan } = found
      const content = withContent
        ? (
            await db
              .selectFrom('plan_versions')
              .select('content')
              .where('plan_id', '=', plan.id)
              .where('number', '=', number)
              .executeTakeFirstOrThrow()
          ).content
        : undefined
      if (auditAs) await recordPlanEvent(db, actor, plan, auditAs.what, correlationId, auditAs.details)
      else await auditView(actor, plan, correlationId, `version ${number}`)
      return {
        plan,
        version: { ...version, content: content as WithContent extends true ? PlanSnapshot : undefined },
      }
    },
  }
}

/**
 * Takes a numbered, immutable version of the plan as it stands, inside the caller's transaction (the
 * plan's row is locked, so two versions never get one number), and audits it.
 */
export async function recordVersion(
  trx: Transaction<Database>,
  plan: PlanHeader,
  reason: string,
  who: string,
  correlationId: string,
): Promise<{ number: number; hash: string; snapshot: PlanSnapshot }> {
  await trx.selectFrom('plans').select('id').where('id', '=', plan.id).forUpdate().execute()
  const snapshot = await snapshotOf(trx, plan)
  const hash = snapshotHash(snapshot)
  const last = await trx
    .selectFrom('plan_versions')
    .select(sql<number>`coalesce(max(number), 0)`.as('number'))
    .where('plan_id', '=', plan.id)
    .executeTakeFirstOrThrow()
  const number = Number(last.number) + 1
  await trx
    .insertInto('plan_versions')
    .values({
      plan_id: plan.id,
      number,
      reason,
      content: JSON.stringify(snapshot),
      content_hash: hash,
      taken_by: who,
    })
    .execute()
  await recordAudit(trx, {
    what: 'plan-version-taken',
    who,
    agencyId: plan.agencyId,
    subjectType: 'child',
    subjectId: plan.childId,
    correlationId,
    details: { planId: plan.id, number, hash },
  })
  return { number, hash, snapshot }
}

/** The plans of the child's brothers and sisters; only those that stand where this one does, if asked. */
export async function siblingPlansOf(
  executor: Executor,
  plan: PlanHeader,
  options: { sameStatus?: boolean } = {},
): Promise<PlanHeader[]> {
  if (!plan.child.siblingGroupId) return []
  let query = executor
    .selectFrom('plans')
    .innerJoin('children', 'children.id', 'plans.child_id')
    .select('plans.id')
    .where('children.sibling_group_id', '=', plan.child.siblingGroupId)
    .where('plans.id', '!=', plan.id)
  if (options.sameStatus) query = query.where('plans.status', '=', plan.status)
  const rows = await query.orderBy('children.date_of_birth').execute()
  const plans = await Promise.all(rows.map((row) => findPlan(executor, row.id)))
  return plans.filter((sibling) => sibling !== null)
}

/** The plan as it stands: front page and every section. */
export async function snapshotOf(executor: Executor, plan: PlanHeader): Promise<PlanSnapshot> {
  const adopters = plan.familyId
    ? await executor
        .selectFrom('adopters')
        .select(['first_name', 'last_name', 'date_of_birth'])
        .where('family_id', '=', plan.familyId)
        .orderBy('position')
        .execute()
    : []
  const sections: PlanSnapshot['sections'] = {}
  for (const section of PLAN) {
    const { content, completed } = await readSection(executor, planKey(plan), section)
    sections[section.key] = { completed, content }
  }
  // Section 5's reviews as they stand; a plan without any keeps the snapshot it always had.
  const reviews = await snapshotReviews(executor, plan.id)
  return {
    status: plan.status,
    dateAgreed: plan.dateAgreed,
    child: {
      firstName: plan.child.firstName,
      lastName: plan.child.lastName,
      dateOfBirth: plan.child.dateOfBirth,
    },
    adopters: adopters.map((adopter) => ({
      firstName: adopter.first_name,
      lastName: adopter.last_name,
      dateOfBirth: adopter.date_of_birth,
    })),
    sections,
    ...(reviews.length > 0 ? { reviews } : {}),
  }
}

export type PlansService = ReturnType<typeof plansService>
