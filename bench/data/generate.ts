import { createHash, randomBytes } from 'node:crypto'
import { faker } from '@faker-js/faker/locale/en_GB'
import { sql } from 'kysely'
import type { DatabaseHandle } from '../../src/db/database.ts'
import type { Database } from '../../src/db/schema.ts'
import { ETHNICITY_CODES } from '../../src/features/children/reference.ts'
import type { Answers, Item, SectionContent } from '../../src/plan/answers.ts'
import {
  type ListDefinition,
  listDefinition,
  PLAN,
  type SectionDefinition,
  type SectionKey,
  sectionDefinition,
} from '../../src/plan/definition.ts'
import { PLAN_STATUSES, type PlanStatus } from '../../src/plan/lifecycle.ts'
import { canonicalJson, type PlanSnapshot } from '../../src/plan/versions.ts'
import { eventHash } from '../../src/platform/audit.ts'
import { hashPassword } from '../../src/platform/passwords.ts'
import type { StaffRole } from '../../src/platform/roles.ts'
import { answerMaker, isoDate, pooledProse } from './answers.ts'
import { CopyBuffer, type Row } from './copy.ts'

// Synthetic agencies, as many as England has or as few as one: their staff, children (some in
// sibling groups), adopters, matches, plans at every stage of their life with their versions,
// needs, reviews, and the audit log that all of it would have left. Written with COPY, agency by
// agency, so memory stays flat however large the scale. The same seed gives the same data.
//
// What it writes is what the service would have written: versions are snapshots in the shape
// src/features/plans/service.ts takes them, hashed the same way; the audit log is one hash chain
// that `audit verify` accepts. It leaves out what no benchmarked page reads: photos, the field by
// field change history, sign-offs, comments and meetings.

export type Scale = 'agency' | 'region' | 'national'

/** How many agencies, in how many regions, with how many children in all. */
export type Shape = { agencies: number; regions: number; children: number; about: string }

export const SCALES: Record<Scale, Shape> = {
  agency: { agencies: 1, regions: 1, children: 750, about: 'one agency of 750 children' },
  region: { agencies: 5, regions: 1, children: 3_750, about: 'a region: 5 agencies, 3,750 children' },
  national: {
    agencies: 40,
    regions: 9,
    children: 30_000,
    about: 'England: 40 agencies in the nine regions, 30,000 children',
  },
}

export const REGIONS = [
  'North East',
  'North West',
  'Yorkshire and the Humber',
  'East Midlands',
  'West Midlands',
  'East of England',
  'London',
  'South East',
  'South West',
]

const SEED = 20_261_123
/** Audit events hashed and written at a time. */
const AUDIT_BATCH = 50_000
const DAY = 86_400_000
/** Children a social worker carries, on average. */
const CASELOAD = 18

/** Who the benchmarks sign in as: the first agency's first social worker and its administrator. */
export type Sample = {
  agencyId: string
  workerId: string
  adminId: string
  /** The worker's children, each with a plan; `placed` have reviews on their schedule. */
  caseload: { childId: string; planId: string; status: PlanStatus; placed: boolean }[]
}

export type GeneratedData = { shape: Shape; counts: Record<string, number>; sample: Sample; seconds: number }

export type Progress = (done: number, total: number, stage: string) => void

type Staff = { id: string; role: StaffRole }

type AuditEntry = {
  at: number
  what: string
  who: string
  subjectType: string
  subjectId: string
  details: Record<string, unknown>
}

const section = (key: SectionKey) => sectionDefinition(key) as SectionDefinition
const list = (key: SectionKey, listKey: string) => listDefinition(section(key), listKey) as ListDefinition
const day = (time: number) => new Date(time).toISOString().slice(0, 10)
const uuid = () => faker.string.uuid()

