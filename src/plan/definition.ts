// The Adoption Support Plan (CoramBAAF ASP 2025, England) as data: five sections, each made of
// questions and lists of items. This one definition drives the task list, the question pages,
// validation, check-your-answers, the API schema, the history and the comparison of versions.
// Adding a question is one edit here (a list's question also needs its column: see
// src/db/migrations/0008-plans.ts, and the test that keeps the two equal).
//
// The wording of questions and hints is ours, written for this service: CoramBAAF's own prompts
// are licensed. Hints are defaults; agencies' editors may change them (reference data, `guidance`).

export type Option = { value: string; text: string }

type Common = {
  key: string
  label: string
  hint?: string
  /** Needed before the section can be marked complete (lists: at least one item). */
  required?: boolean
}

export type Question =
  | (Common & { type: 'text'; maxLength?: number; inputWidth?: 10 | 20 | 30 })
  | (Common & { type: 'narrative' })
  | (Common & { type: 'date' })
  | (Common & { type: 'choice'; options: Option[] })
  | (Common & { type: 'money' })
  | (Common & { type: 'email' })
  | (Common & { type: 'phone'; inputWidth?: 10 | 20 | 30 })
  /** One of the plan's professional network, or nobody: stored as the network entry's id. */
  | (Common & { type: 'networkMember' })

export type QuestionType = Question['type']

export type ListDefinition = {
  kind: 'list'
  key: string
  label: string
  hint?: string
  /** How one item is called on buttons and headings: "Add a need", "Remove this need". */
  itemName: string
  /** The table that keeps the items, one column per question (snake_case of its key). */
  table: ListTable
  questions: Question[]
  /** The question whose answer names the item in summaries. */
  titleKey: string
  required?: boolean
  /** Items may be shared by a sibling group: written once, shown in each sibling's plan. */
  sharedBySiblings?: boolean
}

export type ListTable =
  | 'plan_network_members'
  | 'plan_need_items'
  | 'plan_contact_arrangements'
  | 'plan_financial_support'
  | 'plan_birth_family_support'

export type SectionKey = 'network' | 'child' | 'adopters' | 'birth-family' | 'review'

export type SectionDefinition = {
  key: SectionKey
  number: number
  title: string
  /** A sentence under the heading: what the section is for. */
  purpose: string
  questions: Question[]
  lists: ListDefinition[]
  /** Filled by another part of the service (reviews); shown, not edited, here. */
  filledElsewhere?: string
}

const narrative = (key: string, label: string, hint: string, required = false): Question => ({
  key,
  label,
  hint,
  type: 'narrative',
  required,
})

export const NEED_AREAS: Option[] = [
  { value: 'health', text: 'Physical health' },
  { value: 'development', text: 'Development' },
  { value: 'education', text: 'Education and learning' },
  { value: 'emotional-behavioural', text: 'Emotional and behavioural' },
  { value: 'identity', text: 'Identity, culture and belonging' },
  { value: 'life-story', text: 'Life story and understanding of adoption' },
  { value: 'relationships', text: 'Relationships and staying in touch' },
  { value: 'parenting', text: 'Parenting and the family’s wellbeing' },
  { value: 'transitions', text: 'Transitions (starting school, adolescence, moving area)' },
  { value: 'financial', text: 'Financial' },
  { value: 'other', text: 'Other' },
]

export const FUNDING: Option[] = [
  { value: 'agency', text: 'The agency' },
  { value: 'asgsf', text: 'Adoption and Special Guardianship Support Fund' },
  { value: 'health', text: 'Health services' },
  { value: 'education', text: 'Education services' },
  { value: 'other', text: 'Other' },
  { value: 'none', text: 'No cost' },
]

export const NEED_STATUSES: Option[] = [
  { value: 'planned', text: 'Planned' },
  { value: 'in-place', text: 'In place' },
  { value: 'ended', text: 'Ended' },
  { value: 'no-longer-needed', text: 'No longer needed' },
]

