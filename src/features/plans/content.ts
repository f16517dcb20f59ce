import { type Expression, type ExpressionBuilder, type Kysely, sql, type Transaction } from 'kysely'
import { jsonArrayFrom, jsonBuildObject, jsonObjectFrom } from 'kysely/helpers/postgres'
import type { Db } from '../../db/database.ts'
import type { Database } from '../../db/schema.ts'
import type { Answer, Answers, Item, SectionContent, SectionShape } from '../../plan/answers.ts'
import { columnOf, type ListDefinition, type SectionDefinition } from '../../plan/definition.ts'

// Reading and writing a section's content, driven by the plan's definition: plain answers in the
// section's JSON, each list in its own table with a column per question. Knows nothing of who asks.

type Executor = Db | Transaction<Database>

/** Who the plan is about, as the lists need it: shared needs belong to the child's sibling group. */
export type PlanKey = { id: string; agencyId: string; siblingGroupId: string | null }

const listColumns = (list: ListDefinition) => list.questions.map((question) => columnOf(question.key))

// Lists are reached through the definition, so the table and columns come from it, never from input.
type Loose = Record<string, Record<string, unknown>>
const anyDb = (executor: Executor) => executor as unknown as Kysely<Loose>

function toItem(list: ListDefinition, row: Record<string, unknown>): Item {
  const answers: Answers = {}
  for (const question of list.questions) {
    answers[question.key] = (row[columnOf(question.key)] ?? null) as Answer
  }
  const item: Item = { id: String(row.id), answers }
  if (list.sharedBySiblings) item.shared = row.sibling_group_id !== null && row.sibling_group_id !== undefined
  return item
}

/**
 * Whose items a read takes: the plan's and, for a list siblings share, its sibling group's. Values,
 * or columns of an enclosing query that reads the plan (so that the plan and its content are one query).
 */
export type Owner = {
  id: string | Expression<string>
  siblingGroupId: string | null | Expression<string | null>
}

function listQuery(executor: Executor, owner: Owner, section: SectionDefinition, list: ListDefinition) {
  let query = anyDb(executor)
    .selectFrom(list.table)
    .select(['id', ...listColumns(list), ...(list.sharedBySiblings ? ['sibling_group_id'] : [])])
    .where('removed_at', 'is', null)
  if (list.table === 'plan_need_items') query = query.where('section', '=', section.key)
  return query.where(ownedBy(owner, list)).orderBy('position').orderBy('created_at')
}

export async function readList(
  executor: Executor,
  plan: PlanKey,
  section: SectionDefinition,
  list: ListDefinition,
): Promise<Item[]> {
  const rows = await listQuery(executor, plan, section, list).execute()
  return rows.map((row) => toItem(list, row))
}

const listColumn = (list: ListDefinition) => `list_${list.key}`

/** A section's answers, version and "completed", and each of its lists in order, each as JSON. */
function sectionParts(executor: Executor, owner: Owner, section: SectionDefinition) {
  return {
    section_row: jsonObjectFrom(
      executor
        .selectFrom('plan_sections')
        .select(['answers', 'version', 'completed'])
        .where('plan_id', '=', owner.id)
        .where('key', '=', section.key),
    ),
    ...Object.fromEntries(
      section.lists.map((list) => [
        listColumn(list),
        jsonArrayFrom(listQuery(executor, owner, section, list)),
      ]),
    ),
  }
}

/**
 * A section's answers, version and "completed", and each of its lists in order, as columns of one
 * select (JSON, which keeps every value a list holds as it is: text, dates as text, whole numbers).
 */
export function sectionColumns(executor: Executor, owner: Owner, section: SectionDefinition) {
  return Object.entries(sectionParts(executor, owner, section)).map(([name, part]) => part.as(name))
}

/**
 * The same and section 1's people by name (`member_names`), as one JSON text as the database
 * writes it: a page digests what it shows as it comes (renderKept), and parses it once.
 */
export function sectionTextColumn(executor: Executor, owner: Owner, section: SectionDefinition) {
  const parts = {
    ...sectionParts(executor, owner, section),
    member_names: memberNamesPart(executor, owner.id),
  }
  return sql<string>`(${jsonBuildObject(parts)})::text`.as('section_text')
}

/** What `sectionColumns` read, as the section's content. */
export function sectionFrom(
  section: SectionDefinition,
  row: Record<string, unknown>,
): { content: SectionContent; version: number; completed: boolean } {
  const stored = row.section_row as { answers: Answers; version: number; completed: boolean } | null
  if (!stored) throw new Error(`The plan has no section ${section.key}`)
  const answers: Answers = {}
  for (const question of section.questions) answers[question.key] = stored.answers[question.key] ?? null
  const lists: Record<string, Item[]> = {}
  for (const list of section.lists) {
    const rows = row[listColumn(list)] as Record<string, unknown>[]
    lists[list.key] = rows.map((item) => toItem(list, item))
  }
  return { content: { answers, lists }, version: stored.version, completed: stored.completed }
}

/** A section's answers and every item of its lists, in one query. */
export async function readSection(
  executor: Executor,
  plan: PlanKey,
  section: SectionDefinition,
): Promise<{ content: SectionContent; version: number; completed: boolean }> {
  const row = await executor.selectNoFrom(sectionColumns(executor, plan, section)).executeTakeFirstOrThrow()
  return sectionFrom(section, row)
}

/** Section 1's people, removed ones too, by id (for "who provides it"), in their order. */
function memberNamesPart(executor: Executor, planId: string | Expression<string>) {
  return jsonArrayFrom(
    executor
      .selectFrom('plan_network_members')
      .select(['id', 'name'])
      .where('plan_id', '=', planId)
      .orderBy('position')
      .orderBy('created_at'),
  )
}