/** How far a plan has come, from how long ago it was started: older plans are further on. */
function statusFor(ageDays: number): PlanStatus {
  const options: { weight: number; value: PlanStatus }[] =
    ageDays < 60
      ? [
          { weight: 8, value: 'draft' },
          { weight: 2, value: 'with-adopters' },
        ]
      : ageDays < 150
        ? [
            { weight: 2, value: 'with-adopters' },
            { weight: 2, value: 'at-panel' },
            { weight: 2, value: 'match-approved' },
            { weight: 4, value: 'agreed' },
          ]
        : ageDays < 400
          ? [
              { weight: 6, value: 'agreed' },
              { weight: 3, value: 'order-made' },
              { weight: 1, value: 'post-order' },
            ]
          : [
              { weight: 2, value: 'order-made' },
              { weight: 6, value: 'post-order' },
              { weight: 2, value: 'closed' },
            ]
  return faker.helpers.weightedArrayElement(options)
}

/** The statuses in the order a plan moves through them. */
const PATH: readonly PlanStatus[] = PLAN_STATUSES

/** The plan's content at a share of its writing: lists and answers fill up as people write them. */
function contentAt(full: Record<string, SectionContent>, share: number): Record<string, SectionContent> {
  const out: Record<string, SectionContent> = {}
  // The order a plan is written in: the network, the child, the adopters, the birth family.
  const starts: Record<string, number> = {
    network: 0,
    child: 0.15,
    adopters: 0.4,
    'birth-family': 0.6,
    review: 0,
  }
  for (const [key, content] of Object.entries(full)) {
    const start = starts[key] ?? 0
    const progress = share >= 1 ? 1 : Math.max(0, Math.min(1, (share - start) / 0.4))
    const answers: Answers = {}
    for (const [question, answer] of Object.entries(content.answers))
      answers[question] = progress > 0 ? answer : null
    const lists: Record<string, Item[]> = {}
    // The network is written first and whole: the needs name its people as their providers.
    for (const [listKey, items] of Object.entries(content.lists))
      lists[listKey] =
        key === 'network' && progress > 0 ? items : items.slice(0, Math.ceil(items.length * progress))
    out[key] = { answers, lists }
  }
  return out
}

type Person = { firstName: string; lastName: string; dateOfBirth: string }