const needItems = (sharedBySiblings: boolean): ListDefinition => ({
  kind: 'list',
  key: 'needs',
  label: 'Needs and the support for them',
  hint: 'Describe each need in words, now and later: what is needed, who gives it, when, and how it is reviewed.',
  itemName: 'need',
  table: 'plan_need_items',
  titleKey: 'area',
  sharedBySiblings,
  questions: [
    { key: 'area', label: 'Area of need', type: 'choice', options: NEED_AREAS, required: true },
    {
      key: 'description',
      label: 'Describe the need',
      hint: 'In everyday words: what it looks like for this child or family, and what is known of its cause.',
      type: 'narrative',
      required: true,
    },
    {
      key: 'expected',
      label: 'When is it expected?',
      type: 'choice',
      options: [
        { value: 'now', text: 'Now' },
        { value: 'later', text: 'Later, at a transition or as the child grows' },
      ],
      required: true,
    },
    {
      key: 'support',
      label: 'Support to be provided',
      hint: 'What will be done, how often and by whom: a service, training, a group, advice.',
      type: 'narrative',
      required: true,
    },
    {
      key: 'providerMemberId',
      label: 'Who provides it, from the professional network',
      hint: 'Choose a person from section 1, or leave it and name an organisation below.',
      type: 'networkMember',
    },
    {
      key: 'providerOrganisation',
      label: 'Or the organisation that provides it',
      type: 'text',
      maxLength: 200,
    },
    { key: 'startOn', label: 'Start date', type: 'date' },
    { key: 'endOn', label: 'End date', type: 'date' },
    {
      key: 'frequency',
      label: 'How often',
      hint: 'For example, weekly for 12 weeks, or when the child starts school.',
      type: 'text',
      maxLength: 200,
    },
    {
      key: 'review',
      label: 'How and when it will be reviewed',
      hint: 'For example, at each child care review, or by the adoption support team every year.',
      type: 'text',
      maxLength: 500,
    },
    { key: 'funding', label: 'Who funds it', type: 'choice', options: FUNDING },
    {
      key: 'fundAmount',
      label: 'Amount from the fund, in pounds',
      hint: 'Only for the Adoption and Special Guardianship Support Fund.',
      type: 'money',
    },
    { key: 'status', label: 'Status', type: 'choice', options: NEED_STATUSES, required: true },
  ],
})

