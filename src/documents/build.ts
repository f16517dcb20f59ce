import { displayAnswer, type Item } from '../plan/answers.ts'
import { itemTitle } from '../plan/changes.ts'
import { type ListDefinition, PLAN, type Question, type SectionDefinition } from '../plan/definition.ts'
import { type PlanStatus, STATUS_NAMES } from '../plan/lifecycle.ts'
import {
  REVIEW_KIND_NAMES,
  REVIEW_STATUS_NAMES,
  type ReviewRecordKind,
  type ReviewRecordStatus,
} from '../plan/review-records.ts'
import {
  memberNamesOf,
  type PlanSnapshot,
  REVIEW_PART_LABELS,
  type SnapshotReview,
  writtenBy,
} from '../plan/versions.ts'
import { formatDate, todayInEngland } from '../platform/dates.ts'
import type { Block, DocumentModel, DocumentVariant } from './model.ts'

// A plan version as a document (issue 6, ADR 0019). Pure: the version's content, its header and the
// photos shown when it was taken go in; the same inputs give the same model, so the same version
// gives the same document every time. What each variant leaves out is decided here and only here.

export const NOT_PROVIDED = 'Not provided'

export type VersionFacts = { number: number; hash: string; takenAt: Date }

/** A photo as it stood when the version was taken. */
export type DocumentPhoto = {
  subject: 'child' | 'adopter'
  name: string
  description: string
  mediaType: 'image/jpeg' | 'image/png'
  bytes: Uint8Array
  width: number
  height: number
}

export type BuildInput = {
  variant: DocumentVariant
  version: VersionFacts
  snapshot: PlanSnapshot
  /** The full variant's photos (the child's, then each adopter's); other variants show none. */
  photos?: DocumentPhoto[]
  /** The review variant's review: its place (1, 2, …) among the version's reviews. */
  review?: number
}

export type BuildOutcome = { ok: true; model: DocumentModel } | { ok: false; reason: 'no-review' }

const or = (value: string) => (value.trim() === '' ? NOT_PROVIDED : value)
const dateOf = (iso: string | null) => (iso ? formatDate(iso) : NOT_PROVIDED)
const statusName = (status: string) => STATUS_NAMES[status as PlanStatus] ?? status

function furnitureOf(version: VersionFacts, snapshot: PlanSnapshot): string {
  const taken = formatDate(todayInEngland(version.takenAt))
  const agreed = snapshot.dateAgreed ? ` · agreed ${formatDate(snapshot.dateAgreed)}` : ''
  return `Version ${version.number} · ${statusName(snapshot.status)} · taken ${taken}${agreed}`
}

function answerRows(questions: Question[], answers: Item['answers'], names: Map<string, string>) {
  return questions.map((question) => ({
    label: question.label,
    value: or(displayAnswer(question, answers[question.key] ?? null, names)),
  }))
}

const capitalised = (text: string) => text.charAt(0).toUpperCase() + text.slice(1)

/** Each item of a list as a readable block: a heading naming it, then every question and answer. */
function listBlocks(list: ListDefinition, items: Item[], names: Map<string, string>): Block[] {
  const blocks: Block[] = [{ kind: 'heading', level: 3, text: list.label }]
  if (items.length === 0) return [...blocks, { kind: 'paragraph', text: `No ${list.itemName}s.` }]
  items.forEach((item, index) => {
    const shared = item.shared ? ' (shared by the brothers and sisters)' : ''
    blocks.push(
      {
        kind: 'heading',
        level: 3,
        text: `${capitalised(list.itemName)} ${index + 1}: ${itemTitle(list, item, names)}${shared}`,
      },
      { kind: 'fields', rows: answerRows(list.questions, item.answers, names) },
    )
  })
  return blocks
}

function sectionBlocks(
  section: SectionDefinition,
  snapshot: PlanSnapshot,
  names: Map<string, string>,
): Block[] {
  const stored = snapshot.sections[section.key]
  const blocks: Block[] = [
    { kind: 'heading', level: 2, text: `${section.number}. ${section.title}` },
    { kind: 'paragraph', text: section.purpose, tone: 'hint' },
  ]
  if (!stored) return [...blocks, { kind: 'paragraph', text: NOT_PROVIDED }]
  if (section.questions.length > 0)
    blocks.push({ kind: 'fields', rows: answerRows(section.questions, stored.content.answers, names) })
  for (const list of section.lists)
    blocks.push(...listBlocks(list, stored.content.lists[list.key] ?? [], names))
  return blocks
}