/** Everything one agency holds, added to `buffer`; the audit entries it would have left. */
async function agencyRows(
  buffer: CopyBuffer,
  agency: { id: string; children: number },
  staff: Staff[],
  now: number,
  make: ReturnType<typeof answerMaker>,
  sample: Sample | null,
): Promise<AuditEntry[]> {
  const audit: AuditEntry[] = []
  const workers = staff.filter((person) => person.role === 'social-worker')
  const manager = staff.find((person) => person.role === 'team-manager') as Staff
  const decisionMaker = staff.find((person) => person.role === 'decision-maker') as Staff
  let made = 0
  let workerIndex = 0
  while (made < agency.children) {
    const size = Math.min(
      agency.children - made,
      faker.datatype.boolean(0.1) ? faker.number.int({ min: 2, max: 3 }) : 1,
    )
    made += size
    // A pause now and then, so that the rows of the agency before go on to the database meanwhile.
    if (made % 20 < size) await new Promise((resolve) => setImmediate(resolve))
    // The sample worker's caseload comes first, so that it is the same at every scale.
    const worker =
      sample && sample.caseload.length < CASELOAD ? workers[0] : workers[workerIndex++ % workers.length]
    if (!worker) throw new Error('an agency without social workers')
    const startedAt = now - faker.number.int({ min: 20, max: 730 }) * DAY
    const ageDays = (now - startedAt) / DAY
    const status = statusFor(ageDays)
    const step = PATH.indexOf(status)
    const matched = step > 0 || faker.datatype.boolean(0.7)
    const groupId = size > 1 ? uuid() : null
    if (groupId)
      buffer.add('sibling_groups', { id: groupId, agency_id: agency.id, created_at: new Date(startedAt) })
    const lastName = faker.person.lastName()
    const children = Array.from({ length: size }, () => {
      const sex = faker.helpers.arrayElement(['female', 'male'] as const)
      return {
        id: uuid(),
        firstName: faker.person.firstName(sex),
        lastName,
        dateOfBirth: isoDate(day(startedAt - 6 * 365 * DAY), day(startedAt - 60 * DAY)),
        sex,
      }
    })
    for (const child of children) {
      buffer.add('children', {
        id: child.id,
        agency_id: agency.id,
        first_name: child.firstName,
        last_name: child.lastName,
        preferred_name: faker.datatype.boolean(0.15) ? faker.person.firstName(child.sex) : null,
        date_of_birth: child.dateOfBirth,
        sex: child.sex,
        ethnicity: faker.helpers.weightedArrayElement([
          { weight: 70, value: 'WBRI' },
          { weight: 30, value: faker.helpers.arrayElement(ETHNICITY_CODES) },
        ]),
        sibling_group_id: groupId,
        created_at: new Date(startedAt - 14 * DAY),
        created_by: worker.id,
      })
      buffer.add('allocations', {
        id: uuid(),
        agency_id: agency.id,
        child_id: child.id,
        user_id: worker.id,
        allocated_by: manager.id,
        allocated_at: new Date(startedAt - 14 * DAY),
      })
      audit.push(
        entry(startedAt - 14 * DAY, 'child-added', worker.id, child.id, {}),
        entry(startedAt - 14 * DAY + 60_000, 'allocation-added', manager.id, child.id, {
          userId: worker.id,
          role: 'social-worker',
        }),
      )
    }

    // The family the children are matched with.
    let familyId: string | null = null
    let adopters: Person[] = []
    if (matched) {
      familyId = uuid()
      buffer.add('families', {
        id: familyId,
        agency_id: agency.id,
        approving_agency_id: agency.id,
        lives_in_authority: faker.location.county(),
        created_at: new Date(startedAt - 30 * DAY),
        created_by: worker.id,
      })
      const adopterName = faker.person.lastName()
      adopters = Array.from({ length: faker.datatype.boolean(0.7) ? 2 : 1 }, () => ({
        firstName: faker.person.firstName(),
        lastName: adopterName,
        dateOfBirth: isoDate('1972-01-01', '1995-12-31'),
      }))
      adopters.forEach((adopter, position) => {
        buffer.add('adopters', {
          id: uuid(),
          family_id: familyId as string,
          first_name: adopter.firstName,
          last_name: adopter.lastName,
          date_of_birth: adopter.dateOfBirth,
          email: null,
          user_id: null,
          position: position + 1,
        })
      })
      buffer.add('family_allocations', {
        id: uuid(),
        family_id: familyId,
        user_id: worker.id,
        allocated_by: manager.id,
        allocated_at: new Date(startedAt - 30 * DAY),
      })
      audit.push(entry(startedAt - 30 * DAY, 'family-added', worker.id, familyId, {}, 'family'))
    }

    // The life's milestones, spread over the time since the plan was started.
    const milestones = PATH.slice(1, step + 1).map((to, index) => ({
      from: PATH[index] as PlanStatus,
      to,
      at: startedAt + ((index + 1) / (step + 2)) * (now - startedAt),
    }))
    const dateOf = (to: PlanStatus) => {
      const milestone = milestones.find((candidate) => candidate.to === to)
      return milestone ? day(milestone.at) : null
    }
    const agreedOn = dateOf('agreed')
    const placedOn = agreedOn ? day(Math.min(now - DAY, Date.parse(agreedOn) + 7 * DAY)) : null

    for (const child of children) {
      const planId = uuid()
      const placed = placedOn !== null && step < PATH.indexOf('order-made')
      if (sample && worker === workers[0] && sample.caseload.length < CASELOAD)
        sample.caseload.push({ childId: child.id, planId, status, placed })
      if (familyId) {
        buffer.add('matches', {
          id: uuid(),
          agency_id: agency.id,
          child_id: child.id,
          family_id: familyId,
          shared_with_adopters_at: step >= 1 ? new Date(milestones[0]?.at ?? startedAt) : null,
          panel_on: dateOf('at-panel'),
          decision_on: dateOf('match-approved'),
          placed_on: placedOn,
          order_on: dateOf('order-made'),
          returned_on: null,
          created_at: new Date(startedAt - 7 * DAY),
          created_by: worker.id,
          ended_at: null,
        })
      }
      buffer.add('plans', {
        id: planId,
        agency_id: agency.id,
        child_id: child.id,
        family_id: familyId,
        status,
        date_agreed: agreedOn,
        lead_worker_id: worker.id,
        created_by: worker.id,
        created_at: new Date(startedAt),
        updated_at: new Date(now - DAY),
      })
      audit.push(entry(startedAt, 'plan-created', worker.id, child.id, { planId }))
      writePlan(buffer, audit, {
        planId,
        agencyId: agency.id,
        child,
        adopters,
        worker,
        manager,
        decisionMaker,
        status,
        milestones,
        startedAt,
        now,
        placedOn,
        dateAgreed: agreedOn,
        make,
      })
    }
  }
  return audit
}

