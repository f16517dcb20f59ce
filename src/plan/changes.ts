import type { FieldChange } from '../db/schema.ts'
import { type Answers, displayAnswer, type Item, type SectionContent } from './answers.ts'
import type { ListDefinition, Question, SectionDefinition } from './definition.ts'

// A section's content as a flat list of labelled fields, in the order the plan shows them: what the
// history records at each save (field by field, before and after) and what two versions compare.

export type FlatField = { path: string; label: string; value: string }

export function itemTitle(list: ListDefinition, item: Item, memberNames: Map<string, string>): string {
  const question = list.questions.find((candidate) => candidate.key === list.titleKey)
  const title = question ? displayAnswer(question, item.answers[question.key] ?? null, memberNames) : ''
  return title || `A ${list.itemName}`
}

export function flattenSection(
  section: SectionDefinition,
  content: SectionContent,
  memberNames: Map<string, string> = new Map(),
): FlatField[] {
  const fields: FlatField[] = []
  for (const question of section.questions) {
    fields.push({
      path: `${section.key}.${question.key}`,
      label: question.label,
      value: displayAnswer(question, content.answers[question.key] ?? null, memberNames),
    })
  }
  for (const list of section.lists) {
    for (const item of content.lists[list.key] ?? []) {
      const title = itemTitle(list, item, memberNames)
      for (const question of list.questions) {
        fields.push({
          path: `${section.key}.${list.key}.${item.id}.${question.key}`,
          label: `${list.label}: ${title}${item.shared ? ' (shared by the brothers and sisters)' : ''} – ${question.label}`,
          value: displayAnswer(question, item.answers[question.key] ?? null, memberNames),
        })
      }
    }
  }
  return fields
}

/** What changed from one to the other, field by field; fields absent on one side read as empty. */
export function diffFields(before: FlatField[], after: FlatField[]): FieldChange[] {
  const old = new Map(before.map((field) => [field.path, field]))
  const changes: FieldChange[] = []
  const seen = new Set<string>()
  for (const field of after) {
    seen.add(field.path)
    const previous = old.get(field.path)?.value ?? ''
    if (previous !== field.value)
      changes.push({ path: field.path, label: field.label, before: previous, after: field.value })
  }
  for (const field of before) {
    if (!seen.has(field.path) && field.value !== '') {
      changes.push({ path: field.path, label: field.label, before: field.value, after: '' })
    }
  }
  return changes
}

export type ComparedField = { path: string; label: string; left: string; right: string; changed: boolean }

/** Two versions side by side: every field of either, marked where they differ. */
export function compareFields(left: FlatField[], right: FlatField[]): ComparedField[] {
  const rightByPath = new Map(right.map((field) => [field.path, field]))
  const rows: ComparedField[] = left.map((field) => {
    const other = rightByPath.get(field.path)?.value ?? ''
    return {
      path: field.path,
      label: field.label,
      left: field.value,
      right: other,
      changed: other !== field.value,
    }
  })
  const leftPaths = new Set(left.map((field) => field.path))
  for (const field of right) {
    if (!leftPaths.has(field.path)) {
      rows.push({
        path: field.path,
        label: field.label,
        left: '',
        right: field.value,
        changed: field.value !== '',
      })
    }
  }
  return rows
}

export type Conflict = { path: string; label: string; theirs: string; yours: string; field: string }

/**
 * Three-way merge of one page's answers, saved after others changed the same section. `baseText`
 * holds, for each field the others changed, its text as the page showed it. A field this person
 * left as it was takes the others' answer; a field both changed differently is a conflict. With
 * conflicts, `answers` is what to show again: the merge, with this person's text where both changed
 * (so saving that page keeps what only the others changed).
 */
export function mergeAnswers(input: {
  questions: Question[]
  pathOf: (field: string) => string
  mine: Answers
  theirs: Answers
  baseText: Map<string, string>
  names: Map<string, string>
}): { answers: Answers; conflicts?: undefined } | { answers: Answers; conflicts: Conflict[] } {
  const { questions, pathOf, mine, theirs, baseText, names } = input
  const answers: Answers = {}
  const conflicts: Conflict[] = []
  for (const question of questions) {
    const yours = mine[question.key] ?? null
    const current = theirs[question.key] ?? null
    const base = baseText.get(pathOf(question.key))
    const untouchedByMe = base !== undefined && displayAnswer(question, yours, names) === base
    answers[question.key] = untouchedByMe ? current : yours
    if (yours !== current && base !== undefined && !untouchedByMe) {
      conflicts.push({
        path: pathOf(question.key),
        label: question.label,
        theirs: displayAnswer(question, current, names),
        yours: yours === null ? '' : String(yours),
        field: question.key,
      })
    }
  }
  return conflicts.length > 0 ? { conflicts, answers } : { answers }
}
