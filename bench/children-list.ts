import { faker } from '@faker-js/faker/locale/en_GB'
import type { Db } from '../src/db/database.ts'
import { accounts } from '../src/features/accounts/service.ts'
import { ETHNICITY_CODES } from '../src/features/children/reference.ts'
import { PAGE_SIZE } from '../src/features/children/service.ts'
import { measureOnEachDatabase, type Scenario } from './scenario.ts'
import type { RunningTarget } from './server.ts'
import { addBenchmarkWorker, signedInApp } from './signed-in.ts'
import type { TargetOptions } from './target.ts'

// The page a social worker opens most: the agency's children, 25 to a page with a count, behind
// sign-in. The whole application answers it (security headers, cookies, session lookup, permission,
// two queries, Nunjucks with GOV.UK Frontend macros), on PGlite and on PostgreSQL.

const AGENCY_CHILDREN = 500
const OTHER_AGENCIES = 3
const OTHER_AGENCY_CHILDREN = 150
const SEED = 20_250_101

type NewChild = {
  first_name: string
  last_name: string
  preferred_name: string | null
  date_of_birth: string
  sex: 'female' | 'male'
  ethnicity: string
  group: number | null
}

// About one child in ten arrives with brothers or sisters: a sibling group of two or three.
function childrenOf(count: number): { children: NewChild[]; groups: number } {
  const children: NewChild[] = []
  let groups = 0
  while (children.length < count) {
    const size = Math.min(
      count - children.length,
      faker.datatype.boolean(0.1) ? faker.number.int({ min: 2, max: 3 }) : 1,
    )
    const group = size > 1 ? groups++ : null
    const lastName = faker.person.lastName()
    for (let i = 0; i < size; i++) {
      const sex = faker.helpers.arrayElement(['female', 'male'] as const)
      children.push({
        first_name: faker.person.firstName(sex),
        last_name: lastName,
        preferred_name: faker.datatype.boolean(0.2) ? faker.person.firstName(sex) : null,
        date_of_birth: faker.date.birthdate({ min: 0, max: 17, mode: 'age' }).toISOString().slice(0, 10),
        sex,
        ethnicity: faker.helpers.weightedArrayElement([
          { weight: 70, value: 'WBRI' },
          { weight: 30, value: faker.helpers.arrayElement(ETHNICITY_CODES) },
        ]),
        group,
      })
    }
  }
  return { children, groups }
}

async function addChildren(db: Db, agencyId: string, count: number): Promise<void> {
  const { children, groups } = childrenOf(count)
  const groupIds =
    groups === 0
      ? []
      : (
          await db
            .insertInto('sibling_groups')
            .values(Array.from({ length: groups }, () => ({ agency_id: agencyId })))
            .returning('id')
            .execute()
        ).map((row) => row.id)
  for (let start = 0; start < children.length; start += 250) {
    await db
      .insertInto('children')
      .values(
        children.slice(start, start + 250).map(({ group, ...child }) => ({
          ...child,
          agency_id: agencyId,
          sibling_group_id: group === null ? null : (groupIds[group] ?? null),
        })),
      )
      .execute()
  }
}

/** The benchmark's agencies and children, the same on every run; the id of the social worker to sign in as. */
async function seed(db: Db): Promise<string> {
  faker.seed(SEED)
  const people = accounts(db)
  const agencyId = await people.addAgency({
    name: 'Benchmark Adoption Agency',
    kind: 'raa',
    region: 'London',
  })
  await addChildren(db, agencyId, AGENCY_CHILDREN)
  for (let i = 1; i <= OTHER_AGENCIES; i++) {
    const other = await people.addAgency({ name: `Other Agency ${i}`, kind: 'raa', region: 'North West' })
    await addChildren(db, other, OTHER_AGENCY_CHILDREN)
  }
  return addBenchmarkWorker(people, agencyId)
}

/** Server side: the application on a fresh, seeded database, and a signed-in session for each connection. */
export async function childrenListTarget(options: TargetOptions): Promise<RunningTarget> {
  const { app, headerSets, close } = await signedInApp(options, async ({ db }) => ({
    userId: await seed(db),
  }))
  try {
    const pages = Math.ceil(AGENCY_CHILDREN / PAGE_SIZE)
    const caption = `${AGENCY_CHILDREN} children, page 1 of ${pages}`
    const sample = await app.inject({ method: 'GET', url: '/children', headers: headerSets[0] })
    const address = await app.listen({ host: '127.0.0.1', port: 0 })
    return {
      pages: [
        {
          url: `${address}/children`,
          expect: { status: 200, contains: ['<table class="govuk-table"', caption] },
        },
      ],
      headerSets,
      details: [
        `${AGENCY_CHILDREN} children in the agency and ${OTHER_AGENCY_CHILDREN} in each of ${OTHER_AGENCIES} others`,
        `page 1 of ${pages}: ${PAGE_SIZE} rows, ${(Buffer.byteLength(sample.body) / 1024).toFixed(1)} KiB of HTML`,
      ],
      close,
    }
  } catch (error) {
    await close()
    throw error
  }
}

export const childrenListScenario: Scenario = {
  id: 'children-list',
  title: 'Children list, signed in',
  async run(context) {
    const { rows, details, notes } = await measureOnEachDatabase('Children list', 'children-list', context)
    return {
      id: this.id,
      title: this.title,
      description: [
        `\`GET /children\` as a signed-in social worker (${details.join('; ')}). The whole ` +
          'application answers it, configured as in production except that logging is off: security ' +
          'headers, the session looked up and touched, the permission check, a count and a page of ' +
          'children, and the page rendered by Nunjucks with GOV.UK Frontend macros.',
        'Each connection is a session of its own, signed in without the forms. PGlite runs inside the ' +
          'server process, on its one thread; PostgreSQL runs in processes of its own, through a pool of ' +
          'ten connections, on the same machine.',
      ],
      rows,
      notes,
    }
  },
}
