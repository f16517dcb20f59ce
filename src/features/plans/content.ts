import { type ExpressionBuilder, type Kysely, sql, type Transaction } from 'kysely'
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

export async function readList(
  executor: Executor,
  plan: PlanKey,
  section: SectionDefinition,
  list: ListDefinition,
): Promise<Item[]> {
  let query = anyDb(executor)
    .selectFrom(list.table)
    .select(['id', ...listColumns(list), ...(list.sharedBySiblings ? ['sibling_group_id'] : [])])
    .where('removed_at', 'is', null)
  if (list.table === 'plan_need_items') query = query.where('section', '=', section.key)
  const rows = await query.where(ownedBy(plan, list)).orderBy('position').orderBy('created_at').execute()
  return rows.map((row) => toItem(list, row))
}

export async function readSection(
  executor: Executor,
  plan: PlanKey,
  section: SectionDefinition,
): Promise<{ content: SectionContent; version: number; completed: boolean }> {
  const row = await executor
    .selectFrom('plan_sections')
    .select(['answers', 'version', 'completed'])
    .where('plan_id', '=', plan.id)
    .where('key', '=', section.key)
    .executeTakeFirstOrThrow()
  const stored = row.answers as Answers
  const answers: Answers = {}
  for (const question of section.questions) answers[question.key] = stored[question.key] ?? null
  const lists: Record<string, Item[]> = {}
  for (const list of section.lists) lists[list.key] = await readList(executor, plan, section, list)
  return { content: { answers, lists }, version: row.version, completed: row.completed }
}

/**
 * Every section's answers, version and "completed", and how many items each list holds: what the
 * task list's statuses need, in two queries instead of reading every item of every list.
 */
export async function readShapes(
  executor: Executor,
  plan: PlanKey,
  sections: readonly SectionDefinition[],
): Promise<Map<string, { shape: SectionShape; version: number; completed: boolean }>> {
  const rows = await executor
    .selectFrom('plan_sections')
    .select(['key', 'answers', 'version', 'completed'])
    .where('plan_id', '=', plan.id)
    .execute()
  const counts = sections
    .flatMap((section) => section.lists.map((list) => ({ section, list })))
    .map(({ section, list }) => {
      let query = anyDb(executor)
        .selectFrom(list.table)
        .select((eb) => [
          sql.lit(`${section.key}/${list.key}`).as('list'),
          eb.fn.countAll<number>().as('size'),
        ])
        .where('removed_at', 'is', null)
      if (list.table === 'plan_need_items') query = query.where('section', '=', section.key)
      return query.where(ownedBy(plan, list))
    })
  const sizes = new Map<string, number>()
  if (counts.length > 0) {
    const [first, ...rest] = counts
    const all = rest.reduce((union, query) => union.unionAll(query), first as (typeof counts)[number])
    for (const row of await all.execute()) sizes.set(String(row.list), Number(row.size))
  }
  const shapes = new Map<string, { shape: SectionShape; version: number; completed: boolean }>()
  for (const section of sections) {
    const row = rows.find((candidate) => candidate.key === section.key)
    if (!row) throw new Error(`Plan ${plan.id} has no section ${section.key}`)
    const stored = row.answers as Answers
    const answers: Answers = {}
    for (const question of section.questions) answers[question.key] = stored[question.key] ?? null
    const listSizes = Object.fromEntries(
      section.lists.map((list) => [list.key, sizes.get(`${section.key}/${list.key}`) ?? 0]),
    )
    shapes.set(section.key, { shape: { answers, listSizes }, version: row.version, completed: row.completed })
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

/** The items this plan owns, and (for a list siblings share) its sibling group's. */
function ownedBy(plan: PlanKey, list: ListDefinition) {
  return (eb: ExpressionBuilder<Loose, string>) =>
    list.sharedBySiblings && plan.siblingGroupId
      ? eb.or([eb('plan_id', '=', plan.id), eb('sibling_group_id', '=', plan.siblingGroupId)])
      : eb('plan_id', '=', plan.id)
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
