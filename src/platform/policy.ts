import type { StaffRole } from './roles.ts'

// The one place that decides who may do what. Deny by default: an action nobody is granted here
// is refused to everyone. Routes name their action (route config `permission`); a test fails if a
// route names none. The same table, in words, is docs/security.md.

export type Actor =
  | { kind: 'anonymous' }
  /** Has given a password but not yet the second factor: may only finish signing in. */
  | { kind: 'pending'; userId: string }
  | { kind: 'staff'; userId: string; agencyId: string; role: StaffRole }
  /** A prospective adopter or adoptive parent: sees their own family, and what is shared with it. */
  | { kind: 'adopter'; userId: string; agencyId: string; familyId: string }
  /** Monitoring: a request with the metrics token, or from this machine when none is set. */
  | { kind: 'operator' }

export type Action =
  | 'public'
  | 'second-factor'
  | 'signed-in'
  | 'children:list'
  | 'child:view'
  | 'child:create'
  | 'child:update'
  | 'families:list'
  | 'family:create'
  | 'family:view'
  | 'family:update'
  | 'family:allocate'
  | 'family:own'
  | 'operations'
  | 'audit:read'
  | 'allocation:manage'
  | 'staff:manage'
  | 'plan:view'
  | 'plan:create'
  | 'plan:update'
  | 'plan:version'
  | 'plan:transition'
  | 'plan:sign-off'
  | 'plan:placement'
  | 'plan:review-prepare'
  | 'plan:review-record'
  | 'plan:birth-family-link'
  | 'plan:birth-family-read'
  | 'guidance:edit'
  | 'plan:comment'
  | 'plan:answer-comment'
  | 'plan:give-views'
  | 'plan:ask-review'
  | 'plan:answer-review-request'
  | 'plan:acknowledge'
  | 'plan:record-meeting'
  | 'barometer:view'

/** A record an action is taken on: enough of it to decide, nothing more. */
export type Resource = {
  /** The agency whose record it is (for a family: the agency that placed or will place the child). */
  agencyId: string
  /** A child: the staff currently allocated to the child. */
  allocatedTo?: readonly string[]
  /** A child: the families the worker has shared the child's details with. */
  sharedWithFamilies?: readonly string[]
  /** A child: staff of other agencies allocated to a family matched with the child. */
  matchedFamilyWorkers?: readonly string[]
  /** A family: its id, the agency that approved the adopters, and the staff allocated to it. */
  familyId?: string
  approvingAgencyId?: string
  familyWorkers?: readonly string[]
  /** A plan: where it is in its life (draft, with-adopters, at-panel, …). */
  planStatus?: string
}

/** From this status on, the adopters of the plan's family read it. */
export const PLAN_STATUSES_SHARED_WITH_ADOPTERS: readonly string[] = [
  'with-adopters',
  'at-panel',
  'match-approved',
  'agreed',
  'order-made',
  'post-order',
]

/** From this status on, the plan has an agreed version for the adopters to acknowledge. */
export const PLAN_STATUSES_AGREED: readonly string[] = ['agreed', 'order-made', 'post-order']

type Staff = Actor & { kind: 'staff' }

// Independent reviewing officers are independent of the agency's case work: they see the children
// they review, which means the children allocated to them, and no others. Panel members and the
// decision maker see a plan only while it is before them, and data analysts aggregates only, so none
// of them browse records. Agency administrators manage accounts, not cases.
const CHILD_READERS: readonly StaffRole[] = ['social-worker', 'team-manager', 'iro', 'support-worker']
const AGENCY_WIDE_READERS: readonly StaffRole[] = ['social-worker', 'team-manager', 'support-worker']
const WRITERS: readonly StaffRole[] = ['social-worker', 'team-manager']

const isStaff = (actor: Actor, roles: readonly StaffRole[]): actor is Staff =>
  actor.kind === 'staff' && roles.includes(actor.role)

function sameAgency(actor: Staff, resource: Resource | undefined): boolean {
  // Without a record in hand the question is "could this actor ever": the record is checked later.
  return resource === undefined || resource.agencyId === actor.agencyId
}

// The adopters of the plan's family, while the plan is shared with them: they read it, and take
// part in it (ADR 0016).
function adopterOf(actor: Actor, plan: Resource | undefined, statuses: readonly string[]): boolean {
  return (
    actor.kind === 'adopter' &&
    (plan === undefined || (plan.familyId === actor.familyId && statuses.includes(plan.planStatus ?? '')))
  )
}

