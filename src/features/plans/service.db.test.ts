import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { sql } from 'kysely'
import { childDetailsFor } from '../../../test/support/children.ts'
import { testDatabase } from '../../../test/support/database.ts'
import type { DatabaseHandle } from '../../db/database.ts'
import { emptyContent } from '../../plan/answers.ts'
import { ALL_LISTS, columnOf, listDefinition, sectionDefinition } from '../../plan/definition.ts'
import { snapshotHash } from '../../plan/versions.ts'
import type { Actor } from '../../platform/policy.ts'
import { accounts } from '../accounts/service.ts'
import { childrenService } from '../children/service.ts'
import { type PlansService, plansService } from './service.ts'

// Plans in the database: made together for a sibling group, saved field by field, merged when two
// people save the same section, versions that nothing can change. Runs on PGlite and PostgreSQL.

type Staff = Actor & { kind: 'staff' }

const need = {
  area: 'emotional-behavioural',
  description: 'Big feelings at bedtime',
  expected: 'now',
  support: 'Therapeutic parenting course',
  providerMemberId: null,
  providerOrganisation: 'Adoption support team',
  startOn: '2026-09-01',
  endOn: null,
  frequency: 'Weekly for 10 weeks',
  review: 'At each child care review',
  funding: 'asgsf',
  fundAmount: 250_000,
  status: 'planned',
}

