import { type ListDefinition, PLAN, type SectionDefinition } from './definition.ts'

// The places in the plan where a hint is shown, each named by a path drawn from the definition:
// `child.whoTheyAre` (a question of a section), `child.needs` (the hint under a list's heading) and
// `child.needs.description` (a question of a list's items). Keys are unique within a section, so a
// path names one place; the same list in two sections (needs) has a path in each. An agency's own
// wording is kept against the path (ADR 0010).

export type HintPlace = {
  path: string
  /** What the hint is beside, as the guidance pages name it. */
  label: string
  section: SectionDefinition
  list: ListDefinition | null
  defaultHint: string | null
}

/** Path → text: the hints one page shows, every place with a hint, the agency's wording or the default. */
export type Hints = Record<string, string>

export const HINT_PLACES: HintPlace[] = PLAN.flatMap((section) => [
  ...section.questions.map((question) => ({
    path: `${section.key}.${question.key}`,
    label: question.label,
    section,
    list: null,
    defaultHint: question.hint ?? null,
  })),
  ...section.lists.flatMap((list) => [
    {
      path: `${section.key}.${list.key}`,
      label: `Under the heading “${list.label}”`,
      section,
      list,
      defaultHint: list.hint ?? null,
    },
    ...list.questions.map((question) => ({
      path: `${section.key}.${list.key}.${question.key}`,
      label: question.label,
      section,
      list,
      defaultHint: question.hint ?? null,
    })),
  ]),
])

const byPath = new Map(HINT_PLACES.map((place) => [place.path, place]))

export function hintPlace(path: string): HintPlace | undefined {
  return byPath.get(path)
}

/**
 * The hints of one page, by the key of each question or list on it: `under` is the section's key
 * for a section page, `section.list` for an item's page.
 */
export function hintsUnder(hints: Hints, under: string): Record<string, string> {
  const prefix = `${under}.`
  return Object.fromEntries(
    Object.entries(hints)
      .filter(([path]) => path.startsWith(prefix) && !path.slice(prefix.length).includes('.'))
      .map(([path, text]) => [path.slice(prefix.length), text]),
  )
}
