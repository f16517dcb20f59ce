import { z } from 'zod'
import { parseDateInput } from '../platform/date-input.ts'
import { isRealDate } from '../platform/dates.ts'
import type { ListDefinition, Question, SectionDefinition } from './definition.ts'

// Answers to the plan's questions: read from a form, checked, shown back, compared. Pure: the
// rules about what a good answer is live here and nowhere else, for pages and API alike.

/** Text, an ISO date, a choice's value, a network entry's id, or pence (money). */
export type Answer = string | number | null
export type Answers = Record<string, Answer>
export type Item = { id: string; shared?: boolean; answers: Answers }
export type SectionContent = { answers: Answers; lists: Record<string, Item[]> }

export const NARRATIVE_MAX = 20_000
const TEXT_MAX = 500

export type ParsedAnswer = { value: Answer } | { error: string; field: string }

const EMAIL = z.email()
const PHONE = /^[0-9+()\-\s]{6,30}$/
const MONEY = /^£?\s*(\d{1,7})(?:\.(\d{2}))?$/

/** One question's answer from form fields; `prefix` separates the fields of an item from the rest. */
export function parseAnswer(question: Question, fields: Record<string, string>): ParsedAnswer {
  const { key, label } = question
  if (question.type === 'date') {
    const parsed = parseDateInput(
      {
        day: (fields[`${key}-day`] ?? '').trim(),
        month: (fields[`${key}-month`] ?? '').trim(),
        year: (fields[`${key}-year`] ?? '').trim(),
      },
      label,
    )
    if ('empty' in parsed) return { value: null }
    if ('error' in parsed) return { error: parsed.error, field: `${key}-${parsed.part}` }
    return { value: parsed.iso }
  }
  const raw = (fields[key] ?? '').trim()
  if (raw === '') return { value: null }
  switch (question.type) {
    case 'narrative':
      return raw.length > NARRATIVE_MAX
        ? {
            error: `${label} must be ${NARRATIVE_MAX.toLocaleString('en-GB')} characters or fewer`,
            field: key,
          }
        : { value: raw }
    case 'text': {
      const max = question.maxLength ?? TEXT_MAX
      return raw.length > max
        ? { error: `${label} must be ${max} characters or fewer`, field: key }
        : { value: raw }
    }
    case 'choice':
      return question.options.some((option) => option.value === raw)
        ? { value: raw }
        : { error: `Select ${lowerFirst(label)}`, field: key }
    case 'email':
      return EMAIL.safeParse(raw).success && raw.length <= 254
        ? { value: raw }
        : { error: 'Enter an email address in the correct format, like name@example.com', field: key }
    case 'phone':
      return PHONE.test(raw)
        ? { value: raw }
        : { error: 'Enter a phone number, like 01632 960 001 or 07700 900 982', field: key }
    case 'money': {
      const match = MONEY.exec(raw.replaceAll(',', ''))
      if (!match) return { error: `${label} must be an amount of money, like 600 or 1250.50`, field: key }
      return { value: Number(match[1]) * 100 + Number(match[2] ?? 0) }
    }
    case 'networkMember':
      return z.uuid().safeParse(raw).success
        ? { value: raw }
        : { error: `Select ${lowerFirst(label)}`, field: key }
  }
}

function lowerFirst(text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1)
}

export type ParsedAnswers = { ok: true; answers: Answers } | { ok: false; errors: Record<string, string> }

export function parseAnswers(questions: Question[], fields: Record<string, string>): ParsedAnswers {
  const answers: Answers = {}
  const errors: Record<string, string> = {}
  for (const question of questions) {
    const parsed = parseAnswer(question, fields)
    if ('error' in parsed) errors[parsed.field] = parsed.error
    else answers[question.key] = parsed.value
  }
  return Object.keys(errors).length > 0 ? { ok: false, errors } : { ok: true, answers }
}

/** An item of a list must have its required answers before it is saved: it is a whole thing. */
export function parseItem(list: ListDefinition, fields: Record<string, string>): ParsedAnswers {
  const parsed = parseAnswers(list.questions, fields)
  const errors: Record<string, string> = parsed.ok ? {} : { ...parsed.errors }
  const answers = parsed.ok ? parsed.answers : {}
  const field = (question: Question) => (question.type === 'date' ? `${question.key}-day` : question.key)
  for (const question of list.questions) {
    const unreadable = Object.keys(errors).some(
      (name) => name === question.key || name.startsWith(`${question.key}-`),
    )
    if (question.required && !unreadable && (answers[question.key] ?? null) === null) {
      errors[field(question)] = missingMessage(question)
    }
  }
  const start = answers.startOn
  const end = answers.endOn
  if (typeof start === 'string' && typeof end === 'string' && end < start) {
    errors['endOn-day'] = 'End date must be the same as or after the start date'
  }
  return Object.keys(errors).length > 0 ? { ok: false, errors } : { ok: true, answers }
}

/** The names of a page's fields in page order, for the error summary (a date is three boxes). */
export function fieldOrder(questions: Question[]): string[] {
  return questions.flatMap((question) =>
    question.type === 'date'
      ? [`${question.key}-day`, `${question.key}-month`, `${question.key}-year`]
      : [question.key],
  )
}

export function missingMessage(question: Question): string {
  if (question.type === 'choice' || question.type === 'networkMember')
    return `Select ${lowerFirst(question.label)}`
  return `Enter ${lowerFirst(question.label)}`
}