describe('plans', () => {
  let handle: DatabaseHandle
  let plans: PlansService
  let worker: Staff
  let colleague: Staff
  let planId: string
  let siblingPlanId: string

  before(async () => {
    handle = await testDatabase()
    const db = handle.db
    const people = accounts(db)
    const agencyId = await people.addAgency({ name: 'Plans RAA', kind: 'raa' })
    const staff = async (email: string): Promise<Staff> => ({
      kind: 'staff',
      agencyId,
      role: 'social-worker',
      userId: await people.addUser({
        agencyId,
        email,
        name: email.split('@')[0] as string,
        role: 'social-worker',
      }),
    })
    worker = await staff('first@plans.example')
    colleague = await staff('second@plans.example')
    const children = childrenService(db)
    const older = await children.add(worker, childDetailsFor({ firstName: 'Ada' }), 'test')
    if (older.outcome !== 'added') throw new Error('child not added')
    const younger = await children.add(
      worker,
      childDetailsFor({ firstName: 'Bo', siblingOf: older.child.id }),
      'test',
    )
    if (younger.outcome !== 'added') throw new Error('child not added')
    plans = plansService(db)
    const created = await plans.create(worker, older.child.id, 'test')
    assert.equal(created.outcome, 'created')
    if (created.outcome !== 'created') return
    assert.equal(created.created, 2, 'the sibling’s plan is made with it')
    planId = created.planId
    siblingPlanId = (await plans.forChild(younger.child.id)) as string
    assert.ok(siblingPlanId)
  })
  after(() => handle.close())

  test('every list question has its column, of the same name, in its table', async () => {
    for (const list of ALL_LISTS) {
      const columns = await sql<{ column_name: string }>`
        select column_name from information_schema.columns where table_name = ${list.table}
      `.execute(handle.db)
      const names = new Set(columns.rows.map((row) => row.column_name))
      for (const question of list.questions) {
        assert.ok(names.has(columnOf(question.key)), `${list.table}.${columnOf(question.key)}`)
      }
    }
  })

  test('a save records each changed field, before and after, under the next version', async () => {
    const first = await plans.saveAnswers(worker, planId, 'child', 1, { whoTheyAre: 'Loves dinosaurs' }, 't1')
    assert.deepEqual(first, { outcome: 'saved', version: 2 })
    const same = await plans.saveAnswers(worker, planId, 'child', 2, { whoTheyAre: 'Loves dinosaurs' }, 't2')
    assert.deepEqual(same, { outcome: 'saved', version: 2 }, 'nothing changed, nothing recorded')
    const history = await plans.history(worker, planId, 'test')
    assert.equal(history?.changes.length, 1)
    assert.deepEqual(history?.changes[0]?.changes, [
      { path: 'child.whoTheyAre', label: 'Who is the child?', before: '', after: 'Loves dinosaurs' },
    ])
  })

  test('two people save one section: separate fields merge, the same field comes back to choose', async () => {
    await plans.saveAnswers(
      worker,
      planId,
      'adopters',
      1,
      { strengths: 'Patient', vulnerabilities: null },
      'a',
    )
    const mine = await plans.saveAnswers(
      colleague,
      planId,
      'adopters',
      1,
      { strengths: null, vulnerabilities: 'Tired' },
      'b',
    )
    assert.equal(mine.outcome, 'saved', 'different fields merge')
    const section = await plans.section(worker, planId, 'adopters', 'c')
    assert.equal(section?.state.content.answers.strengths, 'Patient', 'the first person’s text is kept')
    assert.equal(section?.state.content.answers.vulnerabilities, 'Tired')

    const clash = await plans.saveAnswers(
      colleague,
      planId,
      'adopters',
      1,
      { strengths: 'Calm', vulnerabilities: 'Tired' },
      'd',
    )
    assert.equal(clash.outcome, 'conflict')
    if (clash.outcome !== 'conflict') return
    assert.deepEqual(
      clash.conflicts.map((conflict) => [conflict.field, conflict.theirs, conflict.yours]),
      [['strengths', 'Patient', 'Calm']],
    )
    assert.deepEqual(clash.changedBy, ['first'])
    const chosen = await plans.saveAnswers(
      colleague,
      planId,
      'adopters',
      clash.version,
      { strengths: 'Calm', vulnerabilities: 'Tired' },
      'e',
    )
    assert.equal(chosen.outcome, 'saved')
  })

  test('an autosave saves only on the version its page showed, and merges nothing', async () => {
    const now = (await plans.section(worker, planId, 'adopters', 'f'))?.state.version as number
    const typed = { strengths: 'Kind', vulnerabilities: 'Tired' }
    const stale = await plans.saveAnswers(worker, planId, 'adopters', now - 1, typed, 'g', 'refuse')
    assert.deepEqual(stale, { outcome: 'stale', version: now })
    const section = await plans.section(worker, planId, 'adopters', 'h')
    assert.equal(section?.state.content.answers.strengths, 'Calm', 'nothing saved')
    const saved = await plans.saveAnswers(worker, planId, 'adopters', now, typed, 'i', 'refuse')
    assert.deepEqual(saved, { outcome: 'saved', version: now + 1 })
  })

  test('a need shared by the sibling group is written once and shown in each plan', async () => {
    const child = sectionDefinition('child')
    const needs = child && listDefinition(child, 'needs')
    assert.ok(needs)
    const before = await plans.section(worker, siblingPlanId, 'child', 'x')
    const saved = await plans.saveItem(
      worker,
      planId,
      'child',
      needs,
      null,
      0,
      { ...need },
      { shared: true, correlationId: 'n' },
    )
    assert.equal(saved.outcome, 'saved')
    const own = await plans.saveItem(
      worker,
      planId,
      'child',
      needs,
      null,
      0,
      { ...need, description: 'Only Ada' },
      { correlationId: 'n2' },
    )
    assert.equal(own.outcome, 'saved')
    const sibling = await plans.section(worker, siblingPlanId, 'child', 'y')
    const items = sibling?.state.content.lists.needs ?? []
    assert.deepEqual(
      items.map((item) => [item.answers.description, item.shared]),
      [['Big feelings at bedtime', true]],
    )
    assert.ok(
      (sibling?.state.version ?? 0) > (before?.state.version ?? 0),
      'the sibling’s section moved on too',
    )
    const rows = await handle.db
      .selectFrom('plan_need_items')
      .select(['fund_amount', 'area'])
      .where('funding', '=', 'asgsf')
      .execute()
    assert.deepEqual(rows, [
      { fund_amount: 250_000, area: 'emotional-behavioural' },
      { fund_amount: 250_000, area: 'emotional-behavioural' },
    ])
  })

  test('the API’s PUT: one of two on the same version wins; twenty writers lose nothing acknowledged', async () => {
    const start = await plans.section(worker, planId, 'birth-family', 'z')
    const version = start?.state.version as number
    const content = (text: string) => {
      const empty = emptyContent(
        sectionDefinition('birth-family') as NonNullable<ReturnType<typeof sectionDefinition>>,
      )
      return {
        ...empty,
        lists: {
          relatives: [
            {
              id: '',
              answers: {
                relative: text,
                relationship: 'Mother',
                support: 'Counselling',
                providedBy: 'PAC-UK',
              },
            },
          ],
        },
      }
    }
    const both = await Promise.all([
      plans.replaceSection(worker, planId, 'birth-family', version, content('one'), 'p1'),
      plans.replaceSection(colleague, planId, 'birth-family', version, content('two'), 'p2'),
    ])
    assert.deepEqual(both.map((result) => result.outcome).sort(), ['saved', 'stale'])

    const acknowledged: string[] = []
    await Promise.all(
      Array.from({ length: 20 }, async (_, writer) => {
        for (;;) {
          const current = await plans.section(worker, planId, 'adopters', `w${writer}`)
          const state = current?.state
          if (!state) throw new Error('no section')
          const answers = {
            ...state.content.answers,
            informalSupport: `${state.content.answers.informalSupport ?? ''}[${writer}]`,
          }
          const result = await plans.replaceSection(
            worker,
            planId,
            'adopters',
            state.version,
            { ...state.content, answers },
            `w${writer}`,
          )
          if (result.outcome === 'saved') {
            acknowledged.push(`[${writer}]`)
            return
          }
          assert.equal(result.outcome, 'stale')
        }
      }),
    )
    const final = await plans.section(worker, planId, 'adopters', 'end')
    const text = String(final?.state.content.answers.informalSupport)
    assert.equal(acknowledged.length, 20)
    for (const mark of acknowledged) assert.ok(text.includes(mark), `${mark} kept`)
  })

  test('versions are numbered, hashed and cannot be changed, even in the database', async () => {
    const one = await plans.takeVersion(worker, planId, 'Saved by the lead worker', 'v1')
    await plans.saveAnswers(worker, planId, 'child', 2, { whoTheyAre: 'Loves dinosaurs and trains' }, 'v')
    const two = await plans.takeVersion(worker, planId, 'Saved by the lead worker', 'v2')
    assert.equal(one.outcome === 'taken' && one.number, 1)
    assert.equal(two.outcome === 'taken' && two.number, 2)
    const stored = await plans.version(worker, planId, 1, 'test')
    assert.equal(snapshotHash(stored?.version.content as never), stored?.version.hash)
    await assert.rejects(
      handle.db
        .updateTable('plan_versions')
        .set({ reason: 'changed' })
        .where('plan_id', '=', planId)
        .execute(),
    )
    await assert.rejects(handle.db.deleteFrom('plan_versions').where('plan_id', '=', planId).execute())
    assert.equal((await plans.version(worker, planId, 1, 'test'))?.version.hash, stored?.version.hash)
  })

  test('someone of another agency finds no plan at all', async () => {
    const people = accounts(handle.db)
    const elsewhere = await people.addAgency({ name: 'Elsewhere', kind: 'la' })
    const stranger: Staff = {
      kind: 'staff',
      agencyId: elsewhere,
      role: 'social-worker',
      userId: await people.addUser({
        agencyId: elsewhere,
        email: 's@elsewhere.example',
        name: 'S',
        role: 'social-worker',
      }),
    }
    assert.equal(await plans.view(stranger, planId, 's'), null)
    assert.equal((await plans.saveAnswers(stranger, planId, 'child', 1, {}, 's')).outcome, 'not-found')
    assert.equal(await plans.versions(stranger, planId), null)
  })
})
