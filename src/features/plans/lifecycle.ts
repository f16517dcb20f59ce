import { createHash } from 'node:crypto'
import type { Transaction } from 'kysely'
import type { Db } from '../../db/database.ts'
import type { Database } from '../../db/schema.ts'
import { PLAN } from '../../plan/definition.ts'
import {
  checkTransition,
  type LifecycleFacts,
  type PlanStatus,
  STATUS_NAMES,
  type TransitionRequest,
  transitionsFrom,
} from '../../plan/lifecycle.ts'
import { canonicalJson, type PlanSnapshot } from '../../plan/versions.ts'
import { recordAudit } from '../../platform/audit.ts'
import { todayInEngland } from '../../platform/dates.ts'
import { type Actor, can } from '../../platform/policy.ts'
import {
  groupRead,
  type ReadValue,
  type Ref,
  readAlone,
  rowRead,
  rowsRead,
  toDate,
} from '../../platform/reads.ts'
import {
  findPlan,
  type PlanHeader,
  type PlanIds,
  type PlansService,
  planIdsOf,
  type ReachedPlan,
  recordVersion,
  siblingPlansOf,
  snapshotOf,
} from './service.ts'

// Moving a plan through its life (src/plan/lifecycle.ts has the rules): each step checked against
// the plan as it stands, inside one transaction with the plan's row locked, recorded with who, when,
// the date it stands for and why, and followed by a numbered version. A sibling group's plans may
// move together: all of them or none.

type Staff = Actor & { kind: 'staff' }
type Executor = Db | Transaction<Database>

export type TransitionOutcome =
  | { outcome: 'moved'; plans: { planId: string; version: number }[] }
  | { outcome: 'refused'; reasons: string[]; field?: 'date' | 'note' }
  | { outcome: 'not-found' }

/** The sections' content only: what a sign-off vouches for (status and dates move on without it). */
export function contentHash(snapshot: PlanSnapshot): string {
  return createHash('sha256').update(canonicalJson(snapshot.sections)).digest('hex')
}

async function currentMatch(executor: Executor, plan: PlanHeader) {
  if (!plan.familyId) return null
  return (
    (await executor
      .selectFrom('matches')
      .select(['id', 'panel_on', 'decision_on', 'placed_on', 'order_on', 'returned_on'])
      .where('child_id', '=', plan.childId)
      .where('family_id', '=', plan.familyId)
      .where('ended_at', 'is', null)
      .executeTakeFirst()) ?? null
  )
}

/** Statuses in which a sign-off counts: before panel. */
const SIGNED_OFF_BEFORE: readonly string[] = ['draft', 'with-adopters']

/**
 * What the lifecycle's rules ask of a plan, as one read: which sections are marked completed, the
 * match's dates and the latest sign-off's hash (`lifecycleFactsFrom` makes the facts of it).
 */
export function lifecycleRead(executor: Executor, plan: PlanIds) {
  return groupRead({
    completed: rowsRead(
      executor.selectFrom('plan_sections').select(['key', 'completed']).where('plan_id', '=', plan.id),
      (rows) => rows.filter((row) => row.completed).map((row) => row.key),
    ),
    match: rowRead(
      executor
        .selectFrom('matches')
        .select(['panel_on', 'decision_on', 'placed_on', 'order_on', 'returned_on'])
        .where('child_id', '=', plan.childId)
        .where('family_id', '=', plan.familyId as Ref<string>)
        .where('ended_at', 'is', null),
      (row) => row,
    ),
    signOff: rowRead(
      executor
        .selectFrom('plan_sign_offs')
        .select('content_hash')
        .where('plan_id', '=', plan.id)
        .orderBy('signed_at', 'desc')
        .limit(1),
      (row) => row?.content_hash ?? null,
    ),
  })
}

export type LifecycleRead = ReadValue<ReturnType<typeof lifecycleRead>>

