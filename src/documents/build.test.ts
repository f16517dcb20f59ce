import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { assertInOrder } from '../../test/support/text.ts'
import { answersFor } from '../../test/support/written-plan.ts'
import type { Item } from '../plan/answers.ts'
import { PLAN, type Question } from '../plan/definition.ts'
import type { PlanSnapshot } from '../plan/versions.ts'
import { buildDocument, NOT_PROVIDED } from './build.ts'
import { type DocumentModel, textsOf } from './model.ts'

// The builder: every answer of a version, in the plan's order, empty ones as "Not provided"; the
// birth family's variant carries section 4 and nothing that names the child or the adopters.

const MEMBER = '00000000-0000-4000-8000-000000000001'
const writtenAnswers = (questions: Question[], where: string) =>
  answersFor(questions, where, 'Answer', MEMBER)

function fullSnapshot(): PlanSnapshot {
  const sections: PlanSnapshot['sections'] = {}
  for (const section of PLAN) {
    const lists: Record<string, Item[]> = {}
    for (const list of section.lists) {
      lists[list.key] = [1, 2].map((n) => ({
        id: list.key === 'members' && n === 1 ? MEMBER : `${section.key}-${list.key}-${n}`,
        answers: writtenAnswers(list.questions, `${section.key}-${list.key}-${n}`),
      }))
    }
    sections[section.key] = {
      completed: true,
      content: { answers: writtenAnswers(section.questions, section.key), lists },
    }
  }
  return {
    status: 'agreed',
    dateAgreed: '2026-03-03',
    child: { firstName: 'Childfirst', lastName: 'Childlast', dateOfBirth: '2021-05-06' },
    adopters: [{ firstName: 'Adopterfirst', lastName: 'Adopterlast', dateOfBirth: '1980-01-02' }],
    sections,
    reviews: [
      {
        kind: 'scheduled',
        status: 'recorded',
        heldOn: '2026-04-01',
        before: {
          needsChanged: 'Needs changed text',
          childViews: 'Child views text',
          adoptersViews: 'Adopters views text',
          by: 'A worker',
          at: '2026-03-30T10:00:00Z',
        },
        after: {
          recommendations: 'Recommendations text',
          visitFrequency: 'Every six weeks',
          by: 'An IRO',
          at: '2026-04-01T15:00:00Z',
        },
      },
    ],
  }
}

const version = { number: 4, hash: 'a'.repeat(64), takenAt: new Date('2026-04-02T09:00:00Z') }

function built(variant: 'full' | 'birth-family' | 'review', snapshot = fullSnapshot()): DocumentModel {
  const outcome = buildDocument({ variant, version, snapshot })
  assert.ok(outcome.ok)
  return outcome.model
}

describe('the document of a plan version', () => {
  test('the full plan has every question and answer of every section, in the plan’s order', () => {
    const texts = textsOf(built('full'))
    const expected: string[] = []
    for (const section of PLAN) {
      if (section.key === 'review') continue
      expected.push(`${section.number}. ${section.title}`)
      for (const question of section.questions)
        if (question.type === 'text' || question.type === 'narrative')
          expected.push(question.label, `Answer ${section.key} ${question.key}`)
      for (const list of section.lists)
        for (const n of [1, 2])
          for (const question of list.questions)
            if (question.type === 'text' || question.type === 'narrative')
              expected.push(question.label, `Answer ${section.key}-${list.key}-${n} ${question.key}`)
    }
    expected.push(
      'Needs changed text',
      'Child views text',
      'Adopters views text',
      'Recommendations text',
      'Every six weeks',
    )
    assertInOrder(texts, expected)
    assert.ok(texts.includes('£123.45'), 'money in pounds')
    assert.ok(texts.includes('1 September 2025'), 'dates in words')
    assert.ok(
      texts.some((text) => text.includes('a'.repeat(64))),
      'the content hash',
    )
  })

  test('an empty answer reads “Not provided”, and a section never written says so', () => {
    const snapshot = fullSnapshot()
    const child = snapshot.sections.child
    assert.ok(child)
    child.content.answers.health = null
    delete snapshot.sections.adopters
    const model = built('full', snapshot)
    const fields = model.blocks.flatMap((block) => (block.kind === 'fields' ? block.rows : []))
    assert.equal(
      fields.find((row) => row.label === PLAN[1]?.questions.find((q) => q.key === 'health')?.label)?.value,
      NOT_PROVIDED,
    )
    assertInOrder(textsOf(model), [
      '3. All about the adopters',
      NOT_PROVIDED,
      '4. Adoption support to the birth family',
    ])
  })

  test('the birth family’s variant has section 4 and a page to sign for each relative, and nothing else', () => {
    const model = built('birth-family')
    const texts = textsOf(model).join('\n')
    assert.match(texts, /Answer birth-family-relatives-1 support/)
    assert.match(texts, /Answer birth-family-relatives-2 support/)
    for (const other of [
      'Childfirst',
      'Childlast',
      'Adopterfirst',
      'Adopterlast',
      '2021',
      '1980',
      'Answer child',
      'Answer adopters',
      'Answer network',
      'Needs changed',
    ])
      assert.ok(!texts.includes(other), `${other} must not be in the birth family’s document`)
    assert.equal(model.blocks.filter((block) => block.kind === 'signature').length, 2)
    assert.ok(!model.blocks.some((block) => block.kind === 'image'))
  })

  test('photos go in the full plan only', () => {
    const photo = {
      subject: 'child' as const,
      name: 'Childfirst Childlast',
      description: 'Smiling in a red coat',
      mediaType: 'image/jpeg' as const,
      bytes: new Uint8Array([1, 2, 3]),
      width: 10,
      height: 10,
    }
    for (const variant of ['full', 'birth-family', 'review'] as const) {
      const outcome = buildDocument({ variant, version, snapshot: fullSnapshot(), photos: [photo] })
      assert.ok(outcome.ok)
      const images = outcome.model.blocks.filter((block) => block.kind === 'image')
      assert.equal(images.length, variant === 'full' ? 1 : 0, variant)
    }
  })

  test('the review variant is one review’s record; a version without it says so', () => {
    assertInOrder(textsOf(built('review')), [
      'Review held on 1 April 2026',
      'Before the review',
      'Needs changed text',
      'After the review',
      'Recommendations text',
    ])
    const none = buildDocument({ variant: 'review', version, snapshot: { ...fullSnapshot(), reviews: [] } })
    assert.deepEqual(none, { ok: false, reason: 'no-review' })
    assert.deepEqual(buildDocument({ variant: 'review', version, snapshot: fullSnapshot(), review: 2 }), {
      ok: false,
      reason: 'no-review',
    })
  })

  test('the same version gives the same document, carrying its hash and its dates', () => {
    assert.deepEqual(built('full'), built('full'))
    const model = built('full')
    assert.equal(model.contentHash, version.hash)
    assert.equal(model.createdAt.toISOString(), version.takenAt.toISOString())
    assert.equal(model.furniture, 'Version 4 · Agreed · taken 2 April 2026 · agreed 3 March 2026')
  })
})
