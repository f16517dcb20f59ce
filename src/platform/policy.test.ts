import assert from 'node:assert/strict'
import { test } from 'node:test'
import { type Actor, can } from './policy.ts'
import { STAFF_ROLES, type StaffRole } from './roles.ts'

const staff = (role: StaffRole, agencyId = 'agency-a'): Actor => ({
  kind: 'staff',
  userId: 'u',
  agencyId,
  role,
})
const ownChild = { agencyId: 'agency-a' }
const otherChild = { agencyId: 'agency-b' }

test('who may read and change children’s records', () => {
  const readers = STAFF_ROLES.filter((role) => can(staff(role), 'child:view', ownChild))
  assert.deepEqual(readers, ['social-worker', 'team-manager', 'support-worker'])
  const allocatedToMe = { ...ownChild, allocatedTo: ['u'] }
  const readersWhenAllocated = STAFF_ROLES.filter((role) => can(staff(role), 'child:view', allocatedToMe))
  assert.deepEqual(readersWhenAllocated, ['social-worker', 'team-manager', 'iro', 'support-worker'])
  const writers = STAFF_ROLES.filter((role) => can(staff(role), 'child:update', ownChild))
  assert.deepEqual(writers, ['social-worker', 'team-manager'])
})

test('nobody reaches another agency’s child', () => {
  for (const role of STAFF_ROLES) {
    assert.equal(can(staff(role), 'child:view', otherChild), false, role)
    assert.equal(can(staff(role), 'child:update', otherChild), false, role)
  }
})

test('only team managers allocate, only administrators manage staff and read the audit log', () => {
  assert.deepEqual(
    STAFF_ROLES.filter((role) => can(staff(role), 'allocation:manage', ownChild)),
    ['team-manager'],
  )
  assert.deepEqual(
    STAFF_ROLES.filter((role) => can(staff(role), 'staff:manage', ownChild)),
    ['agency-admin'],
  )
  assert.deepEqual(
    STAFF_ROLES.filter((role) => can(staff(role), 'audit:read', ownChild)),
    ['agency-admin'],
  )
  assert.equal(can(staff('team-manager'), 'allocation:manage', otherChild), false)
})

test('half-signed-in and anonymous people may only finish signing in or read public pages', () => {
  const pending: Actor = { kind: 'pending', userId: 'u' }
  const anonymous: Actor = { kind: 'anonymous' }
  assert.equal(can(pending, 'second-factor'), true)
  assert.equal(can(pending, 'children:list'), false)
  assert.equal(can(anonymous, 'public'), true)
  assert.equal(can(anonymous, 'signed-in'), false)
  assert.equal(can(staff('social-worker'), 'operations'), false)
})

test('team managers and administrators word their own agency’s guidance, nobody else’s', () => {
  assert.deepEqual(
    STAFF_ROLES.filter((role) => can(staff(role), 'guidance:edit', ownChild)),
    ['team-manager', 'agency-admin'],
  )
  assert.equal(can(staff('team-manager'), 'guidance:edit', otherChild), false)
  assert.equal(can(staff('agency-admin'), 'guidance:edit', otherChild), false)
})

test('the placing agency’s workers record the placement and prepare reviews; only the allocated IRO records one', () => {
  const plan = { agencyId: 'agency-a', allocatedTo: ['u'], planStatus: 'agreed' }
  for (const action of ['plan:placement', 'plan:review-prepare'] as const) {
    assert.deepEqual(
      STAFF_ROLES.filter((role) => can(staff(role), action, plan)),
      ['social-worker', 'team-manager'],
      action,
    )
    assert.equal(can(staff('social-worker', 'agency-b'), action, plan), false)
  }
  assert.deepEqual(
    STAFF_ROLES.filter((role) => can(staff(role), 'plan:review-record', plan)),
    ['iro'],
  )
  assert.equal(can(staff('iro'), 'plan:review-record', { ...plan, allocatedTo: ['someone else'] }), false)
  assert.equal(can(staff('iro', 'agency-b'), 'plan:review-record', plan), false)
})

test('adopters take part in their own family’s plan only while it is shared, and acknowledge it once agreed', () => {
  const adopter: Actor = { kind: 'adopter', userId: 'a', agencyId: 'agency-a', familyId: 'family-1' }
  const plan = (planStatus: string, familyId = 'family-1') => ({ agencyId: 'agency-a', familyId, planStatus })
  for (const action of ['plan:comment', 'plan:give-views', 'plan:ask-review'] as const) {
    assert.equal(can(adopter, action, plan('draft')), false, `${action} in draft`)
    assert.equal(can(adopter, action, plan('with-adopters')), true, `${action} when shared`)
    assert.equal(can(adopter, action, plan('post-order')), true, `${action} after the order`)
    assert.equal(can(adopter, action, plan('closed')), false, `${action} once closed`)
    assert.equal(
      can(adopter, action, plan('with-adopters', 'family-2')),
      false,
      `${action} of another family`,
    )
    assert.equal(can(staff('social-worker'), action, plan('with-adopters')), false, `${action} by staff`)
  }
  assert.equal(can(adopter, 'plan:acknowledge', plan('match-approved')), false)
  assert.equal(can(adopter, 'plan:acknowledge', plan('agreed')), true)
  assert.equal(can(adopter, 'plan:acknowledge', plan('agreed', 'family-2')), false)
})

test('review requests are answered by the plan’s writers and the IRO who reviews the child', () => {
  const plan = { agencyId: 'agency-a', allocatedTo: ['u'] }
  assert.deepEqual(
    STAFF_ROLES.filter((role) => can(staff(role), 'plan:answer-review-request', plan)),
    ['social-worker', 'team-manager', 'iro'],
  )
  assert.equal(
    can(staff('iro'), 'plan:answer-review-request', { ...plan, allocatedTo: ['someone else'] }),
    false,
  )
  assert.equal(can(staff('team-manager', 'agency-b'), 'plan:answer-review-request', plan), false)
  assert.deepEqual(
    STAFF_ROLES.filter((role) => can(staff(role), 'barometer:view', ownChild)),
    ['team-manager'],
  )
})

test('the placing agency’s workers ask birth relatives; staff who read the plan see the answers, adopters never', () => {
  assert.deepEqual(
    STAFF_ROLES.filter((role) => can(staff(role), 'plan:birth-family-link', ownChild)),
    ['social-worker', 'team-manager'],
  )
  assert.equal(can(staff('social-worker', 'agency-b'), 'plan:birth-family-link', ownChild), false)
  // The approving agency's worker allocated to the family writes the plan, but has no part in this.
  const interagency = { ...ownChild, matchedFamilyWorkers: ['u'] }
  assert.equal(can(staff('social-worker', 'agency-b'), 'plan:update', interagency), true)
  assert.equal(can(staff('social-worker', 'agency-b'), 'plan:birth-family-link', interagency), false)
  assert.equal(can(staff('social-worker', 'agency-b'), 'plan:birth-family-read', interagency), true)
  const adopter: Actor = { kind: 'adopter', userId: 'a', agencyId: 'agency-a', familyId: 'f' }
  const shared = { ...ownChild, familyId: 'f', planStatus: 'agreed' }
  assert.equal(can(adopter, 'plan:view', shared), true)
  assert.equal(can(adopter, 'plan:birth-family-read', shared), false)
  assert.equal(can({ kind: 'anonymous' }, 'plan:birth-family-read'), false)
})
