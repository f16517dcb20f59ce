import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { after, before, describe, test } from 'node:test'
import { accounts } from '../src/features/accounts/service.ts'
import { allocationsService } from '../src/features/allocations/service.ts'
import { childDetails, childrenService } from '../src/features/children/service.ts'
import { familiesService } from '../src/features/families/service.ts'
import { plansService } from '../src/features/plans/service.ts'
import type { Actor } from '../src/platform/policy.ts'
import type { StaffRole } from '../src/platform/roles.ts'
import { type TestApp, type TestUser, testApp } from './support/app.ts'
import { markAgreed } from './support/shared-plan.ts'
import { WebClient } from './support/web-client.ts'

// Every kind of person against every kind of record and action, through the pages and the API,
// with the answer each should get: no leak, and no over-blocking. The same table is in
// docs/security.md; this test fails if the two part ways.

type Outcome = 'allow' | 'deny'
type Person =
  | 'social worker'
  | 'team manager'
  | 'support worker'
  | 'IRO, allocated'
  | 'IRO, not allocated'
  | 'panel member'
  | 'decision maker'
  | 'agency admin'
  | 'data analyst'
  | 'other agency’s worker'
  | 'interagency worker'
  | 'adopter of this family'
  | 'adopter of another family'

type Check = { name: string; run: (who: Who) => Promise<number> }
type Who = { web: WebClient; token: string | null }

const people: Person[] = [
  'social worker',
  'team manager',
  'support worker',
  'IRO, allocated',
  'IRO, not allocated',
  'panel member',
  'decision maker',
  'agency admin',
  'data analyst',
  'other agency’s worker',
  'interagency worker',
  'adopter of this family',
  'adopter of another family',
]

const A = 'allow'
const D = 'deny'

