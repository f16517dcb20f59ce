import { type Actor, can } from './policy.ts'

// The service navigation: the parts of the service this person may use, the current one marked.
// Shown only when the policy allows, so nobody is offered a link that would refuse them.

const SECTIONS = [
  { href: '/home', text: 'Home', action: 'signed-in' },
  { href: '/children', text: 'Children', action: 'children:list' },
  { href: '/families', text: 'Families', action: 'families:list' },
  { href: '/family', text: 'Your family', action: 'family:own' },
  { href: '/your-plan', text: 'Your plan', action: 'family:own' },
  { href: '/adopters-guide', text: 'Guide to the plan', action: 'family:own' },
  { href: '/staff', text: 'Staff', action: 'staff:manage' },
  { href: '/guidance', text: 'Plan guidance', action: 'guidance:edit' },
  { href: '/audit', text: 'Audit log', action: 'audit:read' },
  { href: '/barometer', text: 'Barometer', action: 'barometer:view' },
] as const

export type NavigationItem = { href: string; text: string; active: boolean }

export function navigationFor(
  actor: Actor,
  currentPath: string,
  available: ReadonlySet<string>,
): NavigationItem[] {
  return SECTIONS.filter((section) => available.has(section.href) && can(actor, section.action)).map(
    (section) => ({
      href: section.href,
      text: section.text,
      active: currentPath === section.href || currentPath.startsWith(`${section.href}/`),
    }),
  )
}
