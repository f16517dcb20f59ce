import { createHash } from 'node:crypto'
import { formatDate, todayInEngland } from '../platform/dates.ts'
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
  /** Section 5's reviews, in the order they were started; left out while there are none. */
  reviews?: SnapshotReview[]
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

/** One review as a version keeps it: each part's text, who wrote it and when (ISO time). */
export type SnapshotReview = {
  kind: string
  status: string
  heldOn: string | null
  before: {
    needsChanged: string
    childViews: string
    adoptersViews: string
    by: string | null
    at: string
  } | null
  after: { recommendations: string; visitFrequency: string; by: string | null; at: string } | null
}

export const REVIEW_PART_LABELS = {
  needsChanged: 'How the child’s and the family’s needs have changed',
  childViews: 'The child’s views',
  adoptersViews: 'The adopters’ views',
  beforeBy: 'Before-review part written by',
  recommendations: 'Recommendations that add to or change the support',
  visitFrequency: 'Visits until the next review',
  afterBy: 'After-review part written by',
} as const

export const writtenBy = (part: { by: string | null; at: string } | null) =>
  part
    ? `${part.by ?? 'Someone no longer here'}, ${formatDate(todayInEngland(new Date(part.at)))}`
    : undefined

/** Section 5 in a version: each review's parts, labelled by the date it was held. */
function flattenReviews(reviews: SnapshotReview[]): FlatField[] {
  return reviews.flatMap((review, index) => {
    const name = review.heldOn ? `Review held on ${formatDate(review.heldOn)}` : 'Review being prepared'
    const field = (key: keyof typeof REVIEW_PART_LABELS, value: string | undefined) => ({
      path: `review.${index + 1}.${key}`,
      label: `5. ${name}: ${REVIEW_PART_LABELS[key]}`,
      value: value ?? '',
    })
    return [
      field('needsChanged', review.before?.needsChanged),
      field('childViews', review.before?.childViews),
      field('adoptersViews', review.before?.adoptersViews),
      field('beforeBy', writtenBy(review.before)),
      field('recommendations', review.after?.recommendations),
      field('visitFrequency', review.after?.visitFrequency),
      field('afterBy', writtenBy(review.after)),
    ]
  })
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
  return [...front, ...sections, ...flattenReviews(snapshot.reviews ?? [])]
}
