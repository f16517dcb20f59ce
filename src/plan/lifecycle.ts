import type { StaffRole } from '../platform/roles.ts'

// The plan's life (domain.md, "Lifecycle of a plan"): the statuses it moves through, who moves it,
// and what must hold first. Pure: the facts come in, the answer and the reasons go out, so the page,
// the API and the tests read the same rules. Every reason is a sentence a person can act on.

export const PLAN_STATUSES = [
  'draft',
  'with-adopters',
  'at-panel',
  'match-approved',
  'agreed',
  'order-made',
  'post-order',
  'closed',
] as const

export type PlanStatus = (typeof PLAN_STATUSES)[number]

export const STATUS_NAMES: Record<PlanStatus, string> = {
  draft: 'Draft',
  'with-adopters': 'With the adopters',
  'at-panel': 'At panel',
  'match-approved': 'Match approved',
  agreed: 'Agreed',
  'order-made': 'Adoption order made',
  'post-order': 'With the adoption support team',
  closed: 'Closed',
}

/** What is known of a plan when someone asks to move it. Dates are ISO `YYYY-MM-DD`. */
export type LifecycleFacts = {
  status: PlanStatus
  hasFamily: boolean
  /** The editable sections not yet marked completed, by title. */
  sectionsNotCompleted: string[]
  /** A team manager signed off the plan as it stands now (nothing changed since). */
  signedOff: boolean
  panelOn: string | null
  decisionOn: string | null
  placedOn: string | null
  /** The child was returned to the agency: the placement ended without an order (the reviews stop). */
  returnedOn?: string | null
  /** Today, in England: a step that records something that has happened is never dated later. */
  today: string
}

export type TransitionRequest = { to: PlanStatus; date?: string | null; note?: string | null }

type Rule = {
  to: PlanStatus
  from: readonly PlanStatus[]
  /** The button: what the person does. */
  action: string
  roles: readonly StaffRole[]
  /**
   * The date this step records, if it records one; its label on the form. `past`: the date of
   * something that has happened (a decision, an agreement, an order), so never after today.
   */
  date?: { label: string; hint: string; past?: boolean }
  /** A step back needs a reason, so the others know what to change. */
  noteRequired?: boolean
  /** The conditions, as reasons it cannot happen yet; none means it may. */
  unmet: (facts: LifecycleFacts, request: TransitionRequest) => string[]
}

const WRITERS: readonly StaffRole[] = ['social-worker', 'team-manager']

const dateNotBefore = (date: string | null | undefined, earlier: string | null, what: string): string[] =>
  date && earlier && date < earlier ? [`The date must be the same as or after ${what}`] : []

