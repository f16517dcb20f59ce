import { faker } from '@faker-js/faker/locale/en_GB'
import type { Answers } from '../../src/plan/answers.ts'
import type { ListDefinition, SectionDefinition } from '../../src/plan/definition.ts'

// Answers to the plan's questions as a social worker writes them, for the benchmarks' plans: the
// large plan (bench/plan-page.ts) and the synthetic agencies (bench/data/generate.ts). Every list
// item answers exactly the questions the plan's definition asks, and choices come from it.

/** Text of about this many words, in sentences and paragraphs. */
export type Prose = (words: { min: number; max: number }) => string

export const NETWORK_ROLES = [
  'Child’s social worker',
  'Adoption social worker',
  'Health visitor',
  'Virtual school head',
  'Community paediatrician',
  'Speech and language therapist',
  'Designated teacher',
  'CAMHS clinician',
  'Independent reviewing officer',
  'Family support worker',
  'Educational psychologist',
  'GP',
  'Occupational therapist',
  'Play therapist',
  'Former foster carer',
  'Team manager',
  'Adoption support team lead',
  'School nurse',
  'Contact supervisor',
  'Life story worker',
]

function paragraphsOf(wanted: number, sentence: (words: number) => string): string {
  const paragraphs: string[] = []
  let sentences: string[] = []
  for (let written = 0; written < wanted; ) {
    const length = Math.min(wanted - written, faker.number.int({ min: 6, max: 22 }))
    sentences.push(sentence(length))
    written += length
    if (sentences.length === 5) {
      paragraphs.push(sentences.join(' '))
      sentences = []
    }
  }
  if (sentences.length > 0) paragraphs.push(sentences.join(' '))
  return paragraphs.join('\n\n')
}

function sentenceOf(text: string): string {
  return `${text.charAt(0).toUpperCase()}${text.slice(1)}.`
}

/** Sentences of English words, each made afresh: every text different (the large plan). */
export const fakerProse: Prose = (words) =>
  paragraphsOf(faker.number.int(words), (length) => sentenceOf(faker.word.words(length)))

/**
 * Sentences drawn from a pool made once: tens of thousands of plans' texts in seconds, and as
 * compressible as real writing, which repeats itself far more than random words do.
 */
export function pooledProse(poolSize: number): Prose {
  const pool = Array.from({ length: poolSize }, () =>
    sentenceOf(faker.word.words(faker.number.int({ min: 6, max: 22 }))),
  )
  return (words) => {
    const wanted = faker.number.int(words)
    return paragraphsOf(wanted, () => faker.helpers.arrayElement(pool))
  }
}

export const isoDate = (from: string, to: string) =>
  faker.date.between({ from, to }).toISOString().slice(0, 10)
export const pounds = (min: number, max: number) => faker.number.int({ min, max }) * 100

/** One of the options the plan's definition gives a choice question. */
export function choose(
  questions: { key: string; type: string; options?: { value: string }[] }[],
  key: string,
): string {
  const question = questions.find((candidate) => candidate.key === key)
  if (!question?.options) throw new Error(`${key} is not a choice in the plan's definition`)
  return faker.helpers.arrayElement(question.options).value
}

/** The answers, checked against the definition: every question of the list, and nothing else. */
function complete(list: ListDefinition, answers: Answers): Answers {
  const keys = list.questions.map((question) => question.key).sort()
  if (JSON.stringify(Object.keys(answers).sort()) !== JSON.stringify(keys)) {
    throw new Error(
      `The benchmark's ${list.key} do not answer the definition's questions: ${keys.join(', ')}`,
    )
  }
  return answers
}

/** Answers for each kind of list item and for a section's questions, written with `prose`. */
export function answerMaker(prose: Prose) {
  return {
    networkMember(list: ListDefinition, index: number): Answers {
      return complete(list, {
        name: faker.person.fullName(),
        role: NETWORK_ROLES[index % NETWORK_ROLES.length] as string,
        organisation: `${faker.location.county()} ${faker.helpers.arrayElement(['County Council', 'NHS Trust', 'Primary School', 'Adoption Agency'])}`,
        phone: `01632 960 ${faker.string.numeric(3)}`,
        email: faker.internet.email({ provider: 'example.org' }).toLowerCase(),
        responsibility: prose({ min: 15, max: 45 }),
        confirmedOn: isoDate('2026-01-01', '2026-10-31'),
      })
    },

    need(list: ListDefinition, memberIds: string[], words = { min: 30, max: 120 }): Answers {
      const provider = faker.datatype.boolean(0.6) ? faker.helpers.arrayElement(memberIds) : null
      const startOn = isoDate('2026-06-01', '2027-06-01')
      const funding = choose(list.questions, 'funding')
      return complete(list, {
        area: choose(list.questions, 'area'),
        description: prose({ min: words.min + 10, max: words.max }),
        expected: choose(list.questions, 'expected'),
        support: prose({ min: words.min, max: Math.max(words.min, words.max - 20) }),
        providerMemberId: provider,
        providerOrganisation: provider ? null : `${faker.location.county()} adoption support team`,
        startOn,
        endOn: faker.datatype.boolean(0.5) ? isoDate(startOn, '2028-12-31') : null,
        frequency: faker.helpers.arrayElement([
          'Weekly for 12 weeks',
          'Every month',
          'Each school term',
          'Once',
        ]),
        review: faker.helpers.arrayElement([
          'At each child care review',
          'By the adoption support team every year',
          'When the child starts secondary school',
        ]),
        funding,
        fundAmount: funding === 'asgsf' ? pounds(500, 5_000) : null,
        status: choose(list.questions, 'status'),
      })
    },

    stayingInTouch(list: ListDefinition): Answers {
      return complete(list, {
        person: faker.helpers.arrayElement(['Birth mother', 'Birth father', 'Grandmother', 'Older brother']),
        relationship: faker.helpers.arrayElement([
          'Mother',
          'Father',
          'Maternal grandmother',
          'Half-brother',
        ]),
        kind: choose(list.questions, 'kind'),
        frequency: faker.helpers.arrayElement(['Twice a year', 'Once a year', 'Every three months']),
        supportedBy: 'Letterbox coordinator',
        reviewOn: isoDate('2027-01-01', '2027-12-31'),
      })
    },

    payment(list: ListDefinition): Answers {
      const startOn = isoDate('2026-06-01', '2027-01-01')
      return complete(list, {
        kind: choose(list.questions, 'kind'),
        amount: pounds(100, 3_000),
        frequency: choose(list.questions, 'frequency'),
        startOn,
        endOn: isoDate(startOn, '2029-01-01'),
        paidBy: 'The agency',
        reviewOn: isoDate('2027-01-01', '2027-12-31'),
      })
    },

    birthRelative(list: ListDefinition): Answers {
      return complete(list, {
        relative: faker.helpers.arrayElement(['Birth mother', 'Birth father', 'Maternal grandmother']),
        relationship: faker.helpers.arrayElement(['Mother', 'Father', 'Grandmother']),
        support: prose({ min: 30, max: 80 }),
        providedBy: `${faker.location.county()} birth family support service`,
      })
    },

    /** Every question of a section answered: narratives of about `words` words, choices from the definition. */
    sectionAnswers(section: SectionDefinition, words = { min: 120, max: 350 }): Answers {
      return Object.fromEntries(
        section.questions.map((question) => {
          if (question.type === 'narrative') return [question.key, prose(words)]
          if (question.type === 'choice') return [question.key, choose(section.questions, question.key)]
          throw new Error(`The benchmark has no answer to a ${question.type} question (${question.key})`)
        }),
      )
    },
  }
}
