import { sql } from 'kysely'
import { z } from 'zod'
import type { Db } from '../../db/database.ts'
import { recordAudit } from '../../platform/audit.ts'
import { seal, unseal } from '../../platform/sealed.ts'

// Each agency's OpenID Connect provider, as an operator sets it with `npm run cli -- sso set`. The
// client secret is sealed before it reaches the database and is never logged, audited or shown.

const SECRET_PURPOSE = 'identity provider client secret'

// Microsoft Entra ID's shared endpoints let in people of any tenant: anyone could then present any
// e-mail address. Only a tenant's own issuer (…/TENANT-ID/v2.0) is accepted.
const ENTRA_HOST = 'login.microsoftonline.com'
const ENTRA_SHARED_TENANT = /^\/(common|organizations|consumers)(\/|$)/i
const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]'])

function issuerProblem(value: string, allowLoopbackHttp: boolean): string | undefined {
  let url: URL
  try {
    url = new URL(value)
  } catch {
    return 'Give the issuer as a full address, like https://login.microsoftonline.com/TENANT-ID/v2.0'
  }
  const localTest = url.protocol === 'http:' && LOOPBACK.has(url.hostname) && allowLoopbackHttp
  if (url.protocol !== 'https:' && !localTest) return 'The issuer must be an https:// address'
  if (url.search || url.hash || url.username || url.password)
    return 'The issuer must have no query, fragment or credentials'
  if (url.hostname === ENTRA_HOST && ENTRA_SHARED_TENANT.test(url.pathname))
    return 'Use the tenant’s own issuer (…/TENANT-ID/v2.0), not common, organizations or consumers'
  return undefined
}

export function providerInput(allowLoopbackHttp: boolean) {
  return z.object({
    agencyId: z.uuid(),
    issuer: z
      .string()
      .trim()
      .superRefine((value, context) => {
        const problem = issuerProblem(value, allowLoopbackHttp)
        if (problem) context.addIssue({ code: 'custom', message: problem })
      }),
    clientId: z.string().trim().min(1).max(200),
    clientSecret: z.string().min(1).max(2000),
    enforcesMfa: z.boolean().default(false),
  })
}

export class ProviderError extends Error {}

export type IdentityProvider = {
  agencyId: string
  issuer: string
  clientId: string
  /** Null when it cannot be unsealed: SESSION_SECRET changed since it was set. */
  clientSecret: string | null
  enforcesMfa: boolean
  updatedAt: Date
}

export type IdentityProviders = ReturnType<typeof identityProviders>

export function identityProviders(db: Db, sessionSecret: string, options: { allowLoopbackHttp: boolean }) {
  const input = providerInput(options.allowLoopbackHttp)

  return {
    /** Sets (or replaces) an agency's provider; returns the agency's id. */
    async set(given: z.input<typeof input>): Promise<string> {
      const provider = input.parse(given)
      const agency = await db
        .selectFrom('agencies')
        .select('id')
        .where('id', '=', provider.agencyId)
        .executeTakeFirst()
      if (!agency) throw new ProviderError(`No agency has the id ${provider.agencyId}`)
      const sealed = seal(sessionSecret, SECRET_PURPOSE, provider.clientSecret, provider.agencyId)
      return db.transaction().execute(async (trx) => {
        const before = await trx
          .selectFrom('identity_providers')
          .select(['issuer', 'client_id'])
          .where('agency_id', '=', provider.agencyId)
          .executeTakeFirst()
        const values = {
          issuer: provider.issuer,
          client_id: provider.clientId,
          client_secret_sealed: sealed,
          enforces_mfa: provider.enforcesMfa,
          updated_at: new Date(),
        }
        await trx
          .insertInto('identity_providers')
          .values({ agency_id: provider.agencyId, ...values })
          .onConflict((conflict) => conflict.column('agency_id').doUpdateSet(values))
          .execute()
        // A new provider or a new client registration means new subject identifiers (Entra ID's are
        // per application): old links would refuse everyone, so each person is linked again by their
        // verified e-mail address the next time they sign in.
        const changed =
          before && (before.issuer !== provider.issuer || before.client_id !== provider.clientId)
        const unlinked = changed
          ? await trx
              .updateTable('users')
              .set({ sso_issuer: null, sso_subject: null, updated_at: new Date() })
              .where('agency_id', '=', provider.agencyId)
              .where('sso_subject', 'is not', null)
              .executeTakeFirst()
          : undefined
        await recordAudit(trx, {
          what: 'identity-provider-set',
          who: null,
          agencyId: provider.agencyId,
          subjectType: 'agency',
          subjectId: provider.agencyId,
          details: {
            issuer: provider.issuer,
            enforcesMfa: provider.enforcesMfa,
            identitiesUnlinked: Number(unlinked?.numUpdatedRows ?? 0n),
          },
        })
        return provider.agencyId
      })
    },

    async find(agencyId: string): Promise<IdentityProvider | undefined> {
      if (!z.uuid().safeParse(agencyId).success) return undefined
      const row = await db
        .selectFrom('identity_providers')
        .selectAll()
        .where('agency_id', '=', agencyId)
        .executeTakeFirst()
      if (!row) return undefined
      return {
        agencyId: row.agency_id,
        issuer: row.issuer,
        clientId: row.client_id,
        clientSecret: unseal(sessionSecret, SECRET_PURPOSE, row.client_secret_sealed, row.agency_id),
        enforcesMfa: row.enforces_mfa,
        updatedAt: row.updated_at,
      }
    },

    /** The agencies whose staff may sign in with their organisation account, by name. */
    agencies(): Promise<{ id: string; name: string }[]> {
      return db
        .selectFrom('identity_providers')
        .innerJoin('agencies', 'agencies.id', 'identity_providers.agency_id')
        .select(['agencies.id', 'agencies.name'])
        .orderBy(sql`lower(agencies.name)`)
        .execute()
    },
  }
}
