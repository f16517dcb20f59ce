import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { faker } from '@faker-js/faker/locale/en_GB'
import type { Answers } from '../src/plan/answers.ts'
import {
  type ListDefinition,
  listDefinition,
  PLAN,
  type SectionDefinition,
  type SectionKey,
  sectionDefinition,
} from '../src/plan/definition.ts'
import type { Actor } from '../src/platform/policy.ts'
import type { Services } from '../src/services.ts'
import { answerMaker, fakerProse, isoDate } from './data/answers.ts'
import { writeReferenceData } from './express-reference.ts'
import { packageVersion } from './report.ts'
import { measureOnEachDatabase, measureTarget, type ResultRow, type Scenario } from './scenario.ts'
import type { RunningTarget } from './server.ts'
import { addBenchmarkWorker, signedInApp } from './signed-in.ts'
import type { TargetOptions, TargetPage } from './target.ts'

// The adoption support plan at its largest: every question answered at length, 20 people in the
// network, 40 needs, staying-in-touch arrangements, payments, birth relatives and 10 versions, all
// written through the plans service as the pages write them. Then the pages a social worker
// allocated to the child opens to read the whole of it, on PGlite and on PostgreSQL.

const SEED = 20_260_401
const NETWORK_MEMBERS = 20
const NEEDS_PER_SECTION = 20
const STAYING_IN_TOUCH = 4
const PAYMENTS = 4
const BIRTH_RELATIVES = 3
const VERSIONS = 10
/** The p95 the whole-plan page must stay under at BUDGET_CONNECTIONS (issue 4). */
const BUDGET_P95_MS = 100
const BUDGET_CONNECTIONS = 20
/** The whole-plan page's throughput, at least this many times the Express + Nunjucks reference's (issue 7). */
const BUDGET_VS_CONVENTIONAL = 1.5
const CONVENTIONAL = 'Express 5 + Nunjucks reference, same HTML'
const WHOLE_PLAN = 'whole plan'

type Staff = Actor & { kind: 'staff' }

const make = answerMaker(fakerProse)

const section = (key: SectionKey) => sectionDefinition(key) as SectionDefinition
const list = (key: SectionKey, listKey: string) => listDefinition(section(key), listKey) as ListDefinition

type SeededPlan = { planId: string; childName: string; texts: Record<string, string> }

/**
 * The large plan, written as people write it: a section's answers, then its items one by one, a
 * version at each of ten milestones, the last after the last change. Throws on any refusal.
 */