/** The lifecycle's facts from what `lifecycleRead` read; only a sign-off before panel reads more. */
export async function lifecycleFactsFrom(
  executor: Executor,
  plan: PlanHeader,
  read: LifecycleRead,
): Promise<LifecycleFacts> {
  const { completed, match, signOff } = read
  return {
    status: plan.status as PlanStatus,
    hasFamily: match !== null,
    sectionsNotCompleted: PLAN.filter(
      (section) => !section.filledElsewhere && !completed.includes(section.key),
    ).map((section) => `${section.number}. ${section.title}`),
    // Only before panel does it matter, and only then is the whole plan read to hash it.
    signedOff:
      SIGNED_OFF_BEFORE.includes(plan.status) &&
      signOff !== null &&
      signOff === contentHash(await snapshotOf(executor, plan)),
    panelOn: match?.panel_on ?? null,
    decisionOn: match?.decision_on ?? null,
    placedOn: match?.placed_on ?? null,
    returnedOn: match?.returned_on ?? null,
    today: todayInEngland(),
  }
}

export async function lifecycleFacts(executor: Executor, plan: PlanHeader): Promise<LifecycleFacts> {
  return lifecycleFactsFrom(
    executor,
    plan,
    await readAlone(executor, lifecycleRead(executor, planIdsOf(plan))),
  )
}

/** The steps this person could take from where the plan stands, each with what stands in the way. */
function stepsFor(actor: Staff, facts: LifecycleFacts) {
  return (
    transitionsFrom(facts.status)
      .filter((rule) => rule.roles.includes(actor.role))
      // The date and note are asked for on the step's own form: here, only what stands in the way.
      .map((rule) => ({ rule, reasons: rule.unmet(facts, { to: rule.to }) }))
  )
}

/** Where the plan has been: every move, newest first, with who made it. */
export function transitionsRead(executor: Executor, planId: Ref<string>) {
  return rowsRead(
    executor
      .selectFrom('plan_transitions')
      .innerJoin('users', 'users.id', 'plan_transitions.made_by')
      .select([
        'plan_transitions.from_status',
        'plan_transitions.to_status',
        'plan_transitions.on_date',
        'plan_transitions.note',
        'plan_transitions.version_number',
        'plan_transitions.made_at',
        'users.name as made_by',
      ])
      .where('plan_transitions.plan_id', '=', planId)
      .orderBy('plan_transitions.made_at', 'desc'),
    (rows) => rows.map((row) => ({ ...row, made_at: toDate(row.made_at) })),
  )
}