export const memberNamesFrom = (row: { member_names: { id: string; name: string }[] }) =>
  new Map(row.member_names.map((member) => [member.id, member.name]))

/**
 * Every section's answers, version and "completed", and how many items each list holds: what the
 * task list's statuses need, without reading the items. Columns of one select, like `sectionColumns`.
 */
export function shapeColumns(executor: Executor, owner: Owner, sections: readonly SectionDefinition[]) {
  const sizes = sections.flatMap((section) =>
    section.lists.map((list) => {
      let query = anyDb(executor)
        .selectFrom(list.table)
        .select((eb) => eb.fn.countAll<number>().as('size'))
        .where('removed_at', 'is', null)
      if (list.table === 'plan_need_items') query = query.where('section', '=', section.key)
      return [`${section.key}/${list.key}`, query.where(ownedBy(owner, list)).$asScalar()] as const
    }),
  )
  return [
    jsonArrayFrom(
      executor
        .selectFrom('plan_sections')
        .select(['key', 'answers', 'version', 'completed'])
        .where('plan_id', '=', owner.id),
    ).as('section_rows'),
    jsonBuildObject(Object.fromEntries(sizes)).as('list_sizes'),
  ]
}

/** What `shapeColumns` read, by section. */
export function shapesFrom(
  sections: readonly SectionDefinition[],
  row: {
    section_rows: { key: string; answers: unknown; version: number; completed: boolean }[]
    list_sizes: Record<string, number | null>
  },
): Map<string, { shape: SectionShape; version: number; completed: boolean }> {
  const shapes = new Map<string, { shape: SectionShape; version: number; completed: boolean }>()
  for (const section of sections) {
    const stored = row.section_rows.find((candidate) => candidate.key === section.key)
    if (!stored) throw new Error(`The plan has no section ${section.key}`)
    const given = stored.answers as Answers
    const answers: Answers = {}
    for (const question of section.questions) answers[question.key] = given[question.key] ?? null
    const listSizes = Object.fromEntries(
      section.lists.map((list) => [list.key, Number(row.list_sizes[`${section.key}/${list.key}`] ?? 0)]),
    )
    shapes.set(section.key, {
      shape: { answers, listSizes },
      version: stored.version,
      completed: stored.completed,
    })
  }
  return shapes
}

export async function writeAnswers(
  trx: Transaction<Database>,
  planId: string,
  key: string,
  answers: Answers,
) {
  await trx
    .updateTable('plan_sections')
    .set({ answers: JSON.stringify(answers) })
    .where('plan_id', '=', planId)
    .where('key', '=', key)
    .execute()
}

function columnsOf(list: ListDefinition, answers: Answers): Record<string, Answer> {
  return Object.fromEntries(
    list.questions.map((question) => [columnOf(question.key), answers[question.key] ?? null]),
  )
}

/** Adds an item at the end of the list; `shared` puts a need on the sibling group instead of the plan. */
export async function insertItem(
  trx: Transaction<Database>,
  plan: PlanKey,
  section: SectionDefinition,
  list: ListDefinition,
  answers: Answers,
  shared = false,
): Promise<string> {
  const owner =
    shared && list.sharedBySiblings && plan.siblingGroupId
      ? { plan_id: null, sibling_group_id: plan.siblingGroupId }
      : { plan_id: plan.id, ...(list.table === 'plan_need_items' ? { sibling_group_id: null } : {}) }
  const last = await anyDb(trx)
    .selectFrom(list.table)
    .select(sql<number>`coalesce(max(position), 0)`.as('position'))
    .where(owner.plan_id ? 'plan_id' : 'sibling_group_id', '=', owner.plan_id ?? owner.sibling_group_id)
    .executeTakeFirst()
  const row = await anyDb(trx)
    .insertInto(list.table)
    .values({
      ...owner,
      ...(list.table === 'plan_need_items' ? { section: section.key, agency_id: plan.agencyId } : {}),
      position: Number(last?.position ?? 0) + 1,
      ...columnsOf(list, answers),
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  return String(row.id)
}

/**
 * The items this plan owns, and (for a list siblings share) its sibling group's. A sibling group
 * given as a column may be null: the comparison is then never true, and only the plan's items count.
 */
function ownedBy(owner: Owner, list: ListDefinition) {
  return (eb: ExpressionBuilder<Loose, string>) =>
    list.sharedBySiblings && owner.siblingGroupId
      ? eb.or([eb('plan_id', '=', owner.id), eb('sibling_group_id', '=', owner.siblingGroupId)])
      : eb('plan_id', '=', owner.id)
}

export async function updateItem(
  trx: Transaction<Database>,
  plan: PlanKey,
  list: ListDefinition,
  itemId: string,
  answers: Answers,
): Promise<boolean> {
  const result = await anyDb(trx)
    .updateTable(list.table)
    .set(columnsOf(list, answers))
    .where('id', '=', itemId)
    .where('removed_at', 'is', null)
    .where(ownedBy(plan, list))
    .executeTakeFirst()
  return result.numUpdatedRows > 0n
}

export async function removeItem(
  trx: Transaction<Database>,
  plan: PlanKey,
  list: ListDefinition,
  itemId: string,
): Promise<boolean> {
  const result = await anyDb(trx)
    .updateTable(list.table)
    .set({ removed_at: new Date() })
    .where('id', '=', itemId)
    .where('removed_at', 'is', null)
    .where(ownedBy(plan, list))
    .executeTakeFirst()
  return result.numUpdatedRows > 0n
}