function reviewName(review: SnapshotReview): string {
  return review.heldOn ? `Review held on ${formatDate(review.heldOn)}` : 'Review being prepared'
}

/** One review's record: when and what kind, then the worker's part before it and the IRO's after. */
function reviewBlocks(review: SnapshotReview, level: 2 | 3): Block[] {
  return [
    { kind: 'heading', level, text: reviewName(review) },
    {
      kind: 'fields',
      rows: [
        { label: 'Kind of review', value: REVIEW_KIND_NAMES[review.kind as ReviewRecordKind] ?? review.kind },
        { label: 'Status', value: REVIEW_STATUS_NAMES[review.status as ReviewRecordStatus] ?? review.status },
        { label: 'Held on', value: dateOf(review.heldOn) },
      ],
    },
    { kind: 'heading', level: 3, text: 'Before the review' },
    {
      kind: 'fields',
      rows: [
        { label: REVIEW_PART_LABELS.needsChanged, value: or(review.before?.needsChanged ?? '') },
        { label: REVIEW_PART_LABELS.childViews, value: or(review.before?.childViews ?? '') },
        { label: REVIEW_PART_LABELS.adoptersViews, value: or(review.before?.adoptersViews ?? '') },
        { label: REVIEW_PART_LABELS.beforeBy, value: writtenBy(review.before) ?? NOT_PROVIDED },
      ],
    },
    { kind: 'heading', level: 3, text: 'After the review' },
    {
      kind: 'fields',
      rows: [
        { label: REVIEW_PART_LABELS.recommendations, value: or(review.after?.recommendations ?? '') },
        { label: REVIEW_PART_LABELS.visitFrequency, value: or(review.after?.visitFrequency ?? '') },
        { label: REVIEW_PART_LABELS.afterBy, value: writtenBy(review.after) ?? NOT_PROVIDED },
      ],
    },
  ]
}

const childName = (snapshot: PlanSnapshot) => `${snapshot.child.firstName} ${snapshot.child.lastName}`

function versionLine(version: VersionFacts, snapshot: PlanSnapshot): Block {
  return {
    kind: 'paragraph',
    text: `${furnitureOf(version, snapshot)}. Content hash (SHA-256): ${version.hash}`,
    tone: 'hint',
  }
}

/** The panel's and the adopters' copy: every question and answer of every section, and the photos. */
function fullBlocks(input: BuildInput): Block[] {
  const { snapshot, version } = input
  const names = memberNamesOf(snapshot.sections)
  const blocks: Block[] = [
    { kind: 'heading', level: 1, text: `Adoption support plan for ${childName(snapshot)}` },
    versionLine(version, snapshot),
    {
      kind: 'fields',
      rows: [
        { label: 'Child', value: `${childName(snapshot)}, born ${dateOf(snapshot.child.dateOfBirth)}` },
        ...snapshot.adopters.map((adopter, index) => ({
          label: `Adopter ${index + 1}`,
          value: `${adopter.firstName} ${adopter.lastName}, born ${dateOf(adopter.dateOfBirth)}`,
        })),
        { label: 'Status', value: statusName(snapshot.status) },
        { label: 'Date agreed', value: dateOf(snapshot.dateAgreed) },
      ],
    },
  ]
  for (const photo of input.photos ?? []) {
    blocks.push({
      kind: 'image',
      alt: photo.description.trim() || `Photo of ${photo.name}`,
      caption: `${photo.name}${photo.description.trim() ? `: ${photo.description.trim()}` : ''}`,
      mediaType: photo.mediaType,
      bytes: photo.bytes,
      width: photo.width,
      height: photo.height,
    })
  }
  blocks.push({
    kind: 'table',
    caption: 'Sections of the plan',
    header: ['Section', 'Completed'],
    rows: PLAN.map((section) => [
      `${section.number}. ${section.title}`,
      snapshot.sections[section.key]?.completed ? 'Yes' : 'No',
    ]),
  })
  for (const section of PLAN) {
    if (section.key === 'review') continue
    blocks.push(...sectionBlocks(section, snapshot, names))
  }
  const review = PLAN.find((section) => section.key === 'review')
  if (review) {
    blocks.push(
      { kind: 'heading', level: 2, text: `${review.number}. ${review.title}` },
      { kind: 'paragraph', text: review.purpose, tone: 'hint' },
    )
    const reviews = snapshot.reviews ?? []
    if (reviews.length === 0) blocks.push({ kind: 'paragraph', text: 'No reviews yet.' })
    for (const held of reviews) blocks.push(...reviewBlocks(held, 3))
  }
  return blocks
}

