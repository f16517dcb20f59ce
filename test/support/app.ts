import type { FastifyInstance } from 'fastify'
import { buildApp } from '../../src/app.ts'
import { type Config, readConfig } from '../../src/config.ts'
import type { DatabaseHandle } from '../../src/db/database.ts'
import { accounts, insertUser } from '../../src/features/accounts/service.ts'
import { hashPassword } from '../../src/platform/passwords.ts'
import { ADOPTER_ROLE, type StaffRole } from '../../src/platform/roles.ts'
import { newTotpSecret } from '../../src/platform/totp.ts'
import { services } from '../../src/services.ts'
import { testDatabase } from './database.ts'

// The real application on a fresh test database, and the people to use it with.

export const TEST_PASSWORD = 'correct horse battery staple'

export type TestUser = {
  id: string
  agencyId: string
  email: string
  role: StaffRole | typeof ADOPTER_ROLE
  totpSecret: string
}

export type TestApp = {
  app: FastifyInstance
  database: DatabaseHandle
  config: Config
  addAgency: (name?: string) => Promise<string>
  addUser: (agencyId: string, role: StaffRole, options?: { enrolled?: boolean }) => Promise<TestUser>
  /** The family's first adopter (or every adopter) with an account, as an accepted invitation leaves one. */
  addAdopterAccount: (
    familyId: string,
    agencyId: string,
    options?: { wholeFamily?: boolean },
  ) => Promise<TestUser>
  close: () => Promise<void>
}

let counter = 0

export async function testApp(overrides: Record<string, string> = {}): Promise<TestApp> {
  const database = await testDatabase()
  const config = readConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', ...overrides })
  const app = await buildApp(config, services(database.db, config))
  await app.ready()
  const people = accounts(database.db)
  return {
    app,
    database,
    config,
    addAgency: (name = `Agency ${++counter}`) => people.addAgency({ name, kind: 'raa', region: 'London' }),
    async addUser(agencyId, role, options = {}) {
      const email = `${role}-${++counter}-${Date.now()}@agency.example`
      const totpSecret = newTotpSecret()
      const id = await people.addUser({
        agencyId,
        email,
        name: `Test ${role}`,
        role,
        password: TEST_PASSWORD,
        totpSecret: options.enrolled === false ? undefined : totpSecret,
      })
      return { id, agencyId, email, role, totpSecret }
    },
    async addAdopterAccount(familyId, agencyId, options = {}) {
      const email = `adopter-${++counter}-${Date.now()}@home.example`
      const totpSecret = newTotpSecret()
      const db = database.db
      const id = await insertUser(db, {
        agencyId,
        email,
        name: 'Test adopter',
        role: ADOPTER_ROLE,
        passwordHash: await hashPassword(TEST_PASSWORD),
        totpSecret,
      })
      let adopters = db.updateTable('adopters').set({ user_id: id }).where('family_id', '=', familyId)
      if (!options.wholeFamily) adopters = adopters.where('position', '=', 1)
      await adopters.execute()
      return { id, agencyId, email, role: ADOPTER_ROLE, totpSecret }
    },
    async close() {
      await app.close()
      await database.close()
    },
  }
}
