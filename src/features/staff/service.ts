import { z } from 'zod'
import type { Db } from '../../db/database.ts'
import { recordAudit } from '../../platform/audit.ts'
import { type Actor, can } from '../../platform/policy.ts'

// Agency administrators look after their staff's accounts. Deactivating someone ends every session
// and API token of theirs at once; nothing about them is deleted, so the record of what they did
// stays whole.

type StaffActor = Actor & { kind: 'staff' }

export type StaffMember = {
  id: string
  name: string
  email: string
  role: string
  active: boolean
  hasPassword: boolean
  lastSignIn: Date | null
}

const isUuid = (value: string) => z.uuid().safeParse(value).success

export function staffService(db: Db) {
  async function member(actor: StaffActor, id: string): Promise<StaffMember | null> {
    if (!isUuid(id)) return null
    const user = await db
      .selectFrom('users')
      .select(['id', 'name', 'email', 'role', 'active', 'agency_id', 'password_hash'])
      .select((eb) =>
        eb
          .selectFrom('sessions')
          .select((sub) => sub.fn.max('sessions.created_at').as('last'))
          .whereRef('sessions.user_id', '=', 'users.id')
          .where('sessions.second_factor_done', '=', true)
          .as('lastSignIn'),
      )
      .where('id', '=', id)
      .executeTakeFirst()
    if (!user || !can(actor, 'staff:manage', { agencyId: user.agency_id })) return null
    return {
      id: user.id,
      name: user.name,
      email: user.email,
      role: user.role,
      active: user.active,
      hasPassword: user.password_hash !== null,
      lastSignIn: user.lastSignIn ?? null,
    }
  }

  async function setActive(
    actor: StaffActor,
    id: string,
    active: boolean,
    correlationId: string,
  ): Promise<boolean> {
    const person = await member(actor, id)
    if (!person || person.id === actor.userId || person.active === active) return false
    const now = new Date()
    await db.transaction().execute(async (trx) => {
      await trx
        .updateTable('users')
        .set({ active, deactivated_at: active ? null : now, updated_at: now })
        .where('id', '=', id)
        .execute()
      if (!active) {
        await trx
          .updateTable('sessions')
          .set({ ended_at: now })
          .where('user_id', '=', id)
          .where('ended_at', 'is', null)
          .execute()
        await trx
          .updateTable('api_tokens')
          .set({ revoked_at: now })
          .where('user_id', '=', id)
          .where('revoked_at', 'is', null)
          .execute()
      }
      await recordAudit(trx, {
        what: active ? 'user-reactivated' : 'user-deactivated',
        who: actor.userId,
        agencyId: actor.agencyId,
        subjectType: 'user',
        subjectId: id,
        correlationId,
      })
    })
    return true
  }

  return {
    list(actor: StaffActor) {
      return db
        .selectFrom('users')
        .select(['id', 'name', 'email', 'role', 'active'])
        .where('agency_id', '=', actor.agencyId)
        .orderBy('active', 'desc')
        .orderBy('name')
        .execute()
    },
    member,
    /** Ends the person's sessions and API tokens now; they can be reactivated, tokens cannot. */
    deactivate: (actor: StaffActor, id: string, correlationId: string) =>
      setActive(actor, id, false, correlationId),
    reactivate: (actor: StaffActor, id: string, correlationId: string) =>
      setActive(actor, id, true, correlationId),
  }
}

export type StaffService = ReturnType<typeof staffService>
