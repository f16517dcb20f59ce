import type { Transaction } from 'kysely'
import type { Db } from '../../db/database.ts'
import type { Database } from '../../db/schema.ts'
import { sectionDefinition } from '../../plan/definition.ts'
import type { Actor } from '../../platform/policy.ts'
import { type Ref, rowRead } from '../../platform/reads.ts'
import { recordPlanEvent } from '../plans/events.ts'
import type { PlansService } from '../plans/service.ts'
import { isRecordId } from './form.ts'

// The adopters' comments on the plan while it is shared with them, section by section, each with
// its thread: the workers' answers and the adopters' replies. A worker resolves a comment when it
// is dealt with. A comment never changes the plan: the worker changes the plan, if it should change.

type Executor = Db | Transaction<Database>
type Adopter = Actor & { kind: 'adopter' }
type Staff = Actor & { kind: 'staff' }

export type Reply = { id: string; authorKind: 'staff' | 'adopter'; body: string; by: string; at: Date }

export type CommentThread = {
  id: string
  section: string
  sectionVersion: number
  body: string
  by: string
  at: Date
  resolvedAt: Date | null
  resolvedBy: string | null
  replies: Reply[]
}

/** The plan's comments, oldest first, each with its thread; one section's only, when asked. */
export async function threadsOf(
  executor: Executor,
  planId: string,
  section?: string,
): Promise<CommentThread[]> {
  let query = executor
    .selectFrom('plan_comments')
    .innerJoin('users as writer', 'writer.id', 'plan_comments.written_by')
    .leftJoin('users as resolver', 'resolver.id', 'plan_comments.resolved_by')
    .select([
      'plan_comments.id',
      'plan_comments.section',
      'plan_comments.section_version',
      'plan_comments.body',
      'plan_comments.written_at',
      'plan_comments.resolved_at',
      'writer.name as writer',
      'resolver.name as resolver',
    ])
    .where('plan_comments.plan_id', '=', planId)
  if (section) query = query.where('plan_comments.section', '=', section)
  const comments = await query.orderBy('plan_comments.written_at').orderBy('plan_comments.id').execute()
  const replies =
    comments.length === 0
      ? []
      : await executor
          .selectFrom('plan_comment_replies')
          .innerJoin('users', 'users.id', 'plan_comment_replies.written_by')
          .select([
            'plan_comment_replies.id',
            'plan_comment_replies.comment_id',
            'plan_comment_replies.author_kind',
            'plan_comment_replies.body',
            'plan_comment_replies.written_at',
            'users.name',
          ])
          .where(
            'plan_comment_replies.comment_id',
            'in',
            comments.map((comment) => comment.id),
          )
          .orderBy('plan_comment_replies.written_at')
          .orderBy('plan_comment_replies.id')
          .execute()
  return comments.map((comment) => ({
    id: comment.id,
    section: comment.section,
    sectionVersion: comment.section_version,
    body: comment.body,
    by: comment.writer,
    at: comment.written_at,
    resolvedAt: comment.resolved_at,
    resolvedBy: comment.resolver,
    replies: replies
      .filter((reply) => reply.comment_id === comment.id)
      .map((reply) => ({
        id: reply.id,
        authorKind: reply.author_kind,
        body: reply.body,
        by: reply.name,
        at: reply.written_at,
      })),
  }))
}

