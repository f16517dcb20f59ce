import type { StaffRole } from './roles.ts'

// The one place that decides who may do what. Deny by default: an action nobody is granted here
// is refused to everyone. Routes name their action (route config `permission`); a test fails if a
// route names none.

export type Actor =
  | { kind: 'anonymous' }
  /** Has given a password but not yet the second factor: may only finish signing in. */
  | { kind: 'pending'; userId: string }
  | { kind: 'staff'; userId: string; agencyId: string; role: StaffRole }
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
  | 'operations'
  | 'audit:read'
  | 'allocation:manage'
  | 'staff:manage'

/** A record an action is taken on: enough of it to decide, nothing more. */
export type Resource = {
  agencyId: string
  /** For a child's record: the people currently allocated to the child. */
  allocatedTo?: readonly string[]
}

// Who may work with children's records at this stage. Panel members and the decision maker see a
// plan only while it is before them, and data analysts see aggregates only, so none of them can
// browse children. Agency administrators manage accounts, not cases.
// Independent reviewing officers are independent of the agency's case work: they see the children
// they review, which means the children allocated to them, and no others.
const CHILD_READERS: readonly StaffRole[] = ['social-worker', 'team-manager', 'iro', 'support-worker']
const AGENCY_WIDE_READERS: readonly StaffRole[] = ['social-worker', 'team-manager', 'support-worker']
const CHILD_WRITERS: readonly StaffRole[] = ['social-worker', 'team-manager']

const rules: Record<Action, (actor: Actor, resource: Resource | undefined) => boolean> = {
  public: () => true,
  'second-factor': (actor) => actor.kind === 'pending',
  'signed-in': (actor) => actor.kind === 'staff',
  'children:list': (actor) => actor.kind === 'staff' && CHILD_READERS.includes(actor.role),
  'child:view': (actor, child) =>
    actor.kind === 'staff' &&
    sameAgency(actor, child) &&
    (AGENCY_WIDE_READERS.includes(actor.role) || (actor.role === 'iro' && allocated(actor, child))),
  'child:create': (actor) => actor.kind === 'staff' && CHILD_WRITERS.includes(actor.role),
  'child:update': (actor, child) =>
    actor.kind === 'staff' && CHILD_WRITERS.includes(actor.role) && sameAgency(actor, child),
  // Team managers decide who works with which child.
  'allocation:manage': (actor, child) =>
    actor.kind === 'staff' && actor.role === 'team-manager' && sameAgency(actor, child),
  // Administrators look after the agency's staff accounts.
  'staff:manage': (actor, agency) =>
    actor.kind === 'staff' && actor.role === 'agency-admin' && sameAgency(actor, agency),
  operations: (actor) => actor.kind === 'operator',
  // The agency's own audit log, for subject-access requests and investigations: administrators only.
  'audit:read': (actor, record) =>
    actor.kind === 'staff' && actor.role === 'agency-admin' && sameAgency(actor, record),
}

function sameAgency(actor: Actor & { kind: 'staff' }, resource: Resource | undefined): boolean {
  // Without a record in hand the question is "could this actor ever": the record is checked later.
  return resource === undefined || resource.agencyId === actor.agencyId
}

function allocated(actor: Actor & { kind: 'staff' }, child: Resource | undefined): boolean {
  return child === undefined || (child.allocatedTo ?? []).includes(actor.userId)
}

export function can(actor: Actor, action: Action, resource?: Resource): boolean {
  const rule = rules[action]
  return rule ? rule(actor, resource) : false
}

/**
 * Which children a list may show this actor, for queries that cannot ask `can` row by row: the
 * same rule as 'child:view', said once for a whole list.
 */
export function childListScope(actor: Actor): 'agency' | 'allocated' | 'none' {
  if (actor.kind !== 'staff') return 'none'
  if (AGENCY_WIDE_READERS.includes(actor.role)) return 'agency'
  return actor.role === 'iro' ? 'allocated' : 'none'
}

export const ACTIONS = Object.keys(rules) as Action[]
