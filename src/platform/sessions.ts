import { createHash, randomBytes } from 'node:crypto'
import type { Db } from '../db/database.ts'
import type { Session, SessionData, User } from '../db/schema.ts'

// Sessions live in the database so that any number of app instances share them. The cookie holds
// a random token; the database holds only its hash, so a copy of the table lets nobody sign in.

const MAX_SESSION_HOURS = 12
const TOUCH_EVERY_MS = 15_000

export function newToken(prefix = ''): { token: string; hash: string } {
  const token = prefix + randomBytes(32).toString('base64url')
  return { token, hash: hashToken(token) }
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex')
}

export type SessionStore = ReturnType<typeof sessionStore>

export function sessionStore(db: Db, idleMinutes: number) {
  const idleMs = idleMinutes * 60_000

  return {
    idleMinutes,

    async start(userId: string, userAgent: string | undefined): Promise<{ token: string; session: Session }> {
      const { token, hash } = newToken()
      const now = new Date()
      const session = await db
        .insertInto('sessions')
        .values({
          id: hash,
          user_id: userId,
          last_seen_at: now,
          expires_at: new Date(now.getTime() + MAX_SESSION_HOURS * 3_600_000),
          user_agent: userAgent?.slice(0, 200) ?? null,
        })
        .returningAll()
        .executeTakeFirstOrThrow()
      return { token, session }
    },

    /** The live session and its user for a cookie token; touching it keeps it alive. */
    async resume(token: string): Promise<{ session: Session; user: User } | null> {
      const now = new Date()
      // One query for both: the session's columns under names of their own beside the user's.
      const row = await db
        .selectFrom('sessions')
        .innerJoin('users', 'users.id', 'sessions.user_id')
        .selectAll('users')
        .select([
          'sessions.id as session_id',
          'sessions.second_factor_done as session_second_factor_done',
          'sessions.created_at as session_created_at',
          'sessions.last_seen_at as session_last_seen_at',
          'sessions.expires_at as session_expires_at',
          'sessions.ended_at as session_ended_at',
          'sessions.user_agent as session_user_agent',
          'sessions.totp_setup_secret as session_totp_setup_secret',
          'sessions.data as session_data',
        ])
        .where('sessions.id', '=', hashToken(token))
        .where('sessions.ended_at', 'is', null)
        .executeTakeFirst()
      if (!row) return null
      const {
        session_id,
        session_second_factor_done,
        session_created_at,
        session_last_seen_at,
        session_expires_at,
        session_ended_at,
        session_user_agent,
        session_totp_setup_secret,
        session_data,
        ...user
      } = row
      const session: Session = {
        id: session_id,
        user_id: user.id,
        second_factor_done: session_second_factor_done,
        created_at: session_created_at,
        last_seen_at: session_last_seen_at,
        expires_at: session_expires_at,
        ended_at: session_ended_at,
        user_agent: session_user_agent,
        totp_setup_secret: session_totp_setup_secret,
        data: session_data,
      }
      const idle = now.getTime() - session.last_seen_at.getTime() > idleMs
      if (!user.active || idle || session.expires_at <= now) {
        await this.end(session.id)
        return null
      }
      // Touching the row on every request costs a write each time; a few seconds' slack in a
      // half-hour idle clock costs nothing.
      if (now.getTime() - session.last_seen_at.getTime() < TOUCH_EVERY_MS) return { session, user }
      await db.updateTable('sessions').set({ last_seen_at: now }).where('id', '=', session.id).execute()
      return { session: { ...session, last_seen_at: now }, user }
    },

    /** After the second factor: a new token, so a token seen before sign-in is worth nothing. */
    async completeSignIn(sessionId: string): Promise<string> {
      const { token, hash } = newToken()
      await db
        .updateTable('sessions')
        .set({ id: hash, second_factor_done: true, totp_setup_secret: null, last_seen_at: new Date() })
        .where('id', '=', sessionId)
        .execute()
      return token
    },

    async setTotpSetupSecret(sessionId: string, secret: string): Promise<void> {
      await db
        .updateTable('sessions')
        .set({ totp_setup_secret: secret })
        .where('id', '=', sessionId)
        .execute()
    },

    async setData(sessionId: string, data: SessionData): Promise<void> {
      await db
        .updateTable('sessions')
        .set({ data: JSON.stringify(data) })
        .where('id', '=', sessionId)
        .execute()
    },

    /** A person's live sessions, newest first: where they are signed in now. */
    active(userId: string) {
      return db
        .selectFrom('sessions')
        .select(['id', 'created_at', 'last_seen_at', 'user_agent'])
        .where('user_id', '=', userId)
        .where('ended_at', 'is', null)
        .where('second_factor_done', '=', true)
        .where('expires_at', '>', new Date())
        .where('last_seen_at', '>', new Date(Date.now() - idleMs))
        .orderBy('last_seen_at', 'desc')
        .execute()
    },

    /** Ends one of the person's own sessions; someone else's is left alone. */
    async endOwn(userId: string, sessionId: string): Promise<boolean> {
      const result = await db
        .updateTable('sessions')
        .set({ ended_at: new Date() })
        .where('id', '=', sessionId)
        .where('user_id', '=', userId)
        .where('ended_at', 'is', null)
        .executeTakeFirst()
      return result.numUpdatedRows > 0n
    },

    async end(sessionId: string): Promise<void> {
      await db.updateTable('sessions').set({ ended_at: new Date() }).where('id', '=', sessionId).execute()
    },
  }
}