// Columns follow `people`, in that order.
const expected: Record<string, Outcome[]> = {
  'list the agency’s children (page)': [A, A, A, A, A, D, D, D, D, A, A, D, D],
  'see the child in the list': [A, A, A, A, D, D, D, D, D, D, D, D, D],
  'view the child’s record (page)': [A, A, A, A, D, D, D, D, D, D, A, A, D],
  'view the child’s record (API)': [A, A, A, A, D, D, D, D, D, D, A, D, D],
  'change the child’s details (page)': [A, A, D, D, D, D, D, D, D, D, D, D, D],
  'change the child’s details (API)': [A, A, D, D, D, D, D, D, D, D, D, D, D],
  'allocate people to the child': [D, A, D, D, D, D, D, D, D, D, D, D, D],
  'view the family': [A, A, A, D, D, D, D, D, D, D, A, A, D],
  'see the family in the list (API)': [A, A, A, D, D, D, D, D, D, D, A, D, D],
  'view the family (API)': [A, A, A, D, D, D, D, D, D, D, A, D, D],
  'match a child with the family': [A, A, D, D, D, D, D, D, D, D, D, D, D],
  'match a child with the family (API)': [A, A, D, D, D, D, D, D, D, D, D, D, D],
  'manage staff accounts': [D, D, D, D, D, D, D, A, D, D, D, D, D],
  'read the audit log': [D, D, D, D, D, D, D, A, D, D, D, D, D],
  'see who has seen the child’s record': [D, D, D, D, D, D, D, A, D, D, D, D, D],
  'view the plan, in draft': [A, A, A, A, D, D, D, D, D, D, A, D, D],
  'view the plan, while it is at panel': [A, A, A, A, D, A, A, D, D, D, A, A, D],
  'view the plan, after the panel': [A, A, A, A, D, D, D, D, D, D, A, A, D],
  'change the plan': [A, A, D, D, D, D, D, D, D, D, A, D, D],
  'view the plan (API)': [A, A, A, A, D, D, D, D, D, D, A, D, D],
  'open a step of the plan, in draft': [A, A, D, D, D, D, D, D, D, D, D, D, D],
  'record the panel’s decision, at panel': [D, D, D, D, D, D, A, D, D, D, D, D, D],
  'sign off the plan': [D, A, D, D, D, D, D, D, D, D, D, D, D],
  'list the plan’s guidance': [D, A, D, D, D, D, D, A, D, D, D, D, D],
  'change the plan’s guidance': [D, A, D, D, D, D, D, A, D, D, D, D, D],
  'see the reviews of the plan, once placed': [A, A, A, A, D, D, D, D, D, D, A, A, D],
  'see the reviews of the plan (API)': [A, A, A, A, D, D, D, D, D, D, A, D, D],
  'record the placement': [A, A, D, D, D, D, D, D, D, D, D, D, D],
  'record the placement (API)': [A, A, D, D, D, D, D, D, D, D, D, D, D],
  'start a review': [A, A, D, D, D, D, D, D, D, D, D, D, D],
  'write the before-review part': [A, A, D, D, D, D, D, D, D, D, D, D, D],
  'record the review, after it': [D, D, D, A, D, D, D, D, D, D, D, D, D],
  'record the review, after it (API)': [D, D, D, A, D, D, D, D, D, D, D, D, D],
  'read a section of the plan, after the panel': [A, A, A, A, D, D, D, D, D, D, A, A, D],
  'comment on the plan, while shared': [D, D, D, D, D, D, D, D, D, D, D, A, D],
  'answer the adopters’ comments': [A, A, D, D, D, D, D, D, D, D, A, D, D],
  'write the adopters’ views, while shared': [D, D, D, D, D, D, D, D, D, D, D, A, D],
  'ask for a review, while shared': [D, D, D, D, D, D, D, D, D, D, D, A, D],
  'answer a request for a review': [A, A, D, A, D, D, D, D, D, D, A, D, D],
  'record a planning meeting': [A, A, D, D, D, D, D, D, D, D, A, D, D],
  'acknowledge the agreed plan': [D, D, D, D, D, D, D, D, D, D, D, A, D],
  'see the agency’s Barometer': [D, A, D, D, D, D, D, D, D, D, D, D, D],
  'see the birth relatives’ answers to section 4': [A, A, A, A, D, D, D, D, D, D, A, D, D],
  'see a birth relative’s paper signature': [A, A, A, A, D, D, D, D, D, D, A, D, D],
  'ask a birth relative to confirm section 4': [A, A, D, D, D, D, D, D, D, D, D, D, D],
  'see one’s own home page': [A, A, A, A, A, A, A, A, A, A, A, A, A],
}

const allowed = (status: number) => status >= 200 && status < 400
/** A form sent empty: those allowed to send it are told what is missing. */
const toAllowed = (response: { statusCode: number }) =>
  response.statusCode === 422 ? 200 : response.statusCode
const unknownId = '00000000-0000-4000-8000-000000000000'

const childForm = {
  firstName: 'Matrix',
  lastName: 'Child',
  preferredName: '',
  'dateOfBirth-day': '1',
  'dateOfBirth-month': '1',
  'dateOfBirth-year': '2020',
  sex: 'female',
  ethnicity: 'WBRI',
  siblingOf: '',
}

