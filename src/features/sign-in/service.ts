import type { Db } from '../../db/database.ts'
import type { User } from '../../db/schema.ts'
import { type AuditEvent, recordAudit } from '../../platform/audit.ts'
import { passwordMatches } from '../../platform/passwords.ts'
import { acceptTotp } from '../../platform/totp.ts'
import type { Accounts } from '../accounts/service.ts'

// Signing in: a password, then a second factor. Five failures in a row, of either, lock the account
// for a while; every attempt is in the audit log. Messages never say whether an e-mail address has
// an account.

export const MAX_FAILED_ATTEMPTS = 5
export const LOCKOUT_MINUTES = 15

// Verifying against a real hash costs the same time whether or not the account exists.
const NO_SUCH_USER_HASH =
  '$argon2id$v=19$m=19456,t=2,p=1$Aq8PA3V6CZrW0//lfNohEQ$gf3vk6F+lufWY2qWfLRVGjepeEJhjbi3Jxjiv17KNmc'

export type PasswordOutcome =
  | { outcome: 'ok'; user: User }
  | { outcome: 'wrong' }
  | { outcome: 'locked'; until: Date }

export type SecondFactorOutcome =
  | { outcome: 'ok' }
  | { outcome: 'wrong' }
  | { outcome: 'locked'; until: Date }

export type Attempt = { correlationId: string }

/** An event about a person's own account, seen from the attempt that caused it. */
export function accountEvent(
  what: string,
  user: Pick<User, 'id' | 'agency_id'>,
  attempt: Attempt,
  details?: Record<string, unknown>,
): AuditEvent {
  return {
    what,
    who: user.id,
    agencyId: user.agency_id,
    subjectType: 'user',
    subjectId: user.id,
    correlationId: attempt.correlationId,
    details,
  }
}

export function signInService(db: Db, accounts: Accounts) {
  async function recordFailure(
    user: User,
    stage: 'password' | 'second-factor',
    attempt: Attempt,
  ): Promise<Date | null> {
    return db.transaction().execute(async (trx) => {
      const failures = user.failed_sign_ins + 1
      const lockedUntil =
        failures >= MAX_FAILED_ATTEMPTS ? new Date(Date.now() + LOCKOUT_MINUTES * 60_000) : null
      await trx
        .updateTable('users')
        .set({
          failed_sign_ins: lockedUntil ? 0 : failures,
          locked_until: lockedUntil,
          updated_at: new Date(),
        })
        .where('id', '=', user.id)
        .execute()
      await recordAudit(trx, accountEvent('sign-in-failed', user, attempt, { stage, failures }))
      if (lockedUntil) {
        await recordAudit(trx, accountEvent('account-locked', user, attempt, { minutes: LOCKOUT_MINUTES }))
      }
      return lockedUntil
    })
  }

  function lockedUntil(user: User): Date | null {
    return user.locked_until && user.locked_until > new Date() ? user.locked_until : null
  }

  return {
    async checkPassword(email: string, password: string, attempt: Attempt): Promise<PasswordOutcome> {
      const user = await accounts.findByEmail(email)
      if (!user?.active || !user.password_hash) {
        await passwordMatches(NO_SUCH_USER_HASH, password)
        // No account to name: the event says only that an attempt failed.
        await recordAudit(db, {
          what: 'sign-in-failed',
          who: null,
          correlationId: attempt.correlationId,
          details: { stage: 'password', reason: 'no-active-account' },
        })
        return { outcome: 'wrong' }
      }
      const locked = lockedUntil(user)
      if (locked) {
        await recordAudit(db, accountEvent('sign-in-refused-locked', user, attempt))
        return { outcome: 'locked', until: locked }
      }
      if (!(await passwordMatches(user.password_hash, password))) {
        const until = await recordFailure(user, 'password', attempt)
        return until ? { outcome: 'locked', until } : { outcome: 'wrong' }
      }
      return { outcome: 'ok', user }
    },

    /** Checks a code against the user's secret, or against the one being set up. */
    async checkSecondFactor(
      user: User,
      code: string,
      attempt: Attempt,
      setupSecret?: string,
    ): Promise<SecondFactorOutcome> {
      const locked = lockedUntil(user)
      if (locked) return { outcome: 'locked', until: locked }
      const secret = setupSecret ?? user.totp_secret
      const step = secret ? await acceptTotp(secret, code, setupSecret ? null : user.totp_last_step) : null
      if (step === null) {
        const until = await recordFailure(user, 'second-factor', attempt)
        return until ? { outcome: 'locked', until } : { outcome: 'wrong' }
      }
      await db.transaction().execute(async (trx) => {
        await trx
          .updateTable('users')
          .set({
            totp_secret: secret,
            totp_last_step: step,
            failed_sign_ins: 0,
            locked_until: null,
            updated_at: new Date(),
          })
          .where('id', '=', user.id)
          .execute()
        if (setupSecret) {
          await recordAudit(trx, accountEvent('second-factor-set-up', user, attempt))
        }
        await recordAudit(trx, accountEvent('signed-in', user, attempt, { method: 'password-and-totp' }))
      })
      return { outcome: 'ok' }
    },

    async recordSignOut(user: Pick<User, 'id' | 'agency_id'>, attempt: Attempt): Promise<void> {
      await recordAudit(db, accountEvent('signed-out', user, attempt))
    },
  }
}

export type SignInService = ReturnType<typeof signInService>