/** The fields a form shows for an answer: what was saved, as the person would type it. */
export function formFieldsOf(questions: Question[], answers: Answers): Record<string, string> {
  const fields: Record<string, string> = {}
  for (const question of questions) {
    const value = answers[question.key] ?? null
    if (question.type === 'date') {
      const [year = '', month = '', day = ''] = typeof value === 'string' ? value.split('-') : []
      fields[`${question.key}-day`] = day ? String(Number(day)) : ''
      fields[`${question.key}-month`] = month ? String(Number(month)) : ''
      fields[`${question.key}-year`] = year
    } else if (question.type === 'money') {
      fields[question.key] = typeof value === 'number' ? penceToPounds(value) : ''
    } else {
      fields[question.key] = value === null ? '' : String(value)
    }
  }
  return fields
}

export function penceToPounds(pence: number): string {
  return pence % 100 === 0 ? String(pence / 100) : (pence / 100).toFixed(2)
}

const LONG_DATE = new Intl.DateTimeFormat('en-GB', {
  day: 'numeric',
  month: 'long',
  year: 'numeric',
  timeZone: 'UTC',
})

/** An answer in words, as check-your-answers, history and comparisons show it. */
export function displayAnswer(
  question: Question,
  value: Answer,
  memberNames: Map<string, string> = new Map(),
): string {
  if (value === null || value === '') return ''
  switch (question.type) {
    case 'date':
      return LONG_DATE.format(new Date(`${value}T00:00:00Z`))
    case 'money':
      return `£${formatPounds(Number(value))}`
    case 'choice':
      return question.options.find((option) => option.value === value)?.text ?? String(value)
    case 'networkMember':
      return memberNames.get(String(value)) ?? 'A person no longer in the network'
    default:
      return String(value)
  }
}

// Made once: building a number format costs more than using it.
const WHOLE_POUNDS = new Intl.NumberFormat('en-GB', { maximumFractionDigits: 0 })
const POUNDS_AND_PENCE = new Intl.NumberFormat('en-GB', {
  minimumFractionDigits: 2,
  maximumFractionDigits: 2,
})

function formatPounds(pence: number): string {
  return (pence % 100 === 0 ? WHOLE_POUNDS : POUNDS_AND_PENCE).format(pence / 100)
}

export type SectionStatus = 'not-started' | 'in-progress' | 'completed' | 'cannot-start'

/** What a section's status depends on: its answers and how many items each list has. */
export type SectionShape = { answers: Answers; listSizes: Record<string, number> }

export const shapeOf = (content: SectionContent): SectionShape => ({
  answers: content.answers,
  listSizes: Object.fromEntries(Object.entries(content.lists).map(([key, items]) => [key, items.length])),
})

export function hasAnyContent(content: SectionContent | SectionShape): boolean {
  const shape = 'lists' in content ? shapeOf(content) : content
  return (
    Object.values(shape.answers).some((value) => value !== null && value !== '') ||
    Object.values(shape.listSizes).some((size) => size > 0)
  )
}

/** What is missing before the section can be called complete, as messages for the person. */
export function missingForCompletion(
  section: SectionDefinition,
  content: SectionContent | SectionShape,
): string[] {
  const shape = 'lists' in content ? shapeOf(content) : content
  const missing: string[] = []
  for (const question of section.questions) {
    if (question.required && (shape.answers[question.key] ?? null) === null)
      missing.push(missingMessage(question))
  }
  for (const list of section.lists) {
    if (list.required && (shape.listSizes[list.key] ?? 0) === 0)
      missing.push(`Add at least one ${list.itemName}`)
  }
  return missing
}

/**
 * The task list's status: derived from the content (or only its shape: the front page reads no
 * more) and the answer to "Have you completed this section?".
 */
export function sectionStatus(
  section: SectionDefinition,
  content: SectionContent | SectionShape,
  markedComplete: boolean,
): SectionStatus {
  if (section.filledElsewhere) return 'cannot-start'
  if (markedComplete && missingForCompletion(section, content).length === 0) return 'completed'
  return hasAnyContent(content) || markedComplete ? 'in-progress' : 'not-started'
}

export const STATUS_TEXT: Record<SectionStatus, string> = {
  'not-started': 'Not yet started',
  'in-progress': 'In progress',
  completed: 'Completed',
  'cannot-start': 'Cannot start yet',
}

/** An empty section: every question unanswered, every list empty. */
export function emptyContent(section: SectionDefinition): SectionContent {
  return {
    answers: Object.fromEntries(section.questions.map((question) => [question.key, null])),
    lists: Object.fromEntries(section.lists.map((list) => [list.key, []])),
  }
}

/** The checks of the API, from the same questions: what a PUT's `content` may hold. */
export function answerSchema(question: Question): z.ZodType<Answer> {
  switch (question.type) {
    case 'date':
      return z.string().refine(isRealDate, 'must be a real date, YYYY-MM-DD').nullable()
    case 'money':
      return z.number().int().min(0).max(1_000_000_000).nullable()
    case 'choice':
      return z.enum(question.options.map((option) => option.value) as [string, ...string[]]).nullable()
    case 'email':
      return z.email().max(254).nullable()
    case 'phone':
      return z.string().regex(PHONE).nullable()
    case 'networkMember':
      return z.uuid().nullable()
    case 'narrative':
      return z.string().max(NARRATIVE_MAX).nullable()
    case 'text':
      return z
        .string()
        .max(question.maxLength ?? TEXT_MAX)
        .nullable()
  }
}
