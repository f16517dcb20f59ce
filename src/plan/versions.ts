import { createHash } from 'node:crypto'
import type { SectionContent } from './answers.ts'
import { type FlatField, flattenSection } from './changes.ts'
import { PLAN } from './definition.ts'

// A version of a plan is the whole plan as it stood, frozen: numbered, with the SHA-256 of its
// canonical JSON, so that anyone can check later that it has not changed.

export type PlanSnapshot = {
  status: string
  dateAgreed: string | null
  child: { firstName: string; lastName: string; dateOfBirth: string }
  adopters: { firstName: string; lastName: string; dateOfBirth: string }[]
  sections: Record<string, { completed: boolean; content: SectionContent }>
}

/** JSON with every object's keys in order: the same plan always gives the same text. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, field]) => field !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    return `{${entries.map(([key, field]) => `${JSON.stringify(key)}:${canonicalJson(field)}`).join(',')}}`
  }
  return JSON.stringify(value ?? null)
}

export function snapshotHash(snapshot: PlanSnapshot): string {
  return createHash('sha256').update(canonicalJson(snapshot)).digest('hex')
}

/** The network's people by id, so that "who provides it" reads as a name. */
export function memberNamesOf(sections: Record<string, { content: SectionContent }>): Map<string, string> {
  const members = sections.network?.content.lists.members ?? []
  return new Map(members.map((member) => [member.id, String(member.answers.name ?? '')]))
}

/** Every field of a snapshot, front page first, labelled as the plan shows them. */
export function flattenSnapshot(snapshot: PlanSnapshot): FlatField[] {
  const names = memberNamesOf(snapshot.sections)
  const front: FlatField[] = [
    { path: 'front.status', label: 'Status', value: snapshot.status },
    { path: 'front.dateAgreed', label: 'Date agreed', value: snapshot.dateAgreed ?? '' },
    {
      path: 'front.child',
      label: 'Child',
      value: `${snapshot.child.firstName} ${snapshot.child.lastName}, born ${snapshot.child.dateOfBirth}`,
    },
    ...snapshot.adopters.map((adopter, index) => ({
      path: `front.adopter${index + 1}`,
      label: `Adopter ${index + 1}`,
      value: `${adopter.firstName} ${adopter.lastName}, born ${adopter.dateOfBirth}`,
    })),
  ]
  const sections = PLAN.flatMap((section) => {
    const stored = snapshot.sections[section.key]
    if (!stored) return []
    return [
      ...flattenSection(section, stored.content, names).map((field) => ({
        ...field,
        label: `${section.number}. ${field.label}`,
      })),
      {
        path: `${section.key}.completed`,
        label: `${section.number}. Section completed`,
        value: stored.completed ? 'Yes' : 'No',
      },
    ]
  })
  return [...front, ...sections]
}