async function writePlan(plans: Services['plans'], worker: Staff, childId: string): Promise<SeededPlan> {
  const created = await plans.create(worker, childId, 'bench')
  if (created.outcome !== 'created') throw new Error('the plan was not started')
  const { planId } = created
  const versions = new Map<string, number>(PLAN.map((definition) => [definition.key, 1]))
  const saved = (key: string, outcome: { outcome: string; version?: number }) => {
    if (outcome.outcome !== 'saved' || outcome.version === undefined)
      throw new Error(`${key}: ${outcome.outcome}`)
    versions.set(key, outcome.version)
  }
  /** Adds `count` items made by `make`, one save each; what was written, and the new items' ids. */
  const addItems = async (
    key: SectionKey,
    listKey: string,
    count: number,
    make: (definition: ListDefinition, index: number) => Answers,
  ) => {
    const definition = list(key, listKey)
    const written: { id: string; answers: Answers }[] = []
    for (let index = 0; index < count; index++) {
      const answers = make(definition, index)
      const outcome = await plans.saveItem(worker, planId, key, definition, null, 0, answers, {
        correlationId: 'bench',
      })
      saved(key, outcome)
      written.push({ id: String(outcome.itemId), answers })
    }
    return written
  }
  const answer = async (key: SectionKey, answers: Answers) =>
    saved(key, await plans.saveAnswers(worker, planId, key, versions.get(key) ?? 1, answers, 'bench'))
  let taken = 0
  const takeVersion = async (reason: string) => {
    const version = await plans.takeVersion(worker, planId, reason, 'bench')
    if (version.outcome !== 'taken') throw new Error('no version was taken')
    taken = version.number
  }

  const members = await addItems('network', 'members', NETWORK_MEMBERS, make.networkMember)
  const memberIds = members.map((member) => member.id)
  await takeVersion('The professional network, first draft')

  const childAnswers = make.sectionAnswers(section('child'))
  await answer('child', childAnswers)
  await takeVersion('All about the child, first draft')
  const needs = (key: SectionKey) =>
    addItems(key, 'needs', NEEDS_PER_SECTION / 2, (definition) => make.need(definition, memberIds))
  await needs('child')
  await takeVersion('The child’s needs now')
  const childNeeds = await needs('child')
  await takeVersion('The child’s needs later')
  await addItems('child', 'stayingInTouch', STAYING_IN_TOUCH, make.stayingInTouch)
  await takeVersion('Staying in touch agreed')
  const adoptersAnswers = make.sectionAnswers(section('adopters'))
  await answer('adopters', adoptersAnswers)
  await takeVersion('All about the adopters, first draft')
  await needs('adopters')
  await takeVersion('The family’s needs')
  const adopterNeeds = await needs('adopters')
  await addItems('adopters', 'financialSupport', PAYMENTS, make.payment)
  await takeVersion('Financial support agreed')
  const relatives = await addItems('birth-family', 'relatives', BIRTH_RELATIVES, make.birthRelative)
  await takeVersion('Support to the birth family')

  // A second draft of two answers, then every section marked complete: the task list then links to
  // each section's check-your-answers page, as it does for a finished plan.
  const whoTheyAre = fakerProse({ min: 200, max: 350 })
  await answer('child', { ...childAnswers, whoTheyAre })
  const adoptersViews = fakerProse({ min: 120, max: 250 })
  await answer('adopters', { ...adoptersAnswers, adoptersViews })
  for (const definition of PLAN.filter((candidate) => !candidate.filledElsewhere)) {
    const done = await plans.setCompleted(worker, planId, definition.key, true, 'bench')
    if (done.outcome !== 'saved') throw new Error(`${definition.key} could not be completed: ${done.outcome}`)
  }
  await takeVersion('Agreed at the planning meeting')
  if (taken !== VERSIONS) throw new Error(`${taken} versions were taken, not ${VERSIONS}`)

  const plan = await plans.view(worker, planId, 'bench')
  if (!plan) throw new Error('the plan cannot be read back')
  const first = (text: unknown) => String(text).split('.')[0] as string
  return {
    planId,
    childName: `${plan.plan.child.firstName} ${plan.plan.child.lastName}`,
    // What each page must show for the benchmark to believe it rendered the plan.
    texts: {
      network: String(members.at(-1)?.answers.name),
      child: first(whoTheyAre),
      childNeed: first(childNeeds.at(-1)?.answers.support),
      adopters: first(adoptersViews),
      adoptersNeed: first(adopterNeeds.at(-1)?.answers.description),
      'birth-family': first(relatives.at(-1)?.answers.support),
    },
  }
}

