import { randomBytes } from 'node:crypto'
import { faker } from '@faker-js/faker/locale/en_GB'
import type { FastifyInstance } from 'fastify'
import { buildApp } from '../src/app.ts'
import { readConfig } from '../src/config.ts'
import { CSRF_COOKIE, newCsrfSeed } from '../src/platform/csrf.ts'
import { SESSION_COOKIE } from '../src/platform/pipeline.ts'
import { newTotpSecret } from '../src/platform/totp.ts'
import { type Services, services } from '../src/services.ts'
import { testDatabase } from '../test/support/database.ts'
import type { TargetOptions } from './target.ts'

// What every signed-in page's target shares: the application as deployed on a fresh database that
// the benchmark seeds, and one signed-in session for each connection.

export type SignedInApp<T> = {
  app: FastifyInstance
  services: Services
  /** Headers of each connection: a session of its own, as a completed sign-in leaves one. */
  headerSets: Record<string, string>[]
  /** What the seed gave back besides the person signed in. */
  seeded: T
  close: () => Promise<void>
}

/** The service's environment as in production, except that nothing is logged and no demo data. */
export function benchEnvironment(secret = randomBytes(32).toString('base64url')): Record<string, string> {
  return {
    NODE_ENV: 'production',
    LOG_LEVEL: 'silent',
    SESSION_SECRET: secret,
    SERVICE_URL: 'http://127.0.0.1',
    MAIL_TRANSPORT: 'folder',
    DEMO_DATA: 'off',
  }
}

export function benchConfig(environment = benchEnvironment()) {
  return readConfig(environment)
}

/**
 * The application on a fresh database filled by `seed`, configured as in production except that
 * nothing is logged, and `options.sessions` sessions of the person `seed` names, signed in without
 * the forms: what a completed password and second factor leave behind.
 */
export async function signedInApp<T>(
  options: TargetOptions,
  seed: (appServices: Services) => Promise<{ userId: string } & T>,
): Promise<SignedInApp<T>> {
  const database = await testDatabase()
  let app: FastifyInstance | undefined
  try {
    const config = benchConfig()
    const appServices = services(database.db, config)
    const built = await buildApp(config, appServices)
    app = built
    const seeded = await seed(appServices)
    const headerSets: Record<string, string>[] = []
    for (let i = 0; i < Math.max(1, options.sessions); i++) {
      const { session } = await appServices.sessions.start(seeded.userId, 'benchmark')
      const token = await appServices.sessions.completeSignIn(session.id)
      headerSets.push({
        accept: 'text/html',
        cookie: `${SESSION_COOKIE}=${token}; ${CSRF_COOKIE}=${newCsrfSeed()}`,
      })
    }
    return {
      app: built,
      services: appServices,
      headerSets,
      seeded,
      close: async () => {
        await built.close()
        await database.close()
      },
    }
  } catch (error) {
    await app?.close()
    await database.close()
    throw error
  }
}

/**
 * The social worker a benchmark signs in as, with a password and second factor nobody knows: the
 * sessions are made directly, never through the forms.
 */
export function addBenchmarkWorker(people: Services['accounts'], agencyId: string): Promise<string> {
  return people.addUser({
    agencyId,
    email: 'social-worker@bench.example',
    name: faker.person.fullName(),
    role: 'social-worker',
    password: randomBytes(18).toString('base64url'),
    totpSecret: newTotpSecret(),
  })
}