function entry(
  at: number,
  what: string,
  who: string,
  subjectId: string,
  details: Record<string, unknown>,
  subjectType = 'child',
): AuditEntry {
  return { at: Math.round(at), what, who, subjectType, subjectId, details }
}

type PlanFacts = {
  planId: string
  agencyId: string
  child: Person & { id: string }
  adopters: Person[]
  worker: Staff
  manager: Staff
  decisionMaker: Staff
  status: PlanStatus
  milestones: { from: PlanStatus; to: PlanStatus; at: number }[]
  startedAt: number
  now: number
  placedOn: string | null
  dateAgreed: string | null
  make: ReturnType<typeof answerMaker>
}

/** One plan: its sections and lists as they stand, its versions, its steps, its reviews, and their audit. */
function writePlan(buffer: CopyBuffer, audit: AuditEntry[], facts: PlanFacts): void {
  const { planId, child, worker, make, status, startedAt, now } = facts
  const step = PATH.indexOf(status)
  const words = { min: 8, max: 40 }

  // The plan in full, as it stands now.
  const members = Array.from({ length: faker.number.int({ min: 3, max: 8 }) }, (_, index) => ({
    id: uuid(),
    answers: make.networkMember(list('network', 'members'), index),
  }))
  const memberIds = members.map((member) => member.id)
  // Each plan's own needs: a list siblings may share says so of each item, as the service reads it.
  const needs = (key: SectionKey, count: number): Item[] =>
    Array.from({ length: count }, () => {
      const definition = list(key, 'needs')
      const answers = make.need(definition, memberIds, words)
      return definition.sharedBySiblings ? { id: uuid(), shared: false, answers } : { id: uuid(), answers }
    })
  const needCount = faker.number.int({ min: 2, max: 11 })
  const childNeeds = Math.round(needCount * 0.6)
  const full: Record<string, SectionContent> = {}
  for (const definition of PLAN) {
    const answers = definition.filledElsewhere
      ? Object.fromEntries(definition.questions.map((question) => [question.key, null]))
      : make.sectionAnswers(definition, words)
    full[definition.key] = { answers, lists: {} }
  }
  const lists = (key: SectionKey) => (full[key] as SectionContent).lists
  lists('network').members = members
  lists('child').needs = needs('child', childNeeds)
  lists('child').stayingInTouch = Array.from({ length: faker.number.int({ min: 0, max: 3 }) }, () => ({
    id: uuid(),
    answers: make.stayingInTouch(list('child', 'stayingInTouch')),
  }))
  lists('adopters').needs = needs('adopters', needCount - childNeeds)
  lists('adopters').financialSupport = Array.from({ length: faker.number.int({ min: 0, max: 2 }) }, () => ({
    id: uuid(),
    answers: make.payment(list('adopters', 'financialSupport')),
  }))
  lists('birth-family').relatives = Array.from({ length: faker.number.int({ min: 0, max: 2 }) }, () => ({
    id: uuid(),
    answers: make.birthRelative(list('birth-family', 'relatives')),
  }))
  for (const definition of PLAN)
    for (const listDef of definition.lists) (full[definition.key] as SectionContent).lists[listDef.key] ??= []
  const sorted = sortedKeys(full)
  for (const key of Object.keys(full)) delete full[key]
  Object.assign(full, sorted)

  // A draft is still being written; from the panel on, every section is complete.
  const share = step === 0 ? faker.number.float({ min: 0.3, max: 0.9 }) : 1
  const current = contentAt(full, share)
  const completed = (key: string) => step >= 2 && !sectionDefinition(key)?.filledElsewhere
  const saves = new Map<string, number>()

  // Versions: fewer for a plan just begun, more for one that has been through panel and reviews.
  const versions = faker.number.int({ min: 2 + step, max: 5 + step * 2 })
  const snapshotAt = (share: number, number: number): PlanSnapshot => {
    const content = contentAt(full, share)
    const pastStatus = [...facts.milestones].reverse().find((milestone) => milestone.at <= timeOf(number))
    // Keys in order, as canonical JSON has them, so that the JSON is made once for hash and row alike.
    return {
      adopters: facts.adopters.map(sortedKeys),
      child: { dateOfBirth: child.dateOfBirth, firstName: child.firstName, lastName: child.lastName },
      dateAgreed:
        pastStatus && PATH.indexOf(pastStatus.to) >= PATH.indexOf('agreed') ? facts.dateAgreed : null,
      sections: Object.fromEntries(
        Object.keys(content).map((key) => [
          key,
          {
            completed: share >= 1 && completed(key) && number === versions,
            content: content[key] as SectionContent,
          },
        ]),
      ),
      status: pastStatus?.to ?? 'draft',
    }
  }
  const span = now - startedAt
  const timeOf = (number: number) => startedAt + (number / (versions + 1)) * span
  for (let number = 1; number <= versions; number++) {
    const at = timeOf(number)
    const snapshot = snapshotAt(number === versions ? share : (share * number) / versions, number)
    const json = JSON.stringify(snapshot)
    if (!checkedShape) {
      if (json !== canonicalJson(snapshot))
        throw new Error('The synthetic versions are not in canonical order')
      checkedShape = true
    }
    const hash = createHash('sha256').update(json).digest('hex')
    buffer.add('plan_versions', {
      plan_id: planId,
      number,
      reason: number === versions ? 'As the plan stands' : `Draft ${number}`,
      content: json,
      content_hash: hash,
      taken_at: new Date(at),
      taken_by: worker.id,
    })
    // Between versions, a section or two saved, and the plan and the child's record read.
    const key = faker.helpers.arrayElement(['network', 'child', 'adopters', 'birth-family'])
    saves.set(key, (saves.get(key) ?? 1) + 1)
    audit.push(
      entry(at - 3_600_000, 'plan-changed', worker.id, child.id, {
        planId,
        section: key,
        version: saves.get(key),
      }),
      entry(at, 'plan-version-taken', worker.id, child.id, { planId, number, hash }),
    )
    if (faker.datatype.boolean(0.5))
      audit.push(entry(at - 7_200_000, 'child-viewed', worker.id, child.id, {}))
    if (faker.datatype.boolean(0.5))
      audit.push(entry(at - 7_000_000, 'plan-viewed', worker.id, child.id, { planId }))
  }

  for (const definition of PLAN) {
    const content = current[definition.key] as SectionContent
    buffer.add('plan_sections', {
      plan_id: planId,
      key: definition.key,
      version: saves.get(definition.key) ?? 1,
      answers: content.answers,
      completed: completed(definition.key),
      updated_at: new Date(now - DAY),
      updated_by: worker.id,
    })
  }
  addItems(buffer, 'plan_network_members', planId, current.network?.lists.members ?? [])
  for (const key of ['child', 'adopters'] as const) {
    for (const [position, item] of (current[key]?.lists.needs ?? []).entries()) {
      buffer.add('plan_need_items', {
        id: item.id,
        plan_id: planId,
        sibling_group_id: null,
        agency_id: facts.agencyId,
        section: key,
        position: position + 1,
        ...columns(item.answers),
        created_at: new Date(startedAt),
        removed_at: null,
      } as Row<'plan_need_items'>)
    }
  }
  addItems(buffer, 'plan_contact_arrangements', planId, current.child?.lists.stayingInTouch ?? [])
  addItems(buffer, 'plan_financial_support', planId, current.adopters?.lists.financialSupport ?? [])
  addItems(buffer, 'plan_birth_family_support', planId, current['birth-family']?.lists.relatives ?? [])

  // The steps of its life, each recorded by whoever may take it, with the version it was taken at.
  for (const milestone of facts.milestones) {
    const by =
      milestone.to === 'match-approved'
        ? facts.decisionMaker
        : milestone.to === 'closed'
          ? facts.manager
          : worker
    const versionNumber = Math.max(
      1,
      Math.min(versions, Math.round(((milestone.at - startedAt) / span) * (versions + 1))),
    )
    const dated = ['at-panel', 'match-approved', 'agreed', 'order-made'].includes(milestone.to)
    buffer.add('plan_transitions', {
      id: uuid(),
      plan_id: planId,
      from_status: milestone.from,
      to_status: milestone.to,
      on_date: dated ? day(milestone.at) : null,
      note: milestone.to === 'closed' ? 'The family no longer needs the plan.' : null,
      version_number: versionNumber,
      made_by: by.id,
      made_at: new Date(milestone.at),
    })
    audit.push(
      entry(milestone.at, 'plan-status-changed', by.id, child.id, {
        planId,
        from: milestone.from,
        to: milestone.to,
        version: versionNumber,
      }),
    )
  }

  // Reviews on the statutory schedule since placement: four weeks, three months, six months.
  if (facts.placedOn) {
    const placed = Date.parse(facts.placedOn)
    for (const offset of [28, 91, 182]) {
      const held = placed + offset * DAY
      if (held > now - 7 * DAY || step >= PATH.indexOf('order-made')) break
      const review: Row<'plan_reviews'> = {
        id: uuid(),
        plan_id: planId,
        kind: 'scheduled',
        reason: null,
        status: 'recorded',
        started_by: worker.id,
        started_at: new Date(held - 14 * DAY),
        needs_changed: make.need(list('child', 'needs'), memberIds, words).description as string,
        child_views: faker.lorem.sentence(),
        adopters_views: faker.lorem.sentence(),
        before_by: worker.id,
        before_at: new Date(held - 7 * DAY),
        held_on: day(held),
        recommendations: faker.lorem.sentences(3),
        visit_frequency: faker.helpers.arrayElement(['Every six weeks', 'Every three months']),
        after_by: worker.id,
        after_at: new Date(held + 3 * DAY),
        recorded_at: new Date(held + 3 * DAY),
      }
      buffer.add('plan_reviews', review)
    }
  }
}