export function lifecycleService(db: Db, plans: PlansService) {
  const reach = plans.reach

  async function move(
    trx: Transaction<Database>,
    actor: Staff,
    plan: PlanHeader,
    request: TransitionRequest,
    actionName: string,
    correlationId: string,
  ): Promise<number> {
    const to = request.to
    const date = request.date ?? null
    await trx
      .updateTable('plans')
      .set({ status: to, updated_at: new Date(), ...(to === 'agreed' ? { date_agreed: date } : {}) })
      .where('id', '=', plan.id)
      .execute()
    const match = await currentMatch(trx, plan)
    const dateColumn = {
      'at-panel': 'panel_on',
      'match-approved': 'decision_on',
      'order-made': 'order_on',
    } as const
    const column = dateColumn[to as keyof typeof dateColumn]
    if (column && match)
      await trx
        .updateTable('matches')
        .set({ [column]: date })
        .where('id', '=', match.id)
        .execute()
    const moved = (await findPlan(trx, plan.id)) as PlanHeader
    const version = await recordVersion(
      trx,
      moved,
      `${actionName} (${STATUS_NAMES[to]})`,
      actor.userId,
      correlationId,
    )
    await trx
      .insertInto('plan_transitions')
      .values({
        plan_id: plan.id,
        from_status: plan.status,
        to_status: to,
        on_date: date,
        note: request.note?.trim() || null,
        version_number: version.number,
        made_by: actor.userId,
      })
      .execute()
    await recordAudit(trx, {
      what: 'plan-status-changed',
      who: actor.userId,
      agencyId: plan.agencyId,
      subjectType: 'child',
      subjectId: plan.childId,
      correlationId,
      details: { planId: plan.id, from: plan.status, to, version: version.number },
    })
    return version.number
  }

  return {
    /** What this person could do next with the plan, each with the reasons it cannot happen yet. */
    async options(actor: Staff, planOrId: string | ReachedPlan) {
      // A plan the caller has just read, with the facts it was let through on, is not read again.
      const plan =
        typeof planOrId === 'string'
          ? await reach(actor, planOrId, 'plan:transition', db)
          : can(actor, 'plan:transition', planOrId.access)
            ? planOrId
            : null
      if (!plan) return null
      const facts = await lifecycleFacts(db, plan)
      const siblings = await siblingPlansOf(db, plan, { sameStatus: true })
      return {
        plan,
        facts,
        steps: stepsFor(actor, facts),
        siblings: siblings.map((sibling) => sibling.child.firstName),
      }
    },

    /** The front page's "what happens next": the facts read with the plan, and this person's steps. */
    async next(actor: Staff, plan: ReachedPlan, read: LifecycleRead) {
      if (!can(actor, 'plan:transition', plan.access)) return null
      const facts = await lifecycleFactsFrom(db, plan, read)
      return { facts, steps: stepsFor(actor, facts) }
    },

    /** Moves the plan (and, if asked, its brothers' and sisters' plans) one step on, or back. */
    async transition(
      actor: Staff,
      planId: string,
      request: TransitionRequest & { withSiblings?: boolean },
      correlationId: string,
    ): Promise<TransitionOutcome> {
      return db.transaction().execute(async (trx) => {
        const found = await findPlan(trx, planId)
        if (!found) return { outcome: 'not-found' as const }
        // Every plan that may move is locked first, in one order (by id), so that two people moving
        // the same brothers and sisters at once never wait on each other; then read again.
        const wanted = request.withSiblings ? await siblingPlansOf(trx, found, { sameStatus: true }) : []
        const ids = [found.id, ...wanted.map((sibling) => sibling.id)].sort()
        await trx.selectFrom('plans').select('id').where('id', 'in', ids).orderBy('id').forUpdate().execute()
        const plan = await reach(actor, planId, 'plan:transition', trx)
        if (!plan) return { outcome: 'not-found' as const }
        const siblings = request.withSiblings
          ? (await siblingPlansOf(trx, plan, { sameStatus: true })).filter((sibling) =>
              ids.includes(sibling.id),
            )
          : []
        const group = [plan, ...siblings]
        const reasons: string[] = []
        let field: 'date' | 'note' | undefined
        let actionName = ''
        for (const member of group) {
          const check = checkTransition(actor.role, await lifecycleFacts(trx, member), request)
          if (check.ok) {
            actionName = check.rule.action
            continue
          }
          field ??= check.field
          const whose = member === plan ? '' : `${member.child.firstName}’s plan: `
          reasons.push(...check.reasons.map((reason) => whose + reason))
        }
        if (reasons.length > 0) return { outcome: 'refused' as const, reasons, ...(field ? { field } : {}) }
        const moved = []
        for (const member of group)
          moved.push({
            planId: member.id,
            version: await move(trx, actor, member, request, actionName, correlationId),
          })
        return { outcome: 'moved' as const, plans: moved }
      })
    },

    /** A team manager signs off the plan as it stands: a version, and the hash of its content. */
    async signOff(actor: Staff, planId: string, correlationId: string) {
      return db.transaction().execute(async (trx) => {
        const plan = await reach(actor, planId, 'plan:sign-off', trx)
        if (!plan) return { outcome: 'not-found' as const }
        if (plan.status !== 'draft' && plan.status !== 'with-adopters')
          return { outcome: 'refused' as const, reasons: ['Only a plan before panel is signed off'] }
        const version = await recordVersion(
          trx,
          plan,
          'Signed off by a team manager',
          actor.userId,
          correlationId,
        )
        await trx
          .insertInto('plan_sign_offs')
          .values({
            plan_id: plan.id,
            content_hash: contentHash(version.snapshot),
            version_number: version.number,
            signed_by: actor.userId,
          })
          .execute()
        await recordAudit(trx, {
          what: 'plan-signed-off',
          who: actor.userId,
          agencyId: plan.agencyId,
          subjectType: 'child',
          subjectId: plan.childId,
          correlationId,
          details: { planId: plan.id, version: version.number },
        })
        return { outcome: 'signed-off' as const, version: version.number }
      })
    },

    /** The plan's moves, newest first, with who made them. */
    transitions: (planId: string) => readAlone(db, transitionsRead(db, planId)),
  }
}

export type LifecycleService = ReturnType<typeof lifecycleService>
