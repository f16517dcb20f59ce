import { randomBytes } from 'node:crypto'
import { faker } from '@faker-js/faker/locale/en_GB'
import type { Db } from '../../db/database.ts'
import { ROLE_NAMES, STAFF_ROLES, type StaffRole } from '../../platform/roles.ts'
import { newTotpSecret } from '../../platform/totp.ts'
import { accounts } from '../accounts/service.ts'
import { ETHNICITY_CODES } from '../children/reference.ts'

// Demo data for a newcomer's own machine: a regional adoption agency with one member of staff in
// each role and a dozen children (one sibling group of three), and a voluntary adoption agency with
// a social worker. Names come from faker's en_GB locale; nothing here is a real person.

export type DemoSignIns = {
  password: string
  totpSecret: string
  users: { email: string; role: string; agency: string }[]
}

const RAA = { name: 'Northshire and Vale Adoption (demo)', kind: 'raa', region: 'South West' } as const
const VAA = { name: 'Harbour Family Adoption (demo)', kind: 'vaa', region: 'South West' } as const

function birthDate(minYears: number, maxYears: number): string {
  return faker.date.birthdate({ min: minYears, max: maxYears, mode: 'age' }).toISOString().slice(0, 10)
}

export async function hasAnyAgency(db: Db): Promise<boolean> {
  return (await db.selectFrom('agencies').select('id').limit(1).executeTakeFirst()) !== undefined
}

export async function loadDemo(db: Db): Promise<DemoSignIns> {
  const service = accounts(db)
  const password = `demo-${randomBytes(6).toString('base64url')}`
  const totpSecret = newTotpSecret()
  const users: DemoSignIns['users'] = []

  const raaId = await service.addAgency(RAA)
  const vaaId = await service.addAgency(VAA)
  const add = async (agencyId: string, agency: string, domain: string, role: StaffRole) => {
    const email = `${role}@${domain}`
    await service.addUser({ agencyId, email, name: faker.person.fullName(), role, password, totpSecret })
    users.push({ email, role: ROLE_NAMES[role], agency })
  }
  for (const role of STAFF_ROLES) await add(raaId, RAA.name, 'northshire-vale.example', role)
  await add(vaaId, VAA.name, 'harbour-family.example', 'social-worker')

  const worker = await service.findByEmail('social-worker@northshire-vale.example')
  const group = await db
    .insertInto('sibling_groups')
    .values({ agency_id: raaId })
    .returning('id')
    .executeTakeFirstOrThrow()
  const siblingSurname = faker.person.lastName()
  const children = [
    ...[2, 4, 7].map((age) => ({ lastName: siblingSurname, age, siblingGroupId: group.id })),
    ...Array.from({ length: 9 }, () => ({
      lastName: faker.person.lastName(),
      age: faker.number.int({ min: 0, max: 9 }),
      siblingGroupId: null,
    })),
  ]
  for (const child of children) {
    const sex = faker.helpers.arrayElement(['female', 'male'] as const)
    await db
      .insertInto('children')
      .values({
        agency_id: raaId,
        first_name: faker.person.firstName(sex),
        last_name: child.lastName,
        preferred_name: faker.datatype.boolean(0.2) ? faker.person.firstName(sex) : null,
        date_of_birth: birthDate(child.age, child.age),
        sex,
        ethnicity: faker.helpers.weightedArrayElement([
          { weight: 70, value: 'WBRI' },
          { weight: 30, value: faker.helpers.arrayElement(ETHNICITY_CODES) },
        ]),
        sibling_group_id: child.siblingGroupId,
        created_by: worker?.id ?? null,
        updated_by: worker?.id ?? null,
      })
      .execute()
  }
  return { password, totpSecret, users }
}

export function describeSignIns(signIns: DemoSignIns, serviceUrl: string): string {
  const width = Math.max(...signIns.users.map((user) => user.email.length))
  return [
    '',
    'Demo data loaded. These sign-ins are shown once: keep them if you need them.',
    '',
    ...signIns.users.map((user) => `  ${user.email.padEnd(width)}  ${user.role}, ${user.agency}`),
    '',
    `  Password for every demo account:  ${signIns.password}`,
    `  Authenticator key (TOTP secret):  ${signIns.totpSecret}`,
    '',
    '  Add the key to any authenticator app, or print the current code with',
    `  npm run cli -- totp-code ${signIns.totpSecret}`,
    '',
    `Sign in at ${serviceUrl}/sign-in`,
    '',
  ].join('\n')
}
