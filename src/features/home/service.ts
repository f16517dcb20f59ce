import { sql } from 'kysely'
import type { Db } from '../../db/database.ts'
import { placingAuthorityResponsibilityEnds } from '../../plan/after-order.ts'
import { PLAN } from '../../plan/definition.ts'
import { recordAudit } from '../../platform/audit.ts'
import { todayInEngland } from '../../platform/dates.ts'
import { PAGE_SIZE, pageWindow } from '../../platform/pagination.ts'
import { type Actor, PLAN_STATUSES_SHARED_WITH_ADOPTERS } from '../../platform/policy.ts'
import { threadsOf } from '../adopters-part/comments.ts'
import { lifecycleFacts } from '../plans/lifecycle.ts'
import { findPlan } from '../plans/service.ts'
import type { RemindersService } from '../reminders/service.ts'

// What each person's home page lists (docs/adr/0018): a social worker's or an IRO's children with
// each plan's status and next review; a team manager's plans waiting for sign-off; the plans with
// the adoption support team; the plans before the panel; an adopter's plans with their comments and
// requests and the answers. Each list is scoped as the policy scopes the records behind it, and is
// a page at a time or bounded. Staff lists are lists, as the children list is, so they are not
// audited; the adopters' page shows what was said about the child, so it is.

type Staff = Actor & { kind: 'staff' }
type Adopter = Actor & { kind: 'adopter' }

/** A list that is not paged shows at most this many, and says how many more there are. */
export const HOME_LIST_LIMIT = 50
/** The comments shown for each plan on an adopter's home page, newest first. */
export const ADOPTER_COMMENTS_SHOWN = 10

export type Paged<T> = { rows: T[]; total: number; page: number; pages: number; pageSize: number }

export type CaseloadRow = {
  childId: string
  childName: string
  planId: string | null
  status: string | null
  nextReviewDueOn: string | null
}

// The sections a team manager's sign-off needs completed: every one not filled elsewhere.
const SECTIONS_TO_COMPLETE = PLAN.filter((section) => !section.filledElsewhere).map((section) => section.key)