/** The agency, its people, the matched family and the child; the plan written; who to sign in as. */
export async function seedLargePlan(
  appServices: Services,
): Promise<{ userId: string; worker: Staff } & SeededPlan> {
  faker.seed(SEED)
  const { accounts, children, families, allocations, plans } = appServices
  const agencyId = await accounts.addAgency({
    name: 'Benchmark Adoption Agency',
    kind: 'raa',
    region: 'London',
  })
  const userId = await addBenchmarkWorker(accounts, agencyId)
  const worker: Staff = { kind: 'staff', agencyId, userId, role: 'social-worker' }
  const sex = faker.helpers.arrayElement(['female', 'male'] as const)
  const added = await children.add(
    worker,
    {
      firstName: faker.person.firstName(sex),
      lastName: faker.person.lastName(),
      preferredName: null,
      dateOfBirth: isoDate('2020-01-01', '2024-12-31'),
      sex,
      ethnicity: 'WBRI',
      siblingOf: null,
    },
    'bench',
  )
  if (added.outcome !== 'added') throw new Error('the child was not added')
  const childId = added.child.id
  const allocated = await allocations.allocate({ kind: 'operator' }, childId, userId, 'bench')
  if (allocated.outcome !== 'allocated') throw new Error(`the worker was not allocated: ${allocated.outcome}`)
  const lastName = faker.person.lastName()
  const familyId = await families.add(
    worker,
    {
      approvingAgencyId: agencyId,
      adopters: [0, 1].map(() => ({
        firstName: faker.person.firstName(),
        lastName,
        dateOfBirth: isoDate('1975-01-01', '1992-12-31'),
        email: null,
      })),
    },
    'bench',
  )
  if ((await families.match(worker, familyId, childId, 'bench')).outcome !== 'matched')
    throw new Error('the child was not matched')
  return { userId, worker, ...(await writePlan(plans, worker, childId)) }
}