function listed(
  userId: string,
  people: readonly string[] | undefined,
  resource: Resource | undefined,
): boolean {
  return resource === undefined || (people ?? []).includes(userId)
}

// Interagency placements: the approving agency's worker allocated to the family reaches that
// family and the children matched with it, and nothing else of the placing agency.
function interagencyWorker(
  actor: Actor,
  people: (resource: Resource) => readonly string[] | undefined,
  resource?: Resource,
) {
  return (
    isStaff(actor, AGENCY_WIDE_READERS) &&
    resource !== undefined &&
    (people(resource) ?? []).includes(actor.userId)
  )
}

const rules: Record<Action, (actor: Actor, resource: Resource | undefined) => boolean> = {
  public: () => true,
  'second-factor': (actor) => actor.kind === 'pending',
  'signed-in': (actor) => actor.kind === 'staff' || actor.kind === 'adopter',

  'children:list': (actor) => isStaff(actor, CHILD_READERS),
  'child:view': (actor, child) =>
    (isStaff(actor, AGENCY_WIDE_READERS) && sameAgency(actor, child)) ||
    (isStaff(actor, ['iro']) &&
      sameAgency(actor, child) &&
      listed(actor.userId, child?.allocatedTo, child)) ||
    interagencyWorker(actor, (record) => record.matchedFamilyWorkers, child) ||
    (actor.kind === 'adopter' &&
      (child === undefined || (child.sharedWithFamilies ?? []).includes(actor.familyId))),
  'child:create': (actor) => isStaff(actor, WRITERS),
  'child:update': (actor, child) => isStaff(actor, WRITERS) && sameAgency(actor, child),

  'families:list': (actor) => isStaff(actor, AGENCY_WIDE_READERS),
  'family:create': (actor) => isStaff(actor, WRITERS),
  'family:view': (actor, family) =>
    (isStaff(actor, AGENCY_WIDE_READERS) &&
      (family === undefined ||
        family.agencyId === actor.agencyId ||
        family.approvingAgencyId === actor.agencyId)) ||
    interagencyWorker(actor, (record) => record.familyWorkers, family) ||
    (actor.kind === 'adopter' && (family === undefined || family.familyId === actor.familyId)),
  // Inviting the adopters, matching and sharing are the placing agency's work.
  'family:update': (actor, family) => isStaff(actor, WRITERS) && sameAgency(actor, family),
  // Either agency's team manager may allocate its own worker to the family.
  'family:allocate': (actor, family) =>
    isStaff(actor, ['team-manager']) &&
    (family === undefined ||
      family.agencyId === actor.agencyId ||
      family.approvingAgencyId === actor.agencyId),
  'family:own': (actor) => actor.kind === 'adopter',

  'allocation:manage': (actor, child) => isStaff(actor, ['team-manager']) && sameAgency(actor, child),
  'staff:manage': (actor, agency) => isStaff(actor, ['agency-admin']) && sameAgency(actor, agency),
  // The agency's own audit log, for subject-access requests and investigations.
  'audit:read': (actor, record) => isStaff(actor, ['agency-admin']) && sameAgency(actor, record),
  operations: (actor) => actor.kind === 'operator',

  // A plan is read by whoever reads the child's record (the adopters: once the worker shares the
  // draft with them), and by the panel and the decision maker while it is before them.
  'plan:view': (actor, plan) =>
    (actor.kind !== 'adopter' && rules['child:view'](actor, plan)) ||
    (isStaff(actor, ['panel-member', 'decision-maker']) &&
      (plan === undefined || (sameAgency(actor, plan) && plan.planStatus === 'at-panel'))) ||
    (actor.kind === 'adopter' &&
      (plan === undefined ||
        (plan.familyId === actor.familyId &&
          PLAN_STATUSES_SHARED_WITH_ADOPTERS.includes(plan.planStatus ?? '')))),
  'plan:create': (actor, child) => isStaff(actor, WRITERS) && sameAgency(actor, child),
  // The placing agency's workers write the plan; the approving agency's worker allocated to the
  // family writes with them (they know the adopters best).
  'plan:update': (actor, plan) =>
    (isStaff(actor, WRITERS) && sameAgency(actor, plan)) ||
    interagencyWorker(actor, (record) => record.matchedFamilyWorkers, plan),
  'plan:version': (actor, plan) => isStaff(actor, WRITERS) && sameAgency(actor, plan),
  // Moving the plan on (src/plan/lifecycle.ts says which step is whose): the placing agency's
  // workers, and the decision maker while the plan is before the panel.
  'plan:transition': (actor, plan) =>
    (isStaff(actor, WRITERS) && sameAgency(actor, plan)) ||
    (isStaff(actor, ['decision-maker']) &&
      sameAgency(actor, plan) &&
      (plan === undefined || plan.planStatus === 'at-panel')),
  // A team manager signs the plan off before it goes to panel.
  'plan:sign-off': (actor, plan) => isStaff(actor, ['team-manager']) && sameAgency(actor, plan),
  // The placement's dates (placed, returned; the authority to place, which starts the reviews before
  // placement) are the placing agency's to record, as its workers move the plan through its life;
  // a worker of the approving agency writes the plan with them but does not record its key dates.
  'plan:placement': (actor, plan) => isStaff(actor, WRITERS) && sameAgency(actor, plan),
  // A review of the plan (AAR 2005 reg 36) is started, and its before-review part written, by the
  // placing agency's workers, who convene the child's reviews.
  'plan:review-prepare': (actor, plan) => isStaff(actor, WRITERS) && sameAgency(actor, plan),
  // The after-review part, and recording the review as held, is the independent reviewing officer's
  // alone, and only for the children allocated to them: their record of the review they chaired.
  'plan:review-record': (actor, plan) =>
    isStaff(actor, ['iro']) && sameAgency(actor, plan) && listed(actor.userId, plan?.allocatedTo, plan),
  // Asking a birth relative to confirm section 4 (ADR 0014): a link or letter code made, withdrawn,
  // or a paper signature recorded, by the placing agency's workers, who work with the birth family.
  // The approving agency's worker, who works with the adopters, has no part in it.
  'plan:birth-family-link': (actor, plan) => isStaff(actor, WRITERS) && sameAgency(actor, plan),
  // The relatives' answers and signatures are read by the staff who read the plan; never by the
  // adopters, even when they read the plan: a birth relative's answer is not theirs to see.
  'plan:birth-family-read': (actor, plan) => actor.kind === 'staff' && rules['plan:view'](actor, plan),
  // The hints beside the plan's questions, in the agency's own words (ADR 0010): its team managers
  // and administrators look after them, and only they need the list of them.
  'guidance:edit': (actor, agency) =>
    isStaff(actor, ['team-manager', 'agency-admin']) && sameAgency(actor, agency),

  // The adopters' part (ADR 0016). While the plan is shared, its family's adopters comment on any
  // section, reply in their comments' threads, write their own views and ask for a review; their
  // words never change the plan. Whoever writes the plan answers and resolves their comments, and
  // records the adoption support planning meetings.
  'plan:comment': (actor, plan) => adopterOf(actor, plan, PLAN_STATUSES_SHARED_WITH_ADOPTERS),
  'plan:give-views': (actor, plan) => adopterOf(actor, plan, PLAN_STATUSES_SHARED_WITH_ADOPTERS),
  'plan:ask-review': (actor, plan) => adopterOf(actor, plan, PLAN_STATUSES_SHARED_WITH_ADOPTERS),
  // Once agreed, each adopter acknowledges the agreed version.
  'plan:acknowledge': (actor, plan) => adopterOf(actor, plan, PLAN_STATUSES_AGREED),
  'plan:answer-comment': (actor, plan) => rules['plan:update'](actor, plan),
  'plan:record-meeting': (actor, plan) => rules['plan:update'](actor, plan),
  // A review request reaches the worker, the team manager and the IRO who reviews the child: any
  // of them answers it.
  'plan:answer-review-request': (actor, plan) =>
    rules['plan:update'](actor, plan) ||
    (isStaff(actor, ['iro']) && sameAgency(actor, plan) && listed(actor.userId, plan?.allocatedTo, plan)),
  // The Adoption UK Barometer's figures for the agency's plans: its team managers watch them.
  'barometer:view': (actor, agency) => isStaff(actor, ['team-manager']) && sameAgency(actor, agency),
}

export function can(actor: Actor, action: Action, resource?: Resource): boolean {
  const rule = rules[action]
  return rule ? rule(actor, resource) : false
}

/**
 * Which of its own agency's children a list may show this actor, for queries that cannot ask `can`
 * row by row: the same rule as 'child:view', said once for a whole list.
 */
export function childListScope(actor: Actor): 'agency' | 'allocated' | 'none' {
  if (isStaff(actor, AGENCY_WIDE_READERS)) return 'agency'
  return isStaff(actor, ['iro']) ? 'allocated' : 'none'
}

export const ACTIONS = Object.keys(rules) as Action[]