export const PLAN: SectionDefinition[] = [
  {
    key: 'network',
    number: 1,
    title: 'Professional network around the child and family',
    purpose:
      'Everyone involved with the child and the family, how to reach them and what they do. Keep it up to date.',
    questions: [],
    lists: [
      {
        kind: 'list',
        key: 'members',
        label: 'People in the network',
        itemName: 'person',
        table: 'plan_network_members',
        titleKey: 'name',
        required: true,
        questions: [
          { key: 'name', label: 'Full name', type: 'text', maxLength: 200, required: true },
          {
            key: 'role',
            label: 'Role',
            hint: 'For example, child’s social worker, health visitor, virtual school head.',
            type: 'text',
            maxLength: 200,
            required: true,
          },
          { key: 'organisation', label: 'Organisation', type: 'text', maxLength: 200, required: true },
          { key: 'phone', label: 'Phone number', type: 'phone', inputWidth: 20 },
          { key: 'email', label: 'Email address', type: 'email' },
          narrative(
            'responsibility',
            'What they are responsible for',
            'What this person does for the child or the family.',
          ),
          {
            key: 'confirmedOn',
            label: 'Date these details were last confirmed',
            hint: 'For example, 27 3 2026',
            type: 'date',
          },
        ],
      },
    ],
  },
  {
    key: 'child',
    number: 2,
    title: 'All about the child',
    purpose: 'Who the child is, what they need now and later, and who they stay in touch with.',
    questions: [
      narrative(
        'whoTheyAre',
        'Who is the child?',
        'Their personality, what they enjoy, what matters to them, in words the child would recognise.',
        true,
      ),
      narrative(
        'lifeStory',
        'The child’s understanding of their life story and adoption journey',
        'What they know and understand now, how it has been explained, and what will be done as they grow.',
        true,
      ),
      narrative(
        'health',
        'Health',
        'Physical health, conditions, medication, appointments, health history that matters.',
      ),
      narrative(
        'development',
        'Development',
        'Milestones, speech and language, motor skills, any assessments.',
      ),
      narrative('education', 'Education', 'Nursery or school, progress, the support they get in learning.'),
      {
        key: 'ehcp',
        label: 'Does the child have an education, health and care plan?',
        type: 'choice',
        options: [
          { value: 'yes', text: 'Yes' },
          { value: 'assessment', text: 'Being assessed' },
          { value: 'no', text: 'No' },
        ],
      },
      narrative(
        'emotionalBehavioural',
        'Emotional and behavioural needs',
        'How the child’s early experiences show in their feelings and behaviour, and what helps.',
      ),
      narrative(
        'ethnicityCulture',
        'Ethnicity and culture',
        'How the child’s heritage will be kept alive in the family.',
      ),
      narrative(
        'religion',
        'Religion',
        'The child’s religion or beliefs, if any, and how they will be supported.',
      ),
      narrative(
        'language',
        'Language',
        'Languages the child speaks or hears, and any support with communication.',
      ),
      narrative(
        'transitionOfServices',
        'Transition of services (disabled children)',
        'For a disabled child: the services they get now and how each will carry on in the new area.',
      ),
    ],
    lists: [
      needItems(true),
      {
        kind: 'list',
        key: 'stayingInTouch',
        label: 'Staying-in-touch arrangements',
        itemName: 'arrangement',
        table: 'plan_contact_arrangements',
        titleKey: 'person',
        questions: [
          {
            key: 'person',
            label: 'Who the child stays in touch with',
            hint: 'A first name or a description is enough, for example “birth mother” or “foster carer, Jo”.',
            type: 'text',
            maxLength: 200,
            required: true,
          },
          {
            key: 'relationship',
            label: 'Relationship to the child',
            type: 'text',
            maxLength: 200,
            required: true,
          },
          {
            key: 'kind',
            label: 'Kind of contact',
            type: 'choice',
            options: [
              { value: 'letterbox', text: 'Letterbox (letters or a digital exchange)' },
              { value: 'direct', text: 'Direct (meeting in person)' },
              { value: 'video', text: 'Video or phone calls' },
              { value: 'other', text: 'Other' },
            ],
            required: true,
          },
          { key: 'frequency', label: 'How often', type: 'text', maxLength: 200, required: true },
          { key: 'supportedBy', label: 'Who supports it', type: 'text', maxLength: 200 },
          { key: 'reviewOn', label: 'When it will be reviewed', type: 'date' },
        ],
      },
    ],
  },
  {
    key: 'adopters',
    number: 3,
    title: 'All about the adopters and their support',
    purpose: 'The family’s strengths and vulnerabilities, the support around them, and the money.',
    questions: [
      narrative(
        'strengths',
        'Strengths',
        'From the adopters’ assessment: what they bring to parenting this child.',
        true,
      ),
      narrative(
        'vulnerabilities',
        'Vulnerabilities',
        'From the adopters’ assessment, said openly: what may make things harder, and what will help.',
        true,
      ),
      narrative(
        'informalSupport',
        'Informal support',
        'Family, friends, community and other adopters who will help.',
      ),
      narrative(
        'agencySupport',
        'Support from the agency',
        'What the agency offers every family and this family in particular.',
      ),
      narrative(
        'adoptersViews',
        'The adopters’ views of this plan',
        'In their words: whether it meets their needs, and anything they disagree with.',
      ),
    ],
    lists: [
      needItems(false),
      {
        kind: 'list',
        key: 'financialSupport',
        label: 'Financial support',
        itemName: 'payment',
        table: 'plan_financial_support',
        titleKey: 'kind',
        questions: [
          {
            key: 'kind',
            label: 'Kind of financial support',
            type: 'choice',
            options: [
              { value: 'settling-in', text: 'Settling-in grant' },
              { value: 'allowance', text: 'Adoption allowance' },
              { value: 'one-off', text: 'One-off payment' },
              { value: 'travel', text: 'Travel and contact costs' },
              { value: 'asgsf', text: 'Adoption and Special Guardianship Support Fund' },
              { value: 'other', text: 'Other' },
            ],
            required: true,
          },
          { key: 'amount', label: 'Amount, in pounds', type: 'money', required: true },
          {
            key: 'frequency',
            label: 'How often',
            type: 'choice',
            options: [
              { value: 'once', text: 'Once' },
              { value: 'weekly', text: 'Weekly' },
              { value: 'monthly', text: 'Monthly' },
              { value: 'yearly', text: 'Yearly' },
            ],
            required: true,
          },
          { key: 'startOn', label: 'Start date', type: 'date', required: true },
          { key: 'endOn', label: 'End date', type: 'date' },
          { key: 'paidBy', label: 'Who pays', type: 'text', maxLength: 200, required: true },
          { key: 'reviewOn', label: 'Review date', type: 'date' },
        ],
      },
    ],
  },
  {
    key: 'birth-family',
    number: 4,
    title: 'Adoption support to the birth family',
    purpose:
      'The support offered to each birth parent and relative. This section can be shared with them on its own, so never write the adopters’ names or where they live here.',
    questions: [],
    lists: [
      {
        kind: 'list',
        key: 'relatives',
        label: 'Birth relatives and the support offered',
        itemName: 'relative',
        table: 'plan_birth_family_support',
        titleKey: 'relative',
        questions: [
          {
            key: 'relative',
            label: 'Birth relative',
            hint: 'For example, “birth mother” or a first name.',
            type: 'text',
            maxLength: 200,
            required: true,
          },
          {
            key: 'relationship',
            label: 'Relationship to the child',
            type: 'text',
            maxLength: 200,
            required: true,
          },
          narrative(
            'support',
            'Support offered',
            'Counselling, help with letters, a support group, advice.',
            true,
          ),
          { key: 'providedBy', label: 'Who provides it', type: 'text', maxLength: 200, required: true },
        ],
      },
    ],
  },
  {
    key: 'review',
    number: 5,
    title: 'Review of the plan',
    purpose: 'Completed before and after each child care review until the adoption order.',
    questions: [],
    lists: [],
    filledElsewhere: 'The reviews of the plan are recorded after the child is placed.',
  },
]

export const SECTION_KEYS = PLAN.map((section) => section.key)

export function sectionDefinition(key: string): SectionDefinition | undefined {
  return PLAN.find((section) => section.key === key)
}

export function listDefinition(section: SectionDefinition, key: string): ListDefinition | undefined {
  return section.lists.find((list) => list.key === key)
}

/** The column that keeps a list question's answer. */
export function columnOf(key: string): string {
  return key.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`)
}

export const ALL_LISTS: ListDefinition[] = PLAN.flatMap((section) => section.lists)
