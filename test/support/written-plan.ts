import type { PlansService } from '../../src/features/plans/service.ts'
import type { Answers } from '../../src/plan/answers.ts'
import { PLAN, type Question } from '../../src/plan/definition.ts'
import type { Actor } from '../../src/platform/policy.ts'

// A plan with every question of sections 1 to 4 answered and two items in every list, written
// through the plans service as the pages write it. Each text answer is unique ("<marker> <where>
// <question>"), so that a test can look for every one of them, in the plan's order, in what the
// service makes of the plan.

export type WrittenPlan = {
  /** Each question's label and its text answer, in the order the plan shows them. */
  inOrder: string[]
  /** Every text answer of one section, by section key. */
  bySection: Record<string, string[]>
}

const MEMBER_PHONE = '0161 496 0000'

/** An answer to each question: words where words go ("<marker> <where> <key>"), valid values elsewhere. */
export function answersFor(questions: Question[], where: string, marker: string, memberId?: string): Answers {
  const answers: Answers = {}
  for (const question of questions) {
    const words = `${marker} ${where} ${question.key}`
    switch (question.type) {
      case 'text':
        answers[question.key] = words
        break
      case 'narrative':
        answers[question.key] = `${words}, first paragraph.\nSecond paragraph of ${words}.`
        break
      case 'choice':
        answers[question.key] = question.options[0]?.value ?? null
        break
      case 'date':
        answers[question.key] = '2025-09-01'
        break
      case 'money':
        answers[question.key] = 12_345
        break
      case 'email':
        answers[question.key] = `${where.replace(/\W+/g, '.')}.${question.key}@example.org`.toLowerCase()
        break
      case 'phone':
        answers[question.key] = MEMBER_PHONE
        break
      case 'networkMember':
        answers[question.key] = memberId ?? null
        break
    }
  }
  return answers
}

const isWords = (question: Question) => question.type === 'text' || question.type === 'narrative'

export async function writeWholePlan(
  plans: PlansService,
  actor: Actor & { kind: 'staff' },
  planId: string,
  marker: string,
): Promise<WrittenPlan> {
  const inOrder: string[] = []
  const bySection: Record<string, string[]> = {}
  let memberId: string | undefined
  for (const section of PLAN) {
    if (section.filledElsewhere) continue
    const texts: string[] = []
    if (section.questions.length > 0) {
      const answers = answersFor(section.questions, section.key, marker)
      const saved = await plans.saveAnswers(actor, planId, section.key, 1, answers, 'test')
      if (saved.outcome !== 'saved') throw new Error(`${section.key}: ${saved.outcome}`)
      for (const question of section.questions.filter(isWords))
        inOrder.push(question.label, String(answers[question.key]))
    }
    for (const list of section.lists) {
      for (const n of [1, 2]) {
        const answers = answersFor(list.questions, `${section.key} ${list.key} ${n}`, marker, memberId)
        const saved = await plans.saveItem(actor, planId, section.key, list, null, 0, answers, {
          correlationId: 'test',
        })
        if (saved.outcome !== 'saved') throw new Error(`${section.key} ${list.key}: ${saved.outcome}`)
        if (list.key === 'members' && n === 1) memberId = saved.itemId
        for (const question of list.questions.filter(isWords))
          inOrder.push(question.label, String(answers[question.key]))
      }
    }
    for (let i = 1; i < inOrder.length; i += 2) texts.push(inOrder[i] as string)
    bySection[section.key] = texts.filter((text) => text.startsWith(`${marker} ${section.key}`))
  }
  return { inOrder, bySection }
}