/**
 * For the birth family: section 4 and a page for each relative to sign, and nothing else. No name or
 * date of birth of the child or the adopters, no other section, no photo (ADR 0014's rule for the
 * relative's page holds for the paper copy too): section 4 is written to be shared on its own.
 */
function birthFamilyBlocks(input: BuildInput): Block[] {
  const { snapshot, version } = input
  const section = PLAN.find((candidate) => candidate.key === 'birth-family')
  if (!section) return []
  const relatives = snapshot.sections[section.key]?.content.lists.relatives ?? []
  const list = section.lists[0]
  const blocks: Block[] = [
    { kind: 'heading', level: 1, text: 'Adoption support offered to the birth family' },
    {
      kind: 'paragraph',
      text: `Section ${section.number} of an adoption support plan: ${furnitureOf(version, snapshot)}. Content hash (SHA-256): ${version.hash}`,
      tone: 'hint',
    },
    { kind: 'heading', level: 2, text: `${section.number}. ${section.title}` },
  ]
  if (!list || relatives.length === 0) {
    blocks.push({ kind: 'paragraph', text: 'No support to the birth family is written in this version.' })
  } else {
    relatives.forEach((relative, index) => {
      blocks.push(
        {
          kind: 'heading',
          level: 3,
          text: `Birth relative ${index + 1}: ${itemTitle(list, relative, new Map())}`,
        },
        { kind: 'fields', rows: answerRows(list.questions, relative.answers, new Map()) },
      )
    })
  }
  const signers =
    relatives.length > 0 ? relatives.map((relative) => String(relative.answers.relative ?? '')) : ['']
  for (const signer of signers) {
    blocks.push(
      { kind: 'pageBreak' },
      { kind: 'heading', level: 2, text: signer ? `Signature: ${signer}` : 'Signature' },
      {
        kind: 'signature',
        intro: `I have read the support offered to me in section ${section.number} of this plan (version ${version.number}).`,
        lines: ['Signed', 'Name', 'Date', 'I agree with the support offered (yes or no)'],
      },
    )
  }
  return blocks
}

/** One review's record, before and after, with the plan it belongs to. */
function reviewDocumentBlocks(input: BuildInput, review: SnapshotReview, place: number): Block[] {
  const { snapshot, version } = input
  return [
    {
      kind: 'heading',
      level: 1,
      text: `Review ${place} of the adoption support plan for ${childName(snapshot)}`,
    },
    versionLine(version, snapshot),
    ...reviewBlocks(review, 2),
  ]
}

export function buildDocument(input: BuildInput): BuildOutcome {
  const { variant, version, snapshot } = input
  const common = {
    language: 'en-GB' as const,
    marking: 'OFFICIAL-SENSITIVE' as const,
    furniture: furnitureOf(version, snapshot),
    contentHash: version.hash,
    createdAt: version.takenAt,
    variant,
  }
  switch (variant) {
    case 'full':
      return {
        ok: true,
        model: {
          ...common,
          title: `Adoption support plan for ${childName(snapshot)}, version ${version.number}`,
          blocks: fullBlocks(input),
        },
      }
    case 'birth-family':
      return {
        ok: true,
        model: {
          ...common,
          title: `Adoption support offered to the birth family, version ${version.number}`,
          blocks: birthFamilyBlocks(input),
        },
      }
    case 'review': {
      const reviews = snapshot.reviews ?? []
      const place = input.review ?? reviews.length
      const review = reviews[place - 1]
      if (!review) return { ok: false, reason: 'no-review' }
      return {
        ok: true,
        model: {
          ...common,
          title: `Review ${place} of the adoption support plan for ${childName(snapshot)}, version ${version.number}`,
          blocks: reviewDocumentBlocks(input, review, place),
        },
      }
    }
  }
}