export function commentsService(db: Db, plans: PlansService) {
  /** The comment, locked, if it belongs to the plan. */
  async function lockedComment(trx: Transaction<Database>, planId: string, commentId: string) {
    if (!isRecordId(commentId)) return undefined
    return trx
      .selectFrom('plan_comments')
      .select(['id', 'resolved_at'])
      .where('id', '=', commentId)
      .where('plan_id', '=', planId)
      .forUpdate()
      .executeTakeFirst()
  }

  return {
    /** Every comment on the plan, for its comments page (audited: the threads are about the child). */
    async page(actor: Adopter | Staff, planId: string, correlationId: string) {
      const plan = await plans.reach(actor, planId, 'plan:view')
      if (!plan) return null
      await recordPlanEvent(db, actor, plan, 'plan-viewed', correlationId, { section: 'comments' })
      return { plan, threads: await threadsOf(db, plan.id) }
    },

    /** One section's comments, for its page (the page's view of the section is audited already). */
    forSection: (planId: string, section: string) => threadsOf(db, planId, section),

    /** How many comments are open and resolved, for the front page (read with the plan). */
    countsRead: (planId: Ref<string>) =>
      rowRead(
        db
          .selectFrom('plan_comments')
          .select((eb) => [
            eb.fn.countAll<number>().as('all'),
            eb.fn.count<number>('resolved_at').as('resolved'),
          ])
          .where('plan_id', '=', planId),
        (row) => ({
          open: Number(row?.all ?? 0) - Number(row?.resolved ?? 0),
          resolved: Number(row?.resolved ?? 0),
        }),
      ),

    async add(
      actor: Adopter,
      planId: string,
      section: string,
      body: string,
      correlationId: string,
    ): Promise<{ outcome: 'added'; id: string } | { outcome: 'not-found' }> {
      if (!sectionDefinition(section)) return { outcome: 'not-found' }
      return db.transaction().execute(async (trx) => {
        const plan = await plans.reach(actor, planId, 'plan:comment', trx)
        if (!plan) return { outcome: 'not-found' as const }
        const state = await trx
          .selectFrom('plan_sections')
          .select('version')
          .where('plan_id', '=', plan.id)
          .where('key', '=', section)
          .executeTakeFirstOrThrow()
        const { id } = await trx
          .insertInto('plan_comments')
          .values({
            plan_id: plan.id,
            section,
            section_version: state.version,
            body,
            written_by: actor.userId,
          })
          .returning('id')
          .executeTakeFirstOrThrow()
        await recordPlanEvent(trx, actor, plan, 'plan-comment-added', correlationId, {
          commentId: id,
          section,
        })
        return { outcome: 'added' as const, id }
      })
    },

    /** An adopter's reply in their comment's thread, while the comment is open. */
    async reply(
      actor: Adopter,
      planId: string,
      commentId: string,
      body: string,
      correlationId: string,
    ): Promise<{ outcome: 'replied' | 'resolved' | 'not-found' }> {
      return db.transaction().execute(async (trx) => {
        const plan = await plans.reach(actor, planId, 'plan:comment', trx)
        const comment = plan && (await lockedComment(trx, plan.id, commentId))
        if (!plan || !comment) return { outcome: 'not-found' as const }
        if (comment.resolved_at) return { outcome: 'resolved' as const }
        await trx
          .insertInto('plan_comment_replies')
          .values({ comment_id: comment.id, author_kind: 'adopter', body, written_by: actor.userId })
          .execute()
        await recordPlanEvent(trx, actor, plan, 'plan-comment-replied', correlationId, {
          commentId: comment.id,
        })
        return { outcome: 'replied' as const }
      })
    },

    /**
     * A worker answers the comment, resolves it, or both. An answer to a resolved comment is still
     * kept (the adopters may need to know more); resolving twice changes nothing.
     */
    async answer(
      actor: Staff,
      planId: string,
      commentId: string,
      given: { answer: string; resolve: boolean },
      correlationId: string,
    ): Promise<{ outcome: 'saved' | 'not-found' }> {
      return db.transaction().execute(async (trx) => {
        const plan = await plans.reach(actor, planId, 'plan:answer-comment', trx)
        const comment = plan && (await lockedComment(trx, plan.id, commentId))
        if (!plan || !comment) return { outcome: 'not-found' as const }
        if (given.answer) {
          await trx
            .insertInto('plan_comment_replies')
            .values({
              comment_id: comment.id,
              author_kind: 'staff',
              body: given.answer,
              written_by: actor.userId,
            })
            .execute()
          await recordPlanEvent(trx, actor, plan, 'plan-comment-answered', correlationId, {
            commentId: comment.id,
          })
        }
        if (given.resolve && !comment.resolved_at) {
          await trx
            .updateTable('plan_comments')
            .set({ resolved_at: new Date(), resolved_by: actor.userId })
            .where('id', '=', comment.id)
            .execute()
          await recordPlanEvent(trx, actor, plan, 'plan-comment-resolved', correlationId, {
            commentId: comment.id,
          })
        }
        return { outcome: 'saved' as const }
      })
    },
  }
}

export type CommentsService = ReturnType<typeof commentsService>
