// What each kind of audit event means, in the words of the administrators who read the log. The
// log stores codes (`what`); a code missing here is shown as it is, so that no event is hidden —
// but a feature that records a new kind of event should give it words here.

export const EVENT_NAMES: Readonly<Record<string, string>> = {
  'child-viewed': 'Viewed a child’s record',
  'child-added': 'Added a child',
  'child-changed': 'Changed a child’s details',
  'allocation-added': 'Allocated someone to a child',
  'allocation-ended': 'Ended someone’s allocation to a child',
  'family-viewed': 'Viewed a family’s record',
  'family-added': 'Added a family',
  'child-matched': 'Matched a child with a family',
  'child-shared-with-adopters': 'Shared a child’s details with the adopters',
  'family-worker-allocated': 'Allocated a worker to a family',
  'adopter-invited': 'Invited an adopter to use the service',
  'user-invited': 'Invited a member of staff',
  'invitation-accepted': 'Accepted an invitation and set up their account',
  'user-added': 'Account created',
  'user-deactivated': 'Deactivated an account',
  'user-reactivated': 'Reactivated an account',
  'api-token-added': 'API token created',
  'signed-in': 'Signed in',
  'signed-out': 'Signed out',
  'sign-in-failed': 'Failed to sign in',
  'account-locked': 'Account locked after failed sign-ins',
  'sign-in-refused-locked': 'Tried to sign in while locked out',
  'second-factor-set-up': 'Set up an authenticator app',
  'organisation-account-linked': 'Linked their organisation account (single sign-on)',
  'organisation-account-accepted': 'Signed in with their organisation account; authenticator code to follow',
  'identity-provider-set': 'Set the agency’s sign-in service for organisation accounts',
  'session-ended-by-user': 'Ended one of their sessions',
  'audit-exported': 'Downloaded who has seen a child’s record',
  'guidance-changed': 'Changed the agency’s wording of a hint in the plan',
  'plan-placement-recorded': 'Recorded the dates of a child’s placement',
  'plan-review-started': 'Started a review of a child’s plan',
  'plan-review-before-written': 'Wrote the before-review part of a review',
  'plan-review-recorded': 'Recorded a review of a child’s plan (the reviewing officer’s part)',
  'birth-family-link-created': 'Made a link or letter code for a birth relative to confirm section 4',
  'birth-family-link-revoked': 'Withdrew a birth relative’s link or letter code',
  'birth-family-link-opened': 'A birth relative opened their link or code (section 4, their entry only)',
  'birth-family-link-refused': 'A birth relative’s link or code was refused (used, withdrawn or expired)',
  'birth-family-link-answered': 'A birth relative confirmed or declined the support offered to them',
  'birth-family-signature-recorded': 'Recorded a birth relative’s signature on paper',
  'birth-family-signature-viewed': 'Viewed the scan of a birth relative’s signature',
  'adopters-home-viewed': 'Saw their comments and requests for a review on their home page',
}

export const EVENT_CODES = Object.keys(EVENT_NAMES)

export function eventName(what: string): string {
  return EVENT_NAMES[what] ?? what
}

/** Reading a child's record; every other event about the child changed it (or its allocations). */
export const CHILD_VIEWED = 'child-viewed'

/**
 * Events about a child that are not access to the child's record: downloading who has seen it
 * reads the log, not the record, so it is not counted on the record's own access list.
 */
export const NOT_RECORD_ACCESS = ['audit-exported'] as const