const HTML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '"': '&quot;',
  "'": '&#39;',
  '<': '&lt;',
  '>': '&gt;',
}
/** Text as Nunjucks writes it into a page, escaped. */
const asHtml = (text: string) => text.replace(/[&"'<>]/g, (character) => HTML_ESCAPES[character] as string)

/** Server side: the large plan on a fresh database, and a signed-in session for each connection. */
export async function planPageTarget(options: TargetOptions): Promise<RunningTarget> {
  const { app, services: appServices, headerSets, seeded, close } = await signedInApp(options, seedLargePlan)
  try {
    const { planId, childName, texts } = seeded
    const plan = `/plans/${planId}`
    const check = (key: SectionKey, ...shown: string[]) => ({
      name: `check your answers, section ${section(key).number}`,
      path: `${plan}/sections/${key}/check`,
      contains: [`Check your answers: ${asHtml(section(key).title.toLowerCase())}`, ...shown.map(asHtml)],
    })
    const pages = [
      {
        name: `${WHOLE_PLAN}, version ${VERSIONS}`,
        path: `${plan}/versions/${VERSIONS}`,
        contains: [
          `<h1 class="govuk-heading-l">Version ${VERSIONS}</h1>`,
          ...Object.values(texts).map(asHtml),
        ],
      },
      {
        name: 'front page and task list',
        path: plan,
        contains: [asHtml(childName), '4 of 4 sections completed'],
      },
      // Each section's check-your-answers page and its form, with BENCH_PLAN_SECTIONS=1: left out
      // of a full run, which must fit in 20 minutes; the main pages are measured in bench/pages.ts.
      ...(process.env.BENCH_PLAN_SECTIONS === '1'
        ? [
            check('network', texts.network as string),
            check('child', texts.child as string, texts.childNeed as string),
            check('adopters', texts.adopters as string, texts.adoptersNeed as string),
            check('birth-family', texts['birth-family'] as string),
            {
              name: 'section 2’s form',
              path: `${plan}/sections/child`,
              contains: [
                'Save and continue',
                asHtml(texts.child as string),
                asHtml(texts.childNeed as string),
              ],
            },
          ]
        : []),
    ]
    const sizes: string[] = []
    for (const page of pages) {
      const sample = await app.inject({ method: 'GET', url: page.path, headers: headerSets[0] })
      sizes.push(`${page.name}: ${(Buffer.byteLength(sample.body) / 1024).toFixed(0)} KiB`)
      // The Express reference answers the whole-plan page from this page's data, and checks its HTML.
      if (options.referenceData && page.name.startsWith(WHOLE_PLAN)) {
        await writeReferenceData(options.referenceData, {
          app,
          services: appServices,
          actor: seeded.worker,
          planId,
          number: VERSIONS,
          html: sample.body,
          contains: page.contains,
        })
      }
    }
    const address = await app.listen({ host: '127.0.0.1', port: 0 })
    return {
      pages: pages.map(
        (page): TargetPage => ({
          name: page.name,
          url: `${address}${page.path}`,
          expect: { status: 200, contains: page.contains },
        }),
      ),
      headerSets,
      details: [
        `every question answered, narratives in 120 to 350 words; ${NETWORK_MEMBERS} people in the ` +
          `network; ${NEEDS_PER_SECTION * 2} needs, ${NEEDS_PER_SECTION} in section 2 and ` +
          `${NEEDS_PER_SECTION} in section 3; ${STAYING_IN_TOUCH} staying-in-touch arrangements, ` +
          `${PAYMENTS} payments and ${BIRTH_RELATIVES} birth relatives; ${VERSIONS} versions`,
        sizes.join('; '),
      ],
      close,
    }
  } catch (error) {
    await close()
    throw error
  }
}

/**
 * Whether the whole-plan page meets the budget (issue 4 sets it for that page) at its number of
 * connections, on each database; the other pages are measured alongside, and named where they miss.
 */
function budgetNote(rows: ResultRow[]): string {
  const measured = rows.filter((row) => row.measurement.connections === BUDGET_CONNECTIONS)
  const budget = `Budget for the whole-plan page: p95 below ${BUDGET_P95_MS} ms at ${BUDGET_CONNECTIONS} connections`
  if (measured.length === 0) return `${budget}; not measured in this run (no run at ${BUDGET_CONNECTIONS}).`
  const floor = measured[0]?.baseline
  const reference = floor ? ` (the bare route's p95 in this run: ${floor.p95.toFixed(2)} ms)` : ''
  const p95 = (row: ResultRow) => `${row.label} (${row.measurement.p95.toFixed(0)} ms)`
  const whole = measured.filter((row) => row.label.includes(WHOLE_PLAN))
  const wholeMissed = whole.filter((row) => !(row.measurement.p95 < BUDGET_P95_MS))
  const verdict =
    wholeMissed.length === 0
      ? `met on every database: ${whole.map(p95).join('; ')}`
      : `**missed**: ${wholeMissed.map(p95).join('; ')}${
          whole.length > wholeMissed.length
            ? `; met: ${whole
                .filter((row) => !wholeMissed.includes(row))
                .map(p95)
                .join('; ')}`
            : ''
        }`
  const others = measured.filter((row) => !whole.includes(row))
  const othersMissed = others.filter((row) => !(row.measurement.p95 < BUDGET_P95_MS))
  const aside =
    othersMissed.length === 0
      ? ' The other pages are within the same figure.'
      : ` Of the other pages, ${othersMissed.length} of ${others.length} are above the same figure: ${othersMissed.map(p95).join('; ')}.`
  return `${budget}${reference}: ${verdict}.${aside}`
}

/**
 * Whether the whole-plan page meets issue 7's budget against the conventional stack: its requests/s
 * as a multiple of the Express + Nunjucks reference's at the same number of connections.
 */
function conventionalNote(rows: ResultRow[]): string {
  const budget =
    `Budget for the whole-plan page: at least ${BUDGET_VS_CONVENTIONAL}× the requests/s of the ` +
    'Express 5 + Nunjucks reference rendering the same HTML, at the same number of connections'
  const ratio = (row: ResultRow) =>
    row.measurement.requestsPerSecond / (row.conventional?.requestsPerSecond ?? Number.NaN)
  const whole = rows.filter((row) => row.label.includes(WHOLE_PLAN) && row.conventional)
  if (whole.length === 0) return `${budget}; not measured in this run.`
  const describe = (row: ResultRow) =>
    `${row.label.replace(`: ${WHOLE_PLAN}, version ${VERSIONS}`, '')} at ${row.measurement.connections} ` +
    `(${ratio(row).toFixed(2)}×)`
  const missed = whole.filter((row) => !(ratio(row) >= BUDGET_VS_CONVENTIONAL))
  const met = whole.filter((row) => !missed.includes(row))
  const verdict =
    missed.length === 0
      ? `met at every measurement: ${met.map(describe).join('; ')}`
      : `**missed**: ${missed.map(describe).join('; ')}${met.length > 0 ? `; met: ${met.map(describe).join('; ')}` : ''}`
  return `${budget}: ${verdict}.`
}

export const planPageScenario: Scenario = {
  id: 'plan-page',
  title: 'The whole adoption support plan, signed in',
  async run(context) {
    // The plan-page target writes the whole-plan page's data here; the reference answers from it.
    const folder = mkdtempSync(join(tmpdir(), 'bench-reference-'))
    const referenceData = join(folder, 'whole-plan.json')
    let measured: Awaited<ReturnType<typeof measureOnEachDatabase>>
    let conventional: Awaited<ReturnType<typeof measureTarget>>
    try {
      measured = await measureOnEachDatabase('Plan', 'plan-page', context, { referenceData })
      conventional = await measureTarget(CONVENTIONAL, 'express-reference', { referenceData }, context)
    } finally {
      rmSync(folder, { recursive: true, force: true })
    }
    const { details, notes } = measured
    const reference = new Map(conventional.rows.map((row) => [row.measurement.connections, row.measurement]))
    const planRows = measured.rows.map((row) =>
      row.label.includes(WHOLE_PLAN)
        ? { ...row, conventional: reference.get(row.measurement.connections) }
        : row,
    )
    const rows = [...conventional.rows, ...planRows]
    notes.unshift(budgetNote(planRows), conventionalNote(planRows))
    return {
      id: this.id,
      title: this.title,
      description: [
        `A large plan (${details[0]}), read by the social worker allocated to the child. ` +
          `\`GET /plans/:id/versions/${VERSIONS}\` is the one page that shows the whole plan: every ` +
          'field of every section, the front page first; version 10 is taken after the last change, so ' +
          'it is the plan as it stands. The live plan has no such page yet, so the pages a reader ' +
          'opens to read it are measured too: `GET /plans/:id`, the front page with the task list, ' +
          'and `GET /plans/:id/sections/:key/check` for each of the four sections written here, ' +
          'where the task list links once a section is complete (section 5 is filled by the reviews). ' +
          'The form of section 2 (`GET /plans/:id/sections/child`), the largest, is the page its ' +
          'writers open.',
        'The application answers as deployed, except that logging is off: the session looked up and ' +
          'touched, the permission checks, the view recorded in the audit log (every page here, the ' +
          'version page included), and the page rendered by Nunjucks with GOV.UK Frontend macros. ' +
          'The front page counts the items of each list; the other pages read the section they show. ' +
          'Each page reads what it shows with the plan and its access facts, in one query (ADR 0024). ' +
          'The version page renders its table of fields once for each version and keeps the bytes ' +
          '(a version never changes: ADR 0017), so after the first request it reads no content; the ' +
          'other pages keep their largest parts (answers, items, task list) under a digest of the ' +
          'content they show, so they read the content on every request and render it again only ' +
          'when it has changed. The access check and the audit still run on every request. Each ' +
          'connection is a session of its own.',
        `HTML of each page: ${details[1]}.`,
        `The first rows are the conventional UK-government stack's floor, measured in the same run: ` +
          `Express ${packageVersion('express')} and Nunjucks ${packageVersion('nunjucks')} set up as a ` +
          'typical GOV.UK team sets them up (GOV.UK Frontend on the Nunjucks path, the Express ' +
          'integration, autoescape on, `express.static` for the assets, Express’s defaults otherwise), ' +
          'answering the whole-plan page from static data captured once from the same plan: no ' +
          'session, no database, no audit, but the whole page rendered from the same templates on ' +
          `every request, the table of fields included (${conventional.details.join('; ')}). The ` +
          'column "vs Express" is the whole-plan page’s requests/s as a multiple of the reference’s ' +
          'at the same number of connections.',
      ],
      rows,
      notes,
    }
  },
}
