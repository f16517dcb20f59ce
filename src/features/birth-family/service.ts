import { createHash } from 'node:crypto'
import { sql, type Transaction } from 'kysely'
import { z } from 'zod'
import type { Db } from '../../db/database.ts'
import type { BirthFamilyEntry, Database } from '../../db/schema.ts'
import {
  type Answer,
  formatCode,
  isLinkToken,
  LINK_DAYS,
  type LinkKind,
  type LinkStatus,
  linkStatus,
  newCode,
  newLinkToken,
  normaliseCode,
  secretHash,
} from '../../plan/birth-family.ts'
import { recordAudit } from '../../platform/audit.ts'
import { can } from '../../platform/policy.ts'
import type { StaffActor } from '../../platform/request-context.ts'
import type { PlanHeader, PlansService } from '../plans/service.ts'

// Birth family sign-off (issue 5, ADR 0014). A worker makes, for one birth relative of section 4, a
// single-use link or a code for a printed letter; it is shown to them once and only its keyed hash
// is kept. Whoever holds it reads that relative's entry of section 4, as it stands, and nothing else
// of the plan, and confirms (name and date) or declines (a reason), once. Or the worker records the
// relative's signature on paper, with its scan. Every step is audited against the child's record;
// a relative has no account, so their opening and answering are recorded with nobody as `who`.

type Executor = Db | Transaction<Database>

/** What the relative holds: the token of a link, or the code they typed from a letter. */
export type Credential = { kind: LinkKind; value: string }

export type PaperScan = { bytes: Buffer; mediaType: 'application/pdf' | 'image/jpeg' | 'image/png' }

export type OpenOutcome =
  | { outcome: 'open'; linkId: string; createdAt: Date; entry: BirthFamilyEntry }
  | { outcome: 'refused'; status: Exclude<LinkStatus, 'waiting'> }
  | { outcome: 'unknown' }

const isUuid = (value: string) => z.uuid().safeParse(value).success

const entryOf = (row: {
  relative: string
  relationship: string
  support: string
  provided_by: string
}): BirthFamilyEntry => ({
  relative: row.relative,
  relationship: row.relationship,
  support: row.support,
  providedBy: row.provided_by,
})

const sameEntry = (a: BirthFamilyEntry | null, b: BirthFamilyEntry) =>
  a !== null &&
  a.relative === b.relative &&
  a.relationship === b.relationship &&
  a.support === b.support &&
  a.providedBy === b.providedBy

