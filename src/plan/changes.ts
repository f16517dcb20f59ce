import type { FieldChange } from '../db/schema.ts'
import { displayAnswer, type Item, type SectionContent } from './answers.ts'
import type { ListDefinition, SectionDefinition } from './definition.ts'

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