export const TRANSITIONS: readonly Rule[] = [
  {
    to: 'with-adopters',
    from: ['draft'],
    action: 'Share the draft with the adopters',
    roles: WRITERS,
    unmet: (facts) => (facts.hasFamily ? [] : ['Match the child with a family before sharing the plan']),
  },
  {
    to: 'at-panel',
    from: ['draft', 'with-adopters'],
    action: 'Present the plan to the matching panel',
    roles: WRITERS,
    // The plan goes to the panel with its papers, before the panel meets: the date may be to come.
    date: { label: 'Date of the matching panel', hint: 'For example, 27 3 2026' },
    unmet: (facts) => [
      ...(facts.hasFamily ? [] : ['Match the child with a family before the panel']),
      ...facts.sectionsNotCompleted.map((title) => `Complete the section “${title}”`),
      ...(facts.signedOff ? [] : ['A team manager must sign off the plan as it stands now']),
    ],
  },
  {
    to: 'match-approved',
    from: ['at-panel'],
    action: 'Record the agency decision approving the match',
    roles: ['decision-maker'],
    date: { label: 'Date of the agency decision', hint: 'For example, 3 4 2026', past: true },
    unmet: (facts, request) => dateNotBefore(request.date, facts.panelOn, 'the panel'),
  },
  {
    to: 'agreed',
    from: ['match-approved'],
    action: 'Record the plan as agreed',
    roles: WRITERS,
    date: {
      label: 'Date agreed at the placement planning meeting',
      hint: 'This is the plan’s “date agreed”.',
      past: true,
    },
    unmet: (facts, request) => dateNotBefore(request.date, facts.decisionOn, 'the agency decision'),
  },
  {
    to: 'order-made',
    from: ['agreed'],
    action: 'Record the adoption order',
    roles: WRITERS,
    date: { label: 'Date of the adoption order', hint: 'For example, 12 10 2026', past: true },
    unmet: (facts, request) =>
      facts.returnedOn
        ? ['The child was returned to the agency: this placement ends without an adoption order']
        : facts.placedOn
          ? dateNotBefore(request.date, facts.placedOn, 'the placement')
          : ['Record the placement before the adoption order'],
  },
  {
    to: 'post-order',
    from: ['order-made'],
    action: 'Hand the plan to the adoption support team',
    roles: WRITERS,
    unmet: () => [],
  },
  {
    to: 'closed',
    from: ['post-order'],
    action: 'Close the plan',
    roles: ['team-manager'],
    noteRequired: true,
    unmet: () => [],
  },
  {
    to: 'draft',
    from: ['with-adopters', 'at-panel'],
    action: 'Send the plan back to draft',
    roles: [...WRITERS, 'decision-maker'],
    noteRequired: true,
    unmet: () => [],
  },
]

export type TransitionCheck =
  | { ok: true; rule: Rule }
  | { ok: false; reasons: string[]; rule: Rule | null; field?: 'date' | 'note' }

/** The steps that lead on from a status, whoever may take them. */
export function transitionsFrom(status: PlanStatus): Rule[] {
  return TRANSITIONS.filter((rule) => rule.from.includes(status))
}

/** Whether this person may take this step now, and if not, every reason why. */
export function checkTransition(
  role: StaffRole,
  facts: LifecycleFacts,
  request: TransitionRequest,
): TransitionCheck {
  const rule = TRANSITIONS.find(
    (candidate) => candidate.to === request.to && candidate.from.includes(facts.status),
  )
  if (!rule)
    return {
      ok: false,
      rule: null,
      reasons: [`A plan that is “${STATUS_NAMES[facts.status]}” cannot become “${nameOf(request.to)}”`],
    }
  if (!rule.roles.includes(role))
    return { ok: false, rule, reasons: [`Only ${rolesInWords(rule.roles)} can ${lowerFirst(rule.action)}`] }
  if (rule.date && !request.date)
    return { ok: false, rule, field: 'date', reasons: [`Enter the ${lowerFirst(rule.date.label)}`] }
  if (rule.date?.past && request.date && request.date > facts.today)
    return {
      ok: false,
      rule,
      field: 'date',
      reasons: [`The ${lowerFirst(rule.date.label)} must be today or in the past`],
    }
  if (rule.noteRequired && !request.note?.trim())
    return {
      ok: false,
      rule,
      field: 'note',
      reasons: ['Enter a note saying why, so the others know what to do next'],
    }
  const reasons = rule.unmet(facts, request)
  return reasons.length > 0 ? { ok: false, rule, reasons } : { ok: true, rule }
}

const nameOf = (status: string) => STATUS_NAMES[status as PlanStatus] ?? status
const lowerFirst = (text: string) => text.charAt(0).toLowerCase() + text.slice(1)

const ROLE_WORDS: Partial<Record<StaffRole, string>> = {
  'social-worker': 'social workers',
  'team-manager': 'team managers',
  'decision-maker': 'the agency decision maker',
}

function rolesInWords(roles: readonly StaffRole[]): string {
  const words = roles.map((role) => ROLE_WORDS[role] ?? role)
  return words.length > 1 ? `${words.slice(0, -1).join(', ')} and ${words.at(-1)}` : (words[0] ?? '')
}