export function birthFamilyService(db: Db, plans: PlansService, serviceSecret: string) {
  /** One relative of the plan's section 4; one taken out of it only when asked for. */
  async function relativeOf(
    executor: Executor,
    plan: PlanHeader,
    relativeId: string,
    options: { evenRemoved?: boolean } = {},
  ) {
    if (!isUuid(relativeId)) return null
    let query = executor
      .selectFrom('plan_birth_family_support')
      .select(['id', 'relative', 'relationship', 'support', 'provided_by', 'removed_at'])
      .where('id', '=', relativeId)
      .where('plan_id', '=', plan.id)
    if (!options.evenRemoved) query = query.where('removed_at', 'is', null)
    return (await query.executeTakeFirst()) ?? null
  }

  function audit(
    executor: Executor,
    what: string,
    plan: { agencyId: string; childId: string; id: string },
    who: string | null,
    correlationId: string,
    details: Record<string, unknown>,
  ) {
    return recordAudit(executor, {
      what,
      who,
      agencyId: plan.agencyId,
      subjectType: 'child',
      subjectId: plan.childId,
      correlationId,
      details: { planId: plan.id, ...details },
    })
  }

  /** Closes the relative's other links still waiting: they have answered, one way or another. */
  function closeOthers(trx: Transaction<Database>, relativeId: string, exceptId: string | null, now: Date) {
    let query = trx
      .updateTable('birth_family_links')
      .set({ closed_at: now })
      .where('relative_id', '=', relativeId)
      .where('answered_at', 'is', null)
      .where('revoked_at', 'is', null)
      .where('closed_at', 'is', null)
      .where('expires_at', '>', now)
    if (exceptId) query = query.where('id', '!=', exceptId)
    return query.execute()
  }

  /** The link a credential stands for, with its plan and relative; locked when asked. */
  async function findLink(executor: Executor, credential: Credential, lock = false) {
    const value = credential.kind === 'code' ? normaliseCode(credential.value) : credential.value
    if (!value || (credential.kind === 'link' && !isLinkToken(value))) return null
    let query = executor
      .selectFrom('birth_family_links')
      .innerJoin('plans', 'plans.id', 'birth_family_links.plan_id')
      .innerJoin('plan_birth_family_support as relative', 'relative.id', 'birth_family_links.relative_id')
      .select([
        'birth_family_links.id',
        'birth_family_links.agency_id as agencyId',
        'birth_family_links.plan_id as planId',
        'plans.child_id as childId',
        'birth_family_links.relative_id as relativeId',
        'birth_family_links.created_at as createdAt',
        'birth_family_links.expires_at as expiresAt',
        'birth_family_links.revoked_at as revokedAt',
        'birth_family_links.answered_at as answeredAt',
        'birth_family_links.answer',
        'birth_family_links.closed_at as closedAt',
        'birth_family_links.first_opened_at as firstOpenedAt',
        'relative.relative',
        'relative.relationship',
        'relative.support',
        'relative.provided_by',
        'relative.removed_at as relativeRemovedAt',
      ])
      .where('birth_family_links.secret_hash', '=', secretHash(serviceSecret, credential.kind, value))
      .where('birth_family_links.kind', '=', credential.kind)
    if (lock) query = query.forUpdate('birth_family_links')
    const row = await query.executeTakeFirst()
    if (!row) return null
    const status = linkStatus(row, new Date(), row.relativeRemovedAt !== null)
    return { row, status, plan: { id: row.planId, agencyId: row.agencyId, childId: row.childId } }
  }

  return {
    /**
     * Section 4's relatives with their links, codes and paper signatures, for the staff who read
     * the plan (a view of the child's record, audited). Relatives taken out of section 4 stay listed
     * while anything was sent to them.
     */
    async overview(actor: StaffActor, planId: string, correlationId: string) {
      const plan = await plans.reach(actor, planId, 'plan:birth-family-read')
      if (!plan) return null
      const canShare = can(actor, 'plan:birth-family-link', await plans.facts(plan))
      const links = await db
        .selectFrom('birth_family_links')
        .leftJoin('users', 'users.id', 'birth_family_links.created_by')
        .select([
          'birth_family_links.id',
          'birth_family_links.relative_id as relativeId',
          'birth_family_links.kind',
          'birth_family_links.created_at as createdAt',
          'birth_family_links.expires_at as expiresAt',
          'birth_family_links.revoked_at as revokedAt',
          'birth_family_links.first_opened_at as firstOpenedAt',
          'birth_family_links.answered_at as answeredAt',
          'birth_family_links.answer',
          'birth_family_links.answer_name as answerName',
          'birth_family_links.answer_date as answerDate',
          'birth_family_links.decline_reason as declineReason',
          'birth_family_links.answered_content as answeredContent',
          'birth_family_links.closed_at as closedAt',
          'users.name as createdBy',
        ])
        .where('birth_family_links.plan_id', '=', plan.id)
        .orderBy('birth_family_links.created_at', 'desc')
        .execute()
      const signatures = await db
        .selectFrom('birth_family_signatures')
        .leftJoin('users', 'users.id', 'birth_family_signatures.recorded_by')
        .select([
          'birth_family_signatures.id',
          'birth_family_signatures.relative_id as relativeId',
          'birth_family_signatures.signed_name as signedName',
          'birth_family_signatures.signed_on as signedOn',
          'birth_family_signatures.media_type as mediaType',
          'birth_family_signatures.shown_content as shownContent',
          'birth_family_signatures.recorded_at as recordedAt',
          'users.name as recordedBy',
        ])
        .where('birth_family_signatures.plan_id', '=', plan.id)
        .orderBy('birth_family_signatures.recorded_at', 'desc')
        .execute()
      const referenced = new Set([...links, ...signatures].map((row) => row.relativeId))
      const relatives = (
        await db
          .selectFrom('plan_birth_family_support')
          .select(['id', 'relative', 'relationship', 'support', 'provided_by', 'removed_at'])
          .where('plan_id', '=', plan.id)
          .orderBy('position')
          .orderBy('created_at')
          .execute()
      ).filter((row) => row.removed_at === null || referenced.has(row.id))
      const now = new Date()
      await audit(db, 'plan-viewed', plan, actor.userId, correlationId, { section: 'birth-family sign-off' })
      return {
        plan,
        canShare,
        relatives: relatives.map((row) => {
          const entry = entryOf(row)
          const removed = row.removed_at !== null
          return {
            id: row.id,
            entry,
            removed,
            links: links
              .filter((link) => link.relativeId === row.id)
              .map((link) => ({
                ...link,
                status: linkStatus(link, now, removed),
                // The answer was given to the entry as it stood then; it may have changed since.
                changedSince: link.answeredContent !== null && !sameEntry(link.answeredContent, entry),
              })),
            signatures: signatures
              .filter((signature) => signature.relativeId === row.id)
              .map((signature) => ({
                ...signature,
                changedSince: !sameEntry(signature.shownContent as BirthFamilyEntry, entry),
              })),
          }
        }),
      }
    },

    /** One relative of section 4, to make a link or record a signature for (not audited: no answer). */
    async relative(actor: StaffActor, planId: string, relativeId: string) {
      const plan = await plans.reach(actor, planId, 'plan:birth-family-link')
      const row = plan && (await relativeOf(db, plan, relativeId))
      return plan && row ? { plan, relativeId: row.id, entry: entryOf(row) } : null
    },

    /**
     * Makes a link or a letter's code for one relative. The secret is in the answer, to be shown to
     * the worker this once; only its keyed hash is kept.
     */
    async create(
      actor: StaffActor,
      planId: string,
      relativeId: string,
      kind: LinkKind,
      correlationId: string,
    ): Promise<{ secret: string; shown: string; expiresAt: Date; entry: BirthFamilyEntry } | null> {
      return db.transaction().execute(async (trx) => {
        const plan = await plans.reach(actor, planId, 'plan:birth-family-link', trx)
        const row = plan && (await relativeOf(trx, plan, relativeId))
        if (!plan || !row) return null
        const secret = kind === 'link' ? newLinkToken() : newCode()
        const expiresAt = new Date(Date.now() + LINK_DAYS * 86_400_000)
        const link = await trx
          .insertInto('birth_family_links')
          .values({
            agency_id: plan.agencyId,
            plan_id: plan.id,
            relative_id: row.id,
            kind,
            secret_hash: secretHash(serviceSecret, kind, secret),
            created_by: actor.userId,
            expires_at: expiresAt,
          })
          .returning('id')
          .executeTakeFirstOrThrow()
        await audit(trx, 'birth-family-link-created', plan, actor.userId, correlationId, {
          linkId: link.id,
          relativeId: row.id,
          kind,
          expiresAt: expiresAt.toISOString(),
        })
        return {
          secret,
          shown: kind === 'link' ? `/birth-family/${secret}` : formatCode(secret),
          expiresAt,
          entry: entryOf(row),
        }
      })
    },

    /** Withdraws a link or code that is still waiting; one that was answered or closed stays as it is. */
    async revoke(actor: StaffActor, planId: string, linkId: string, correlationId: string) {
      if (!isUuid(linkId)) return 'not-found' as const
      return db.transaction().execute(async (trx) => {
        const plan = await plans.reach(actor, planId, 'plan:birth-family-link', trx)
        if (!plan) return 'not-found' as const
        const now = new Date()
        const revoked = await trx
          .updateTable('birth_family_links')
          .set({ revoked_at: now, revoked_by: actor.userId })
          .where('id', '=', linkId)
          .where('plan_id', '=', plan.id)
          .where('answered_at', 'is', null)
          .where('revoked_at', 'is', null)
          .where('closed_at', 'is', null)
          .where('expires_at', '>', now)
          .returning('relative_id')
          .executeTakeFirst()
        if (!revoked) {
          const exists = await trx
            .selectFrom('birth_family_links')
            .select('id')
            .where('id', '=', linkId)
            .where('plan_id', '=', plan.id)
            .executeTakeFirst()
          return exists ? ('not-waiting' as const) : ('not-found' as const)
        }
        await audit(trx, 'birth-family-link-revoked', plan, actor.userId, correlationId, {
          linkId,
          relativeId: revoked.relative_id,
        })
        return 'revoked' as const
      })
    },

    /**
     * What a relative sees through their link or code: their entry of section 4, as it stands. Every
     * opening is audited, and so is every refusal of a link or code that exists. `shown: false` checks
     * the link before an answer is written, showing nothing (only a refusal is audited then).
     */
    async open(
      credential: Credential,
      correlationId: string,
      options: { shown?: boolean } = {},
    ): Promise<OpenOutcome> {
      const found = await findLink(db, credential)
      if (!found) return { outcome: 'unknown' }
      const { row, status, plan } = found
      if (status !== 'waiting') {
        await audit(db, 'birth-family-link-refused', plan, null, correlationId, {
          linkId: row.id,
          kind: credential.kind,
          status,
        })
        return { outcome: 'refused', status }
      }
      const opened = {
        outcome: 'open' as const,
        linkId: row.id,
        createdAt: row.createdAt,
        entry: entryOf(row),
      }
      if (options.shown === false) return opened
      await db.transaction().execute(async (trx) => {
        if (!row.firstOpenedAt)
          await trx
            .updateTable('birth_family_links')
            .set({ first_opened_at: sql`coalesce(first_opened_at, now())` })
            .where('id', '=', row.id)
            .execute()
        await audit(trx, 'birth-family-link-opened', plan, null, correlationId, {
          linkId: row.id,
          kind: credential.kind,
        })
      })
      return opened
    },

    /**
     * Records the relative's answer and spends the link, in one step with the link's row locked: two
     * answers sent at once are one answer and one refusal. Their other links close with it.
     */
    async answer(credential: Credential, answer: Answer, correlationId: string): Promise<OpenOutcome> {
      return db.transaction().execute(async (trx) => {
        const found = await findLink(trx, credential, true)
        if (!found) return { outcome: 'unknown' as const }
        const { row, status, plan } = found
        if (status !== 'waiting') {
          await audit(trx, 'birth-family-link-refused', plan, null, correlationId, {
            linkId: row.id,
            kind: credential.kind,
            status,
          })
          return { outcome: 'refused' as const, status }
        }
        const now = new Date()
        const entry = entryOf(row)
        await trx
          .updateTable('birth_family_links')
          .set({
            answered_at: now,
            answer: answer.answer,
            answer_name: answer.answer === 'confirmed' ? answer.name : null,
            answer_date: answer.answer === 'confirmed' ? answer.date : null,
            decline_reason: answer.answer === 'declined' ? answer.reason : null,
            answered_content: JSON.stringify(entry),
            first_opened_at: sql`coalesce(first_opened_at, now())`,
          })
          .where('id', '=', row.id)
          .execute()
        await closeOthers(trx, row.relativeId, row.id, now)
        await audit(trx, 'birth-family-link-answered', plan, null, correlationId, {
          linkId: row.id,
          kind: credential.kind,
          answer: answer.answer,
        })
        return { outcome: 'open' as const, linkId: row.id, createdAt: row.createdAt, entry }
      })
    },

    /** A signature on paper, with its scan: the relative's answer, given another way. */
    async recordSignature(
      actor: StaffActor,
      planId: string,
      relativeId: string,
      signature: { name: string; signedOn: string; scan: PaperScan },
      correlationId: string,
    ): Promise<string | null> {
      return db.transaction().execute(async (trx) => {
        const plan = await plans.reach(actor, planId, 'plan:birth-family-link', trx)
        const row = plan && (await relativeOf(trx, plan, relativeId))
        if (!plan || !row) return null
        const saved = await trx
          .insertInto('birth_family_signatures')
          .values({
            agency_id: plan.agencyId,
            plan_id: plan.id,
            relative_id: row.id,
            signed_name: signature.name,
            signed_on: signature.signedOn,
            media_type: signature.scan.mediaType,
            bytes: signature.scan.bytes,
            sha256: createHash('sha256').update(signature.scan.bytes).digest('hex'),
            shown_content: JSON.stringify(entryOf(row)),
            recorded_by: actor.userId,
          })
          .returning('id')
          .executeTakeFirstOrThrow()
        await closeOthers(trx, row.id, null, new Date())
        await audit(trx, 'birth-family-signature-recorded', plan, actor.userId, correlationId, {
          signatureId: saved.id,
          relativeId: row.id,
          mediaType: signature.scan.mediaType,
        })
        return saved.id
      })
    },

    /** A paper signature's scan, for staff who read the plan (audited as a view of the record). */
    async scan(actor: StaffActor, planId: string, signatureId: string, correlationId: string) {
      if (!isUuid(signatureId)) return null
      const plan = await plans.reach(actor, planId, 'plan:birth-family-read')
      if (!plan) return null
      const row = await db
        .selectFrom('birth_family_signatures')
        .select(['bytes', 'media_type'])
        .where('id', '=', signatureId)
        .where('plan_id', '=', plan.id)
        .executeTakeFirst()
      if (!row) return null
      await audit(db, 'birth-family-signature-viewed', plan, actor.userId, correlationId, { signatureId })
      return { bytes: row.bytes, mediaType: row.media_type }
    },
  }
}

export type BirthFamilyService = ReturnType<typeof birthFamilyService>
