import type { Transaction } from 'kysely'
import { z } from 'zod'
import type { Db } from '../../db/database.ts'
import type { Database } from '../../db/schema.ts'
import { recordAudit } from '../../platform/audit.ts'
import { hashPassword, PASSWORD_MIN_LENGTH } from '../../platform/passwords.ts'
import { type Actor, can } from '../../platform/policy.ts'
import { ADOPTER_ROLE, STAFF_ROLES, type StaffRole } from '../../platform/roles.ts'
import { hashToken, newToken } from '../../platform/sessions.ts'
import { findUserByEmail, insertUser } from '../accounts/service.ts'

// Accounts begin with an invitation: a single-use link that expires, sent by e-mail. The person
// chooses their password, then sets up their second factor like anyone signing in for the first
// time. Only the link's hash is stored; the e-mail says only that there is an invitation.

export const INVITATION_DAYS = 7

/** Puts an e-mail in the outbox, in the transaction that made the invitation. */
export type QueueInvitation = (
  trx: Transaction<Database>,
  message: { to: string; kind: 'adopter-invitation' | 'staff-invitation'; link: string },
) => Promise<void>

export const staffInvitation = z.object({
  name: z
    .string()
    .trim()
    .min(1, 'Enter their full name')
    .max(200, 'The name must be 200 characters or fewer'),
  email: z.email('Enter an email address in the correct format, like name@example.com').max(254),
  role: z.enum(STAFF_ROLES, { error: 'Select their role' }),
})

export const newPassword = z
  .object({
    password: z
      .string()
      .min(PASSWORD_MIN_LENGTH, `Your password must be at least ${PASSWORD_MIN_LENGTH} characters`)
      .max(200, 'Your password must be 200 characters or fewer'),
    confirm: z.string(),
  })
  .refine((form) => form.password === form.confirm, {
    path: ['confirm'],
    message: 'The passwords do not match',
  })

type StaffActor = Actor & { kind: 'staff' }
export type InvitationOutcome = { outcome: 'invited' } | { outcome: 'not-found' } | { outcome: 'email-taken' }

export function invitationsService(db: Db, queue: QueueInvitation) {
  async function invite(
    trx: Transaction<Database>,
    invitedBy: StaffActor,
    user: { agencyId: string; email: string; name: string; role: StaffRole | typeof ADOPTER_ROLE },
    kind: 'adopter-invitation' | 'staff-invitation',
  ): Promise<string> {
    const userId = await insertUser(trx, { ...user, passwordHash: null, totpSecret: null })
    const { token, hash } = newToken()
    await trx
      .insertInto('invitations')
      .values({
        token_hash: hash,
        user_id: userId,
        invited_by: invitedBy.userId,
        expires_at: new Date(Date.now() + INVITATION_DAYS * 86_400_000),
      })
      .execute()
    await queue(trx, { to: user.email, kind, link: `/invitations/${token}` })
    return userId
  }

  const emailTaken = async (email: string) => (await findUserByEmail(db, email)) !== undefined

  return {
    async inviteAdopter(
      actor: StaffActor,
      familyId: string,
      adopterId: string,
      correlationId: string,
    ): Promise<InvitationOutcome> {
      if (!z.uuid().safeParse(familyId).success || !z.uuid().safeParse(adopterId).success)
        return { outcome: 'not-found' }
      const adopter = await db
        .selectFrom('adopters')
        .innerJoin('families', 'families.id', 'adopters.family_id')
        .select([
          'adopters.id',
          'adopters.first_name',
          'adopters.last_name',
          'adopters.email',
          'adopters.user_id',
          'families.agency_id',
        ])
        .where('adopters.id', '=', adopterId)
        .where('adopters.family_id', '=', familyId)
        .executeTakeFirst()
      if (
        !adopter?.email ||
        adopter.user_id ||
        !can(actor, 'family:update', { agencyId: adopter.agency_id })
      ) {
        return { outcome: 'not-found' }
      }
      if (await emailTaken(adopter.email)) return { outcome: 'email-taken' }
      await db.transaction().execute(async (trx) => {
        const userId = await invite(
          trx,
          actor,
          {
            agencyId: adopter.agency_id,
            email: adopter.email as string,
            name: `${adopter.first_name} ${adopter.last_name}`,
            role: ADOPTER_ROLE,
          },
          'adopter-invitation',
        )
        await trx.updateTable('adopters').set({ user_id: userId }).where('id', '=', adopter.id).execute()
        await recordAudit(trx, {
          what: 'adopter-invited',
          who: actor.userId,
          agencyId: adopter.agency_id,
          subjectType: 'family',
          subjectId: familyId,
          correlationId,
          details: { userId },
        })
      })
      return { outcome: 'invited' }
    },

    async inviteStaff(
      actor: StaffActor,
      details: z.output<typeof staffInvitation>,
      correlationId: string,
    ): Promise<InvitationOutcome> {
      if (!can(actor, 'staff:manage', { agencyId: actor.agencyId })) return { outcome: 'not-found' }
      if (await emailTaken(details.email)) return { outcome: 'email-taken' }
      await db.transaction().execute(async (trx) => {
        const userId = await invite(trx, actor, { agencyId: actor.agencyId, ...details }, 'staff-invitation')
        await recordAudit(trx, {
          what: 'user-invited',
          who: actor.userId,
          agencyId: actor.agencyId,
          subjectType: 'user',
          subjectId: userId,
          correlationId,
          details: { role: details.role },
        })
      })
      return { outcome: 'invited' }
    },

    /** The invited person, if the link is live: not used, not expired, account not deactivated. */
    async open(token: string) {
      return db
        .selectFrom('invitations')
        .innerJoin('users', 'users.id', 'invitations.user_id')
        .select(['invitations.id', 'users.id as userId', 'users.agency_id as agencyId', 'users.name'])
        .where('invitations.token_hash', '=', hashToken(token))
        .where('invitations.used_at', 'is', null)
        .where('invitations.expires_at', '>', new Date())
        .where('users.active', '=', true)
        .executeTakeFirst()
    },

    /** Sets the password and spends the link, in one step: a link works once. */
    async accept(token: string, password: string, correlationId: string): Promise<string | null> {
      const invitation = await this.open(token)
      if (!invitation) return null
      const passwordHash = await hashPassword(password)
      return db.transaction().execute(async (trx) => {
        const spent = await trx
          .updateTable('invitations')
          .set({ used_at: new Date() })
          .where('id', '=', invitation.id)
          .where('used_at', 'is', null)
          .executeTakeFirst()
        if (spent.numUpdatedRows === 0n) return null
        await trx
          .updateTable('users')
          .set({ password_hash: passwordHash, updated_at: new Date() })
          .where('id', '=', invitation.userId)
          .execute()
        await recordAudit(trx, {
          what: 'invitation-accepted',
          who: invitation.userId,
          agencyId: invitation.agencyId,
          subjectType: 'user',
          subjectId: invitation.userId,
          correlationId,
        })
        return invitation.userId
      })
    },
  }
}

export type InvitationsService = ReturnType<typeof invitationsService>
