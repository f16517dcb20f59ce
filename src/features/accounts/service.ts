import { sql, type Transaction } from 'kysely'
import { z } from 'zod'
import type { Db } from '../../db/database.ts'
import type { AgencyKind, Database, User } from '../../db/schema.ts'
import { recordAudit } from '../../platform/audit.ts'
import { hashPassword } from '../../platform/passwords.ts'
import { STAFF_ROLES } from '../../platform/roles.ts'
import { hashToken, newToken } from '../../platform/sessions.ts'

// Agencies, staff accounts and API tokens: what operators set up with the CLI.

export const agencyInput = z.object({
  name: z.string().trim().min(1).max(200),
  kind: z.enum(['raa', 'vaa', 'la']),
  region: z.string().trim().min(1).max(100).optional(),
})

export const userInput = z.object({
  agencyId: z.uuid(),
  email: z.email().max(254),
  name: z.string().trim().min(1).max(200),
  role: z.enum(STAFF_ROLES),
  password: z.string().min(12).max(200).optional(),
  totpSecret: z.string().min(16).optional(),
})

export class AccountError extends Error {}

const API_TOKEN_PREFIX = 'asp_'

export type Accounts = ReturnType<typeof accounts>

type Executor = Db | Transaction<Database>

/** E-mail addresses are unique whatever their case. */
export function findUserByEmail(executor: Executor, email: string): Promise<User | undefined> {
  return executor
    .selectFrom('users')
    .selectAll()
    .where(sql<string>`lower(email)`, '=', email.trim().toLowerCase())
    .executeTakeFirst()
}

/** A new account row: by the CLI with a password, or by an invitation without one yet. */
export async function insertUser(
  executor: Executor,
  user: {
    agencyId: string
    email: string
    name: string
    role: User['role']
    passwordHash: string | null
    totpSecret: string | null
  },
): Promise<string> {
  const row = await executor
    .insertInto('users')
    .values({
      agency_id: user.agencyId,
      email: user.email,
      name: user.name,
      role: user.role,
      password_hash: user.passwordHash,
      totp_secret: user.totpSecret,
      totp_last_step: null,
      locked_until: null,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  return row.id
}

export function accounts(db: Db) {
  return {
    async addAgency(input: z.input<typeof agencyInput>): Promise<string> {
      const agency = agencyInput.parse(input)
      const row = await db
        .insertInto('agencies')
        .values({ name: agency.name, kind: agency.kind as AgencyKind, region: agency.region ?? null })
        .returning('id')
        .executeTakeFirstOrThrow()
      return row.id
    },

    async addUser(input: z.input<typeof userInput>): Promise<string> {
      const user = userInput.parse(input)
      const agency = await db
        .selectFrom('agencies')
        .select('id')
        .where('id', '=', user.agencyId)
        .executeTakeFirst()
      if (!agency) throw new AccountError(`No agency has the id ${user.agencyId}`)
      const taken = await this.findByEmail(user.email)
      if (taken) throw new AccountError('A user with this e-mail address already exists')
      return db.transaction().execute(async (trx) => {
        const id = await insertUser(trx, {
          agencyId: user.agencyId,
          email: user.email,
          name: user.name,
          role: user.role,
          passwordHash: user.password ? await hashPassword(user.password) : null,
          totpSecret: user.totpSecret ?? null,
        })
        await recordAudit(trx, {
          what: 'user-added',
          who: null,
          agencyId: user.agencyId,
          subjectType: 'user',
          subjectId: id,
          details: { role: user.role },
        })
        return id
      })
    },

    findByEmail(email: string): Promise<User | undefined> {
      return findUserByEmail(db, email)
    },

    /** The family an adopter's account belongs to. */
    async familyOf(userId: string): Promise<string | undefined> {
      const adopter = await db
        .selectFrom('adopters')
        .select('family_id')
        .where('user_id', '=', userId)
        .executeTakeFirst()
      return adopter?.family_id
    },

    findById(id: string): Promise<User | undefined> {
      return db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst()
    },

    /** A new API token for a user; only its hash is kept, so it is shown once. */
    async addToken(userId: string, days: number): Promise<string> {
      if (!Number.isInteger(days) || days < 1 || days > 366) throw new AccountError('--days must be 1 to 366')
      const user = await this.findById(userId)
      if (!user) throw new AccountError(`No user has the id ${userId}`)
      const { token, hash } = newToken(API_TOKEN_PREFIX)
      await db
        .insertInto('api_tokens')
        .values({ user_id: userId, token_hash: hash, expires_at: new Date(Date.now() + days * 86_400_000) })
        .execute()
      await recordAudit(db, {
        what: 'api-token-added',
        who: null,
        agencyId: user.agency_id,
        subjectType: 'user',
        subjectId: userId,
        details: { days },
      })
      return token
    },

    /** The active user an API token acts as, if the token is live. */
    async userForToken(token: string): Promise<User | undefined> {
      if (!token.startsWith(API_TOKEN_PREFIX)) return undefined
      const now = new Date()
      const row = await db
        .selectFrom('api_tokens')
        .innerJoin('users', 'users.id', 'api_tokens.user_id')
        .selectAll('users')
        .select('api_tokens.id as token_id')
        .where('api_tokens.token_hash', '=', hashToken(token))
        .where('api_tokens.revoked_at', 'is', null)
        .where('api_tokens.expires_at', '>', now)
        .where('users.active', '=', true)
        .executeTakeFirst()
      if (!row) return undefined
      const { token_id, ...user } = row
      await db.updateTable('api_tokens').set({ last_used_at: now }).where('id', '=', token_id).execute()
      return user
    },
  }
}