/** A copy with every object's keys in order, as canonical JSON writes them. */
function sortedKeys<T>(value: T): T {
  if (Array.isArray(value)) return value.map(sortedKeys) as T
  if (value && typeof value === 'object') {
    const entries = Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    return Object.fromEntries(entries.map(([key, field]) => [key, sortedKeys(field)])) as T
  }
  return value
}

let checkedShape = false

function columns(answers: Answers): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(answers).map(([key, value]) => [
      key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`),
      value,
    ]),
  )
}

function addItems(
  buffer: CopyBuffer,
  table:
    | 'plan_network_members'
    | 'plan_contact_arrangements'
    | 'plan_financial_support'
    | 'plan_birth_family_support',
  planId: string,
  items: Item[],
): void {
  for (const [position, item] of items.entries()) {
    buffer.add(table, {
      id: item.id,
      plan_id: planId,
      position: position + 1,
      ...columns(item.answers),
      created_at: new Date(),
      removed_at: null,
    } as Row<typeof table>)
  }
}

const TABLES: (keyof Database)[] = [
  'agencies',
  'users',
  'sibling_groups',
  'children',
  'allocations',
  'families',
  'adopters',
  'family_allocations',
  'matches',
  'plans',
  'plan_sections',
  'plan_network_members',
  'plan_need_items',
  'plan_contact_arrangements',
  'plan_financial_support',
  'plan_birth_family_support',
  'plan_versions',
  'plan_transitions',
  'plan_reviews',
]

/** How many children each agency has: around the average, larger and smaller, adding up to the total. */
function agencySizes(agencies: number, children: number): number[] {
  if (agencies === 1) return [children]
  const average = children / agencies
  const sizes = Array.from({ length: agencies }, (_, index) =>
    index === 0 ? Math.round(average) : Math.round(average * faker.number.float({ min: 0.5, max: 1.5 })),
  )
  const rest = sizes.slice(1).reduce((sum, size) => sum + size, 0)
  const scale = (children - (sizes[0] as number)) / rest
  for (let index = 1; index < agencies; index++)
    sizes[index] = Math.max(50, Math.round((sizes[index] as number) * scale))
  sizes[agencies - 1] =
    (sizes[agencies - 1] as number) + children - sizes.reduce((sum, size) => sum + size, 0)
  return sizes
}

/** The staff an agency of this many children has; the first social worker is the benchmarks'. */
function staffOf(children: number): { role: StaffRole; count: number }[] {
  const workers = Math.max(2, Math.ceil(children / CASELOAD))
  return [
    { role: 'social-worker', count: workers },
    { role: 'team-manager', count: Math.max(1, Math.ceil(workers / 7)) },
    { role: 'agency-admin', count: 1 },
    { role: 'decision-maker', count: 1 },
    { role: 'iro', count: Math.max(1, Math.ceil(workers / 10)) },
    { role: 'support-worker', count: Math.max(1, Math.ceil(workers / 8)) },
    { role: 'panel-member', count: 3 },
    { role: 'data-analyst', count: 1 },
  ]
}

/**
 * Fills an empty, migrated database with the agencies of `shape` (one of SCALES, or smaller for a test). Refuses a database that already holds
 * children: synthetic records must never mix with real ones.
 */
export async function generateData(
  handle: DatabaseHandle,
  shape: Shape,
  progress: Progress = () => {},
): Promise<GeneratedData> {
  const began = Date.now()
  const { db } = handle
  const existing = await db
    .selectFrom('children')
    .select(sql<number>`count(*)`.as('count'))
    .executeTakeFirstOrThrow()
  if (Number(existing.count) > 0)
    throw new Error('This database already holds children: synthetic data goes only into an empty database.')
  faker.seed(SEED)
  const make = answerMaker(pooledProse(3_000))
  const now = Date.now()
  // One password nobody knows for every synthetic account: hashing one each would take minutes.
  const passwordHash = await hashPassword(randomBytes(18).toString('base64url'))
  const sizes = agencySizes(shape.agencies, shape.children)
  const counts = new Map<string, number>()
  const tally = (rows: CopyBuffer) => {
    for (const [table, count] of Object.entries(rows.counts()))
      counts.set(table, (counts.get(table) ?? 0) + count)
  }
  const audit: (AuditEntry & { agencyId: string })[] = []
  let writing: Promise<void> = Promise.resolve()
  const sample: Sample = { agencyId: '', workerId: '', adminId: '', caseload: [] }
  let previousHash =
    (await db.selectFrom('audit_events').select('hash').orderBy('seq', 'desc').limit(1).executeTakeFirst())
      ?.hash ?? '0'.repeat(64)
  let childrenDone = 0

  for (const [index, children] of sizes.entries()) {
    const region = REGIONS[index % shape.regions] as string
    const buffer = new CopyBuffer(TABLES)
    const agencyId = uuid()
    const name = `${faker.location.county()} ${faker.helpers.arrayElement(['Adoption', 'Adopt', 'Adoption Agency'])} ${index + 1}`
    buffer.add('agencies', {
      id: agencyId,
      name,
      kind: index % 5 === 4 ? 'vaa' : 'raa',
      region,
      created_at: new Date(now - 800 * DAY),
    })
    const staff: Staff[] = []
    const slug = `agency-${index + 1}`
    for (const { role, count } of staffOf(children)) {
      for (let n = 0; n < count; n++) {
        const person = { id: uuid(), role }
        staff.push(person)
        const first = faker.person.firstName()
        const last = faker.person.lastName()
        buffer.add('users', {
          id: person.id,
          agency_id: agencyId,
          email: `${role}.${n + 1}@${slug}.example`,
          name: `${first} ${last}`,
          role,
          password_hash: passwordHash,
          totp_secret: null,
          created_at: new Date(now - 800 * DAY),
          updated_at: new Date(now - 800 * DAY),
        })
      }
    }
    const first = index === 0
    if (first) {
      sample.agencyId = agencyId
      sample.workerId = (staff.find((person) => person.role === 'social-worker') as Staff).id
      sample.adminId = (staff.find((person) => person.role === 'agency-admin') as Staff).id
    }
    const agencyAudit = await agencyRows(
      buffer,
      { id: agencyId, children },
      staff,
      now,
      make,
      first ? sample : null,
    )
    for (const event of agencyAudit) audit.push({ ...event, agencyId })
    // Written while the next agency is made: one agency's rows at a time, in order.
    await writing
    writing = (async () => {
      await buffer.flush(handle)
      tally(buffer)
    })()
    // Its failure is thrown where it is awaited, before the next agency's rows or at the end.
    writing.catch(() => {})
    childrenDone += children
    progress(childrenDone, shape.children, `agency ${index + 1} of ${sizes.length}`)
  }
  await writing

  // The audit log, in the order it happened across every agency: the log's own order, which the
  // audit page's date search relies on (time rises with seq). One hash chain, on from any before.
  audit.sort((a, b) => a.at - b.at)
  for (let start = 0; start < audit.length; start += AUDIT_BATCH) {
    const rows = new CopyBuffer(['audit_events'])
    for (const event of audit.slice(start, start + AUDIT_BATCH)) {
      const when = new Date(event.at)
      const fields = {
        what: event.what,
        who: event.who,
        agencyId: event.agencyId,
        when,
        subjectType: event.subjectType,
        subjectId: event.subjectId,
        correlationId: null,
        details: event.details,
      }
      const hash = eventHash(previousHash, fields)
      rows.add('audit_events', {
        what: event.what,
        who: event.who,
        agency_id: event.agencyId,
        when,
        subject_type: event.subjectType,
        subject_id: event.subjectId,
        correlation_id: null,
        details: event.details,
        previous_hash: previousHash,
        hash,
      })
      previousHash = hash
    }
    await rows.flush(handle)
    tally(rows)
    progress(
      shape.children,
      shape.children,
      `audit log, ${Math.min(audit.length, start + AUDIT_BATCH).toLocaleString('en-GB')} of ${audit.length.toLocaleString('en-GB')} events`,
    )
  }
  // Fresh statistics, as autovacuum would leave them after a load this size, before anything is measured.
  await sql`analyze`.execute(db)
  return {
    shape,
    counts: Object.fromEntries(counts),
    sample,
    seconds: (Date.now() - began) / 1000,
  }
}