describe('access matrix', () => {
  let t: TestApp
  const who = new Map<Person, Who>()
  let childId: string
  let familyId: string
  let planId: string
  let relativeId: string
  let signatureId: string
  let reviewId: string
  let version = 1
  // Where the plan is in its life: set directly, as the lifecycle would, to test who sees it when.
  const planStatus = (status: string) =>
    t.database.db.updateTable('plans').set({ status }).where('id', '=', planId).execute()

  before(async () => {
    t = await testApp()
    const db = t.database.db
    const agency = await t.addAgency('Placing agency')
    const vaa = await t.addAgency('Approving agency')
    const other = await t.addAgency('Unrelated agency')
    const users: Partial<Record<Person, TestUser>> = {}
    const staff: [Person, string, StaffRole][] = [
      ['social worker', agency, 'social-worker'],
      ['team manager', agency, 'team-manager'],
      ['support worker', agency, 'support-worker'],
      ['IRO, allocated', agency, 'iro'],
      ['IRO, not allocated', agency, 'iro'],
      ['panel member', agency, 'panel-member'],
      ['decision maker', agency, 'decision-maker'],
      ['agency admin', agency, 'agency-admin'],
      ['data analyst', agency, 'data-analyst'],
      ['other agency’s worker', other, 'social-worker'],
      ['interagency worker', vaa, 'social-worker'],
    ]
    for (const [person, agencyId, role] of staff) users[person] = await t.addUser(agencyId, role)

    const worker = users['social worker'] as TestUser
    const actor: Actor & { kind: 'staff' } = {
      kind: 'staff',
      userId: worker.id,
      agencyId: agency,
      role: 'social-worker',
    }
    const added = await childrenService(db).add(
      actor,
      childDetails.parse({
        firstName: 'Matrix',
        lastName: 'Child',
        dateOfBirth: '2020-01-01',
        sex: 'female',
        ethnicity: 'WBRI',
      }),
      'matrix',
    )
    if (added.outcome !== 'added') throw new Error('child not added')
    childId = added.child.id
    await allocationsService(db).allocate(
      { kind: 'operator' },
      childId,
      (users['IRO, allocated'] as TestUser).id,
      'matrix',
    )

    const families = familiesService(db)
    const adopter = { firstName: 'Pat', lastName: 'Lee', dateOfBirth: '1980-01-01', email: null }
    familyId = await families.add(actor, { approvingAgencyId: vaa, adopters: [adopter] }, 'matrix')
    const otherFamily = await families.add(
      actor,
      { approvingAgencyId: agency, adopters: [adopter] },
      'matrix',
    )
    await families.match(actor, familyId, childId, 'matrix')
    const match = await db
      .selectFrom('matches')
      .select('id')
      .where('child_id', '=', childId)
      .executeTakeFirstOrThrow()
    await families.share(actor, familyId, match.id, 'matrix')
    const vaaManager = await t.addUser(vaa, 'team-manager')
    await families.allocateWorker(
      { kind: 'staff', userId: vaaManager.id, agencyId: vaa, role: 'team-manager' },
      familyId,
      (users['interagency worker'] as TestUser).id,
      'matrix',
    )
    const plan = await plansService(db).create(actor, childId, 'matrix')
    if (plan.outcome !== 'created') throw new Error('plan not created')
    planId = plan.planId
    // A birth relative in section 4, who has signed on paper (ADR 0014).
    relativeId = (
      await db
        .insertInto('plan_birth_family_support')
        .values({
          plan_id: planId,
          position: 1,
          relative: 'Birth mother',
          relationship: 'Mother',
          support: 'Counselling',
          provided_by: 'Birthlink',
        })
        .returning('id')
        .executeTakeFirstOrThrow()
    ).id
    signatureId = (
      await db
        .insertInto('birth_family_signatures')
        .values({
          agency_id: agency,
          plan_id: planId,
          relative_id: relativeId,
          signed_name: 'Matrix Mother',
          signed_on: '2026-01-01',
          media_type: 'application/pdf',
          bytes: Buffer.from('%PDF-1.4\n%%EOF\n'),
          sha256: '0'.repeat(64),
          shown_content: JSON.stringify({ relative: 'Birth mother' }),
          recorded_by: worker.id,
        })
        .returning('id')
        .executeTakeFirstOrThrow()
    ).id
    // Placed, with a review whose before-review part is written: waiting for the IRO's part.
    await db.updateTable('matches').set({ placed_on: '2025-01-06' }).where('child_id', '=', childId).execute()
    reviewId = (
      await db
        .insertInto('plan_reviews')
        .values({ plan_id: planId, kind: 'scheduled', started_by: worker.id })
        .returning('id')
        .executeTakeFirstOrThrow()
    ).id
    await db
      .updateTable('plan_reviews')
      .set({
        status: 'ready',
        needs_changed: 'x',
        child_views: 'y',
        adopters_views: 'z',
        before_at: new Date(),
      })
      .where('id', '=', reviewId)
      .execute()
    // An agreed version for the adopters to acknowledge; each check sets the status it needs.
    await markAgreed(t, planId, worker.id)
    users['adopter of this family'] = await t.addAdopterAccount(familyId, agency, { wholeFamily: true })
    users['adopter of another family'] = await t.addAdopterAccount(otherFamily, agency, { wholeFamily: true })

    const tokens = accounts(db)
    for (const person of people) {
      const user = users[person] as TestUser
      const web = new WebClient(t.app)
      await web.signIn(user)
      const staffAccount = !person.startsWith('adopter')
      who.set(person, { web, token: staffAccount ? await tokens.addToken(user.id, 1) : null })
    }
  })
  after(() => t.close())

  const api = (
    token: string | null,
    method: 'GET' | 'PUT' | 'POST',
    url: string,
    payload?: Record<string, unknown>,
    headers = {},
  ) =>
    t.app
      .inject({
        method,
        url,
        headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers },
        payload,
      })
      .then((response) => response.statusCode)

  const checks: Check[] = [
    {
      name: 'list the agency’s children (page)',
      run: async ({ web }) => (await web.get('/children')).statusCode,
    },
    {
      name: 'see the child in the list',
      run: async ({ web }) =>
        (await web.get('/children')).body.includes(`/children/${childId}"`) ? 200 : 404,
    },
    {
      name: 'view the child’s record (page)',
      run: async ({ web }) => (await web.get(`/children/${childId}`)).statusCode,
    },
    {
      name: 'view the child’s record (API)',
      run: ({ token }) => api(token, 'GET', `/api/v1/children/${childId}`),
    },
    {
      name: 'change the child’s details (page)',
      run: async ({ web }) => {
        await web.get('/children')
        const response = await web.post(`/children/${childId}`, { ...childForm, version: String(version) })
        if (response.statusCode === 303) version++
        return response.statusCode
      },
    },
    {
      name: 'change the child’s details (API)',
      run: async ({ token }) => {
        const body = {
          firstName: 'Matrix',
          lastName: 'Child',
          dateOfBirth: '2020-01-01',
          sex: 'female',
          ethnicity: 'WBRI',
        }
        const status = await api(token, 'PUT', `/api/v1/children/${childId}`, body, {
          'if-match': `"${version}"`,
        })
        if (status === 200) version++
        return status
      },
    },
    {
      name: 'allocate people to the child',
      run: async ({ web }) => (await web.get(`/children/${childId}/allocations/new`)).statusCode,
    },
    { name: 'view the family', run: async ({ web }) => (await web.get(`/families/${familyId}`)).statusCode },
    {
      name: 'see the family in the list (API)',
      run: async ({ token }) => {
        const response = await t.app.inject({
          method: 'GET',
          url: '/api/v1/families',
          headers: token ? { authorization: `Bearer ${token}` } : {},
        })
        if (response.statusCode !== 200) return response.statusCode
        const listed = response.json().items.some((family: { id: string }) => family.id === familyId)
        return listed ? 200 : 404
      },
    },
    {
      name: 'view the family (API)',
      run: ({ token }) => api(token, 'GET', `/api/v1/families/${familyId}`),
    },
    {
      name: 'match a child with the family (API)',
      run: async ({ token }) => {
        // An unknown child: allowed people are told so (422), others do not find the family.
        const status = await api(token, 'POST', `/api/v1/families/${familyId}/matches`, {
          childId: '00000000-0000-4000-8000-000000000000',
        })
        return status === 422 ? 200 : status
      },
    },
    {
      name: 'match a child with the family',
      run: async ({ web }) => {
        await web.get('/children')
        // An unknown child: allowed people get the form back with an error (200), others are refused.
        const response = await web.post(`/families/${familyId}/matches`, {
          childId: '00000000-0000-4000-8000-000000000000',
        })
        return response.statusCode === 200 && response.body.includes('Select a child from the list')
          ? 200
          : 404
      },
    },
    { name: 'manage staff accounts', run: async ({ web }) => (await web.get('/staff')).statusCode },
    { name: 'read the audit log', run: async ({ web }) => (await web.get('/audit')).statusCode },
    {
      name: 'view the plan, in draft',
      run: async ({ web }) => {
        await planStatus('draft')
        return (await web.get(`/plans/${planId}`)).statusCode
      },
    },
    {
      name: 'view the plan, while it is at panel',
      run: async ({ web }) => {
        await planStatus('at-panel')
        return (await web.get(`/plans/${planId}`)).statusCode
      },
    },
    {
      name: 'view the plan, after the panel',
      run: async ({ web }) => {
        await planStatus('match-approved')
        return (await web.get(`/plans/${planId}`)).statusCode
      },
    },
    {
      name: 'change the plan',
      run: async ({ web }) => (await web.get(`/plans/${planId}/sections/child`)).statusCode,
    },
    {
      name: 'view the plan (API)',
      run: ({ token }) => api(token, 'GET', `/api/v1/plans/${planId}`),
    },
    {
      name: 'open a step of the plan, in draft',
      run: async ({ web }) => {
        await planStatus('draft')
        return (await web.get(`/plans/${planId}/next/with-adopters`)).statusCode
      },
    },
    {
      name: 'record the panel’s decision, at panel',
      run: async ({ web }) => {
        await planStatus('at-panel')
        return (await web.get(`/plans/${planId}/next/match-approved`)).statusCode
      },
    },
    {
      name: 'sign off the plan',
      run: async ({ web }) => {
        await planStatus('draft')
        await web.get('/children')
        const response = await web.post(`/plans/${planId}/sign-off`, {})
        return response.statusCode === 303 ? 200 : response.statusCode
      },
    },
    { name: 'list the plan’s guidance', run: async ({ web }) => (await web.get('/guidance')).statusCode },
    {
      name: 'change the plan’s guidance',
      run: async ({ web }) => {
        await web.get('/children')
        const response = await web.post('/guidance/child.whoTheyAre', {
          hint: 'Matrix wording',
          action: 'save',
        })
        return response.statusCode === 303 ? 200 : response.statusCode
      },
    },
    {
      name: 'see the reviews of the plan, once placed',
      run: async ({ web }) => {
        await planStatus('agreed')
        return (await web.get(`/plans/${planId}/reviews`)).statusCode
      },
    },
    {
      name: 'see the reviews of the plan (API)',
      run: ({ token }) => api(token, 'GET', `/api/v1/plans/${planId}/reviews`),
    },
    {
      name: 'record the placement',
      run: async ({ web }) => (await web.get(`/plans/${planId}/placement`)).statusCode,
    },
    {
      name: 'record the placement (API)',
      run: async ({ token }) => {
        // A date in the future: allowed people are told why not (422), others are refused.
        const status = await api(token, 'PUT', `/api/v1/plans/${planId}/placement`, {
          placedOn: '2999-01-01',
        })
        return status === 422 ? 200 : status
      },
    },
    {
      name: 'start a review',
      run: async ({ web }) => (await web.get(`/plans/${planId}/reviews/new`)).statusCode,
    },
    {
      name: 'write the before-review part',
      run: async ({ web }) => (await web.get(`/plans/${planId}/reviews/${reviewId}/before`)).statusCode,
    },
    {
      name: 'record the review, after it',
      run: async ({ web }) => (await web.get(`/plans/${planId}/reviews/${reviewId}/after`)).statusCode,
    },
    {
      name: 'record the review, after it (API)',
      run: async ({ token }) => {
        // Held in the future: the allocated IRO is told why not (422), others are refused.
        const status = await api(token, 'PUT', `/api/v1/plans/${planId}/reviews/${reviewId}/after`, {
          heldOn: '2999-01-01',
          recommendations: 'Matrix',
          visitFrequency: 'Matrix',
        })
        return status === 422 ? 200 : status
      },
    },
    {
      name: 'see the birth relatives’ answers to section 4',
      run: async ({ web }) => {
        await planStatus('draft')
        return (await web.get(`/plans/${planId}/birth-family`)).statusCode
      },
    },
    {
      name: 'see a birth relative’s paper signature',
      run: async ({ web }) => {
        await planStatus('draft')
        return (await web.get(`/plans/${planId}/birth-family/signatures/${signatureId}/scan`)).statusCode
      },
    },
    {
      name: 'ask a birth relative to confirm section 4',
      run: async ({ web }) => {
        await planStatus('draft')
        return (await web.get(`/plans/${planId}/birth-family/${relativeId}/share`)).statusCode
      },
    },
    {
      name: 'see who has seen the child’s record',
      run: async ({ web }) => (await web.get(`/audit/children/${childId}`)).statusCode,
    },
    {
      name: 'read a section of the plan, after the panel',
      run: async ({ web }) => {
        await planStatus('match-approved')
        return (await web.get(`/plans/${planId}/sections/child/read`)).statusCode
      },
    },
    // The adopters' part (ADR 0016): each form is sent empty, so those allowed are told what is
    // missing (422) and nothing is written; the others are refused before the form is read.
    {
      name: 'comment on the plan, while shared',
      run: async ({ web }) => {
        await planStatus('with-adopters')
        await web.get('/adopters-guide')
        return toAllowed(await web.post(`/plans/${planId}/sections/child/comments`, { comment: '' }))
      },
    },
    {
      name: 'answer the adopters’ comments',
      run: async ({ web }) => {
        await web.get('/adopters-guide')
        return toAllowed(await web.post(`/plans/${planId}/comments/${unknownId}`, {}))
      },
    },
    {
      name: 'write the adopters’ views, while shared',
      run: async ({ web }) => {
        await web.get('/adopters-guide')
        return toAllowed(await web.post(`/plans/${planId}/your-views`, { views: '' }))
      },
    },
    {
      name: 'ask for a review, while shared',
      run: async ({ web }) => (await web.get(`/plans/${planId}/review-requests/new`)).statusCode,
    },
    {
      name: 'answer a request for a review',
      run: async ({ web }) => {
        await web.get('/adopters-guide')
        return toAllowed(await web.post(`/plans/${planId}/review-requests/${unknownId}`, {}))
      },
    },
    {
      name: 'record a planning meeting',
      run: async ({ web }) => (await web.get(`/plans/${planId}/meetings/new`)).statusCode,
    },
    {
      name: 'acknowledge the agreed plan',
      run: async ({ web }) => {
        await planStatus('agreed')
        return (await web.get(`/plans/${planId}/acknowledgement`)).statusCode
      },
    },
    { name: 'see the agency’s Barometer', run: async ({ web }) => (await web.get('/barometer')).statusCode },
    { name: 'see one’s own home page', run: async ({ web }) => (await web.get('/home')).statusCode },
  ]

  for (const check of checks) {
    test(check.name, async () => {
      const row = expected[check.name] as Outcome[]
      const wrong: string[] = []
      for (const [index, person] of people.entries()) {
        const status = await check.run(who.get(person) as Who)
        const outcome: Outcome = allowed(status) ? 'allow' : 'deny'
        if (outcome !== row[index]) wrong.push(`${person}: expected ${row[index]}, got ${status}`)
        // A refusal never reveals that the record exists when the person has no business with it.
        if (outcome === 'deny' && status >= 500) wrong.push(`${person}: answered ${status}`)
      }
      assert.deepEqual(wrong, [])
    })
  }

  test('docs/security.md shows this matrix', () => {
    const mark = (outcome: Outcome | undefined) => (outcome === 'allow' ? '✓' : '–')
    const table = [
      `| action | ${people.join(' | ')} |`,
      `| --- | ${people.map(() => ':-:').join(' | ')} |`,
      ...Object.entries(expected).map(
        ([action, row]) => `| ${action} | ${people.map((_, i) => mark(row[i])).join(' | ')} |`,
      ),
    ].join('\n')
    const document = readFileSync(new URL('../docs/security.md', import.meta.url), 'utf8')
    assert.ok(document.includes(table), `docs/security.md should contain:\n\n${table}\n`)
  })
})