export function homeService(db: Db, reminders: RemindersService) {
  const childName = (row: { first_name: string; last_name: string }) => `${row.first_name} ${row.last_name}`

  return {
    /**
     * The children on this person's case, a page at a time: allocated to them, or (a social worker)
     * whose plan they lead; each with its plan's status and the next review due.
     */
    async caseload(actor: Staff, requestedPage: number): Promise<Paged<CaseloadRow>> {
      const base = db
        .selectFrom('children')
        .leftJoin('plans', 'plans.child_id', 'children.id')
        .where('children.agency_id', '=', actor.agencyId)
        // Each way a child is on the caseload is a look-up by its own index, so that the cost is the
        // caseload's, however many children the agency and the country have.
        .where((eb) =>
          eb.or([
            eb(
              'children.id',
              'in',
              eb
                .selectFrom('allocations')
                .select('allocations.child_id')
                .where('allocations.user_id', '=', actor.userId)
                .where('allocations.ended_at', 'is', null),
            ),
            // An IRO sees the children allocated to them and no others (the policy's 'child:view').
            ...(actor.role === 'iro'
              ? []
              : [
                  eb(
                    'children.id',
                    'in',
                    eb
                      .selectFrom('plans')
                      .select('plans.child_id')
                      .where('plans.lead_worker_id', '=', actor.userId),
                  ),
                ]),
          ]),
        )
      const { total } = await base
        .select((eb) => eb.fn.countAll<number>().as('total'))
        .executeTakeFirstOrThrow()
      const { page, pages, offset, limit } = pageWindow(Number(total), requestedPage)
      const rows = await base
        .select([
          'children.id as child_id',
          'children.first_name',
          'children.last_name',
          'plans.id as plan_id',
          'plans.status',
        ])
        .orderBy('children.last_name')
        .orderBy('children.first_name')
        .orderBy('children.id')
        .limit(limit)
        .offset(offset)
        .execute()
      const due = await reminders.nextReviews(rows.flatMap((row) => (row.plan_id ? [row.plan_id] : [])))
      return {
        rows: rows.map((row) => ({
          childId: row.child_id,
          childName: childName(row),
          planId: row.plan_id,
          status: row.status,
          nextReviewDueOn: row.plan_id ? (due.get(row.plan_id) ?? null) : null,
        })),
        total: Number(total),
        page,
        pages,
        pageSize: PAGE_SIZE,
      }
    },

    /**
     * Plans before panel with every section completed and no sign-off of the plan as it stands: the
     * team manager's to sign off. The sign-off is checked as the lifecycle checks it (the hash of
     * the plan now), so a plan changed since its sign-off is waiting again.
     */
    async awaitingSignOff(actor: Staff) {
      const candidates = await db
        .selectFrom('plans')
        .innerJoin('children', 'children.id', 'plans.child_id')
        .select(['plans.id', 'plans.status', 'children.first_name', 'children.last_name'])
        .where('plans.agency_id', '=', actor.agencyId)
        .where('plans.status', 'in', ['draft', 'with-adopters'])
        .where(
          (eb) =>
            eb
              .selectFrom('plan_sections')
              .select(eb.fn.countAll<number>().as('completed'))
              .whereRef('plan_sections.plan_id', '=', 'plans.id')
              .where('plan_sections.completed', '=', true)
              .where('plan_sections.key', 'in', SECTIONS_TO_COMPLETE),
          '=',
          SECTIONS_TO_COMPLETE.length,
        )
        .orderBy('children.last_name')
        .orderBy('children.first_name')
        .orderBy('plans.id')
        .limit(HOME_LIST_LIMIT + 1)
        .execute()
      const waiting = []
      for (const candidate of candidates.slice(0, HOME_LIST_LIMIT)) {
        const plan = await findPlan(db, candidate.id)
        if (plan && !(await lifecycleFacts(db, plan)).signedOff)
          waiting.push({ planId: candidate.id, childName: childName(candidate), status: candidate.status })
      }
      return { rows: waiting, more: candidates.length > HOME_LIST_LIMIT }
    },

    /** The agency's plans handed to the adoption support team after the order, a page at a time. */
    async withSupportTeam(actor: Staff, requestedPage: number) {
      const base = db
        .selectFrom('plans')
        .innerJoin('children', 'children.id', 'plans.child_id')
        .where('plans.agency_id', '=', actor.agencyId)
        .where('plans.status', '=', 'post-order')
      const { total } = await base
        .select((eb) => eb.fn.countAll<number>().as('total'))
        .executeTakeFirstOrThrow()
      const { page, pages, offset, limit } = pageWindow(Number(total), requestedPage)
      const rows = await base
        .leftJoin('matches', (join) =>
          join
            .onRef('matches.child_id', '=', 'plans.child_id')
            .onRef('matches.family_id', '=', 'plans.family_id')
            .on('matches.ended_at', 'is', null),
        )
        .select((eb) => [
          'plans.id',
          'children.first_name',
          'children.last_name',
          'matches.order_on',
          eb
            .selectFrom('plan_transitions')
            .select((inner) => inner.fn.max('plan_transitions.made_at').as('at'))
            .whereRef('plan_transitions.plan_id', '=', 'plans.id')
            .where('plan_transitions.to_status', '=', 'post-order')
            .as('handed_over_at'),
        ])
        .orderBy('children.last_name')
        .orderBy('children.first_name')
        .orderBy('plans.id')
        .limit(limit)
        .offset(offset)
        .execute()
      return {
        rows: rows.map((row) => ({
          planId: row.id,
          childName: childName(row),
          orderOn: row.order_on,
          responsibilityEnds: row.order_on ? placingAuthorityResponsibilityEnds(row.order_on) : null,
          handedOverOn: row.handed_over_at ? todayInEngland(new Date(row.handed_over_at)) : null,
        })),
        total: Number(total),
        page,
        pages,
        pageSize: PAGE_SIZE,
      }
    },

    /** The agency's plans before the panel now: what a panel member or the decision maker reads. */
    async atPanel(actor: Staff) {
      const rows = await db
        .selectFrom('plans')
        .innerJoin('children', 'children.id', 'plans.child_id')
        .leftJoin('matches', (join) =>
          join
            .onRef('matches.child_id', '=', 'plans.child_id')
            .onRef('matches.family_id', '=', 'plans.family_id')
            .on('matches.ended_at', 'is', null),
        )
        .select(['plans.id', 'children.first_name', 'children.last_name', 'matches.panel_on'])
        .where('plans.agency_id', '=', actor.agencyId)
        .where('plans.status', '=', 'at-panel')
        .orderBy(sql`matches.panel_on nulls last`)
        .orderBy('children.last_name')
        .orderBy('plans.id')
        .limit(HOME_LIST_LIMIT + 1)
        .execute()
      return {
        rows: rows
          .slice(0, HOME_LIST_LIMIT)
          .map((row) => ({ planId: row.id, childName: childName(row), panelOn: row.panel_on })),
        more: rows.length > HOME_LIST_LIMIT,
      }
    },

    /**
     * The plans shared with the adopter's family, each with their comments (the newest first) and
     * requests for a review, and the answers. Seeing them is recorded on each child's record.
     */
    async adopterHome(actor: Adopter, correlationId: string) {
      const plans = await db
        .selectFrom('plans')
        .innerJoin('children', 'children.id', 'plans.child_id')
        .select(['plans.id', 'plans.agency_id', 'plans.child_id', 'plans.status', 'children.first_name'])
        .where('plans.family_id', '=', actor.familyId)
        .where('plans.status', 'in', [...PLAN_STATUSES_SHARED_WITH_ADOPTERS])
        .orderBy('children.date_of_birth')
        .orderBy('plans.id')
        .execute()
      const shown = []
      for (const plan of plans) {
        const threads = (await threadsOf(db, plan.id)).reverse()
        const requests = await db
          .selectFrom('plan_review_requests')
          .select(['id', 'asked_at', 'answer', 'answered_at'])
          .where('plan_id', '=', plan.id)
          .orderBy('asked_at', 'desc')
          .limit(ADOPTER_COMMENTS_SHOWN)
          .execute()
        await recordAudit(db, {
          what: 'adopters-home-viewed',
          who: actor.userId,
          agencyId: plan.agency_id,
          subjectType: 'child',
          subjectId: plan.child_id,
          correlationId,
          details: { planId: plan.id },
        })
        shown.push({
          planId: plan.id,
          firstName: plan.first_name,
          status: plan.status,
          commentCount: threads.length,
          comments: threads.slice(0, ADOPTER_COMMENTS_SHOWN).map((thread) => {
            const answers = thread.replies.filter((reply) => reply.authorKind === 'staff')
            return {
              id: thread.id,
              section: thread.section,
              body: thread.body,
              at: thread.at,
              resolvedAt: thread.resolvedAt,
              answer: answers.at(-1) ?? null,
            }
          }),
          requests: requests.map((row) => ({
            id: row.id,
            askedAt: row.asked_at,
            answer: row.answer,
            answeredAt: row.answered_at,
          })),
        })
      }
      return shown
    },
  }
}

export type HomeService = ReturnType<typeof homeService>
