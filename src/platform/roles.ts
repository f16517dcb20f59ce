// Staff roles, as operators type them (design.md: CLI `user add --role`).
export const STAFF_ROLES = [
  'social-worker',
  'team-manager',
  'iro',
  'support-worker',
  'panel-member',
  'decision-maker',
  'agency-admin',
  'data-analyst',
] as const

export type StaffRole = (typeof STAFF_ROLES)[number]

export const ROLE_NAMES: Record<StaffRole, string> = {
  'social-worker': 'Social worker',
  'team-manager': 'Team manager',
  iro: 'Independent reviewing officer',
  'support-worker': 'Adoption support worker',
  'panel-member': 'Panel member',
  'decision-maker': 'Agency decision maker',
  'agency-admin': 'Agency administrator',
  'data-analyst': 'Data analyst',
}

export function isStaffRole(value: string): value is StaffRole {
  return (STAFF_ROLES as readonly string[]).includes(value)
}

/** Adopters have accounts too, with this role: never a staff role, whatever else changes. */
export const ADOPTER_ROLE = 'adopter'
