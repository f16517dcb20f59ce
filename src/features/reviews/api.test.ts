import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import type { LightMyRequestResponse } from 'fastify'
import { type TestApp, type TestUser, testApp } from '../../../test/support/app.ts'
import { agreedPlan } from '../../../test/support/placements.ts'
import { accounts } from '../accounts/service.ts'

// Issue 5, acceptance 2, through the API: the review schedule as GET /plans/{id}/reviews gives it,
// worked out from the placement (PUT /plans/{id}/placement) and the reviews recorded (POST, then the
// worker's part and the IRO's part): no review held yet; reviews held early and late; an extra one;
// month ends (placed 31 January); the order made between reviews; the child returned. And who may
// write which part. The dates are in the past, so that "today" never refuses them.

type Method = 'GET' | 'POST' | 'PUT'
type Entry = {
  number: number
  phase: string
  dueOn: string
  heldOn: string | null
  kind: string
  reason: string | null
  rule: string
  state: string
  review: { id: string; status: string } | null
}

describe('the review schedule through the API', () => {
  let t: TestApp
  let worker: TestUser
  let iro: TestUser
  const tokens: Record<string, string> = {}

  const call = (
    who: string,
    method: Method,
    url: string,
    payload?: object,
  ): Promise<LightMyRequestResponse> =>
    t.app.inject({
      method,
      url: `/api/v1${url}`,
      payload,
      headers: { authorization: `Bearer ${tokens[who]}` },
    })
  const schedule = async (planId: string) => {
    const response = await call('worker', 'GET', `/plans/${planId}/reviews`)
    assert.equal(response.statusCode, 200, response.body)
    return response.json() as Entry[]
  }
  const dates = (entries: Entry[]) => entries.map((entry) => [entry.dueOn, entry.heldOn])

  const newPlan = async () => (await agreedPlan(t, worker, { iro })).planId
  const place = async (planId: string, body: object) => {
    const response = await call('worker', 'PUT', `/plans/${planId}/placement`, body)
    assert.equal(response.statusCode, 200, response.body)
    return response.json()
  }
  /** A review from start to record: the worker starts it and writes their part, the IRO records it. */
  const hold = async (planId: string, heldOn: string, kind = 'scheduled') => {
    const started = await call('worker', 'POST', `/plans/${planId}/reviews`, { kind })
    assert.equal(started.statusCode, 201, started.body)
    const id = started.json().id as string
    const beforePart = await call('worker', 'PUT', `/plans/${planId}/reviews/${id}/before`, {
      needsChanged: 'Settling well; sleep is better.',
      childViews: 'Likes the new school.',
      adoptersViews: 'Would like help with life story work.',
    })
    assert.equal(beforePart.statusCode, 200, beforePart.body)
    const recorded = await call('iro', 'PUT', `/plans/${planId}/reviews/${id}/after`, {
      heldOn,
      recommendations: 'Life story work with the adoption support team.',
      visitFrequency: 'Every six weeks',
    })
    assert.equal(recorded.statusCode, 200, recorded.body)
    return recorded.json()
  }

  before(async () => {
    t = await testApp()
    const agencyId = await t.addAgency()
    worker = await t.addUser(agencyId, 'social-worker')
    iro = await t.addUser(agencyId, 'iro')
    const strangerIro = await t.addUser(agencyId, 'iro')
    const tokensOf = accounts(t.database.db)
    tokens.worker = await tokensOf.addToken(worker.id, 1)
    tokens.iro = await tokensOf.addToken(iro.id, 1)
    tokens.strangerIro = await tokensOf.addToken(strangerIro.id, 1)
  })
  after(() => t.close())

  test('placed, no review held yet: the first is due 4 weeks after placement', async () => {
    const planId = await newPlan()
    assert.deepEqual(
      await schedule(planId),
      [],
      'nothing is due before the placement or the authority to place',
    )
    const placed = await place(planId, { placedOn: '2025-03-03' })
    assert.equal(placed.placedOn, '2025-03-03')
    assert.equal(placed.reviewsStopped, null)
    assert.equal(typeof placed.version, 'number', 'recording the placement takes a version')
    const entries = await schedule(planId)
    assert.deepEqual(entries, [
      {
        number: 1,
        phase: 'after-placement',
        dueOn: '2025-03-31',
        heldOn: null,
        kind: 'statutory',
        reason: null,
        rule: 'within 4 weeks of placement',
        state: 'overdue',
        review: null,
      },
    ])
    const again = await call('worker', 'GET', `/plans/${planId}/placement`)
    assert.deepEqual(again.json(), {
      authorityToPlaceOn: null,
      placedOn: '2025-03-03',
      orderMadeOn: null,
      returnedOn: null,
      placingAgencyResponsibleUntil: null,
      reviewsStopped: null,
    })
  })

  test('reviews held early and late: each next one is due from the one actually held', async () => {
    const planId = await newPlan()
    await place(planId, { placedOn: '2025-01-06' })
    await hold(planId, '2025-01-20')
    await hold(planId, '2025-05-12')
    const entries = await schedule(planId)
    assert.deepEqual(dates(entries), [
      ['2025-02-03', '2025-01-20'], // early: two weeks after placement
      ['2025-04-20', '2025-05-12'], // late: three weeks after its date
      ['2025-11-12', null], // 6 months from the late second
    ])
    assert.deepEqual(
      entries.map((entry) => [entry.state, entry.review?.status ?? null]),
      [
        ['held', 'recorded'],
        ['held', 'recorded'],
        ['overdue', null],
      ],
    )
  })

  test('an extra review, asked for by the adopters, counts as a review', async () => {
    const planId = await newPlan()
    await place(planId, { placedOn: '2025-01-06' })
    await hold(planId, '2025-01-27')
    await hold(planId, '2025-03-10', 'extra-requested')
    const entries = await schedule(planId)
    assert.deepEqual(
      entries.map((entry) => [entry.number, entry.dueOn, entry.heldOn, entry.kind, entry.reason]),
      [
        [1, '2025-02-03', '2025-01-27', 'statutory', null],
        [2, '2025-04-27', '2025-03-10', 'extra', 'adopters-request'],
        [3, '2025-09-10', null, 'statutory', null],
      ],
    )
  })

  test('month ends: placed on 31 January, the first review is due on 28 February', async () => {
    const planId = await newPlan()
    await place(planId, { placedOn: '2025-01-31' })
    assert.deepEqual(dates(await schedule(planId)), [['2025-02-28', null]])
    await hold(planId, '2025-02-28')
    await hold(planId, '2025-05-28')
    assert.deepEqual(dates(await schedule(planId)), [
      ['2025-02-28', '2025-02-28'],
      ['2025-05-28', '2025-05-28'], // 3 months from 28 February: 28 May, not the end of May
      ['2025-11-28', null],
    ])
  })

  test('the order made between reviews stops the schedule; no review starts after it', async () => {
    const planId = await newPlan()
    await place(planId, { placedOn: '2025-01-06' })
    await hold(planId, '2025-02-01')
    const order = await call('worker', 'POST', `/plans/${planId}/transitions`, {
      to: 'order-made',
      date: '2025-04-01',
    })
    assert.equal(order.statusCode, 200, order.body)
    assert.deepEqual(dates(await schedule(planId)), [['2025-02-03', '2025-02-01']])
    const placement = (await call('worker', 'GET', `/plans/${planId}/placement`)).json()
    assert.deepEqual(
      [placement.orderMadeOn, placement.reviewsStopped, placement.placingAgencyResponsibleUntil],
      ['2025-04-01', { reason: 'order-made', on: '2025-04-01' }, '2028-04-01'],
    )
    const refused = await call('worker', 'POST', `/plans/${planId}/reviews`, { kind: 'urgent' })
    assert.equal(refused.statusCode, 422)
    assert.deepEqual(refused.json().reasons, [
      'The adoption order was made on 1 April 2025: the reviews have stopped',
    ])
    // The placement is history now, and the order is the lifecycle's to record.
    const moved = await call('worker', 'PUT', `/plans/${planId}/placement`, { placedOn: '2025-01-07' })
    assert.deepEqual(moved.json().reasons, [
      'The adoption order has been made: the placement no longer changes',
    ])
    const otherOrder = await call('worker', 'PUT', `/plans/${planId}/placement`, {
      placedOn: '2025-01-06',
      orderMadeOn: '2025-04-02',
    })
    assert.deepEqual(otherOrder.json().reasons, [
      'The adoption order is recorded with the plan’s step “Record the adoption order”',
    ])
  })

  test('the child returned stops the schedule too', async () => {
    const planId = await newPlan()
    await place(planId, { placedOn: '2025-01-06' })
    await hold(planId, '2025-02-01')
    const returned = await place(planId, { placedOn: '2025-01-06', returnedOn: '2025-03-15' })
    assert.deepEqual(returned.reviewsStopped, { reason: 'returned', on: '2025-03-15' })
    assert.deepEqual(dates(await schedule(planId)), [['2025-02-03', '2025-02-01']])
    const early = await call('worker', 'PUT', `/plans/${planId}/placement`, {
      placedOn: '2025-01-06',
      returnedOn: '2025-01-05',
    })
    assert.deepEqual(early.json().reasons, ['The child’s return must be on or after the date of placement'])
    const order = await call('worker', 'POST', `/plans/${planId}/transitions`, {
      to: 'order-made',
      date: '2025-04-01',
    })
    assert.deepEqual(order.json().reasons, [
      'The child was returned to the agency: this placement ends without an adoption order',
    ])
  })

  test('before placement: the schedule runs from the authority to place', async () => {
    const planId = await newPlan()
    const recorded = await place(planId, { placedOn: null, authorityToPlaceOn: '2024-10-15' })
    assert.deepEqual([recorded.authorityToPlaceOn, recorded.placedOn], ['2024-10-15', null])
    const entries = await schedule(planId)
    assert.deepEqual(
      entries.map((entry) => [entry.phase, entry.dueOn, entry.rule]),
      [['before-placement', '2025-01-15', 'within 3 months of the authority to place']],
    )
  })

  test('the placement waits for the plan to be agreed, and is never in the future', async () => {
    const planId = await newPlan()
    await t.database.db
      .updateTable('plans')
      .set({ status: 'match-approved' })
      .where('id', '=', planId)
      .execute()
    const early = await call('worker', 'PUT', `/plans/${planId}/placement`, { placedOn: '2025-03-03' })
    assert.equal(early.statusCode, 422)
    assert.deepEqual(early.json().reasons, [
      'Record the plan as agreed at the placement planning meeting before the placement',
    ])
    await t.database.db.updateTable('plans').set({ status: 'agreed' }).where('id', '=', planId).execute()
    const future = await call('worker', 'PUT', `/plans/${planId}/placement`, { placedOn: '2999-01-01' })
    assert.deepEqual(future.json().reasons, ['The date of placement must be today or in the past'])
    const bad = await call('worker', 'PUT', `/plans/${planId}/placement`, { placedOn: '2025-02-30' })
    assert.equal(bad.statusCode, 400, 'not a date at all is the schema’s to refuse')
    const versions = await t.database.db
      .selectFrom('plan_versions')
      .select('number')
      .where('plan_id', '=', planId)
      .execute()
    assert.equal(versions.length, 0, 'nothing refused changed anything')
    assert.equal(
      (await call('iro', 'PUT', `/plans/${planId}/placement`, { placedOn: '2025-03-03' })).statusCode,
      403,
    )
  })

  test('each part is written by its own person: the worker before, the allocated IRO after', async () => {
    const planId = await newPlan()
    await place(planId, { placedOn: '2025-01-06' })
    const started = await call('worker', 'POST', `/plans/${planId}/reviews`, {
      kind: 'urgent',
      reason: 'A crisis',
    })
    assert.equal(started.headers.location, `/api/v1/plans/${planId}/reviews/${started.json().id}`)
    const review = `/plans/${planId}/reviews/${started.json().id}`
    const second = await call('worker', 'POST', `/plans/${planId}/reviews`, { kind: 'scheduled' })
    assert.deepEqual(second.json().reasons, [
      'A review is already being prepared: record it before starting another',
    ])
    const afterPart = { heldOn: '2025-01-15', recommendations: 'Respite', visitFrequency: 'Weekly' }
    const tooSoon = await call('iro', 'PUT', `${review}/after`, afterPart)
    assert.equal(tooSoon.statusCode, 422)
    assert.deepEqual(tooSoon.json().reasons, ['The social worker writes the before-review part first'])
    assert.equal(
      (
        await call('iro', 'PUT', `${review}/before`, {
          needsChanged: 'x',
          childViews: 'y',
          adoptersViews: 'z',
        })
      ).statusCode,
      403,
      'the IRO does not write the worker’s part',
    )
    await call('worker', 'PUT', `${review}/before`, {
      needsChanged: 'x',
      childViews: 'y',
      adoptersViews: 'z',
    })
    assert.equal(
      (await call('worker', 'PUT', `${review}/after`, afterPart)).statusCode,
      403,
      'nor the worker the IRO’s',
    )
    assert.equal(
      (await call('strangerIro', 'PUT', `${review}/after`, afterPart)).statusCode,
      404,
      'an IRO not allocated to the child does not find it',
    )
    assert.equal((await call('strangerIro', 'GET', `/plans/${planId}/reviews`)).statusCode, 404)
    const empty = await call('iro', 'PUT', `${review}/after`, { ...afterPart, recommendations: '  ' })
    assert.equal(empty.statusCode, 400)

    const recorded = await call('iro', 'PUT', `${review}/after`, afterPart)
    assert.equal(recorded.statusCode, 200, recorded.body)
    const body = recorded.json()
    assert.equal(body.status, 'recorded')
    assert.equal(body.heldOn, '2025-01-15')
    assert.equal(body.after.recommendations, 'Respite')
    assert.equal(typeof body.version, 'number')
    const late = await call('worker', 'PUT', `${review}/before`, {
      needsChanged: 'a',
      childViews: 'b',
      adoptersViews: 'c',
    })
    assert.deepEqual(late.json().reasons, [
      'This review has been recorded: its before-review part no longer changes',
    ])

    // The plan has a date updated, and its version holds the review as it stood.
    const plan = (await call('worker', 'GET', `/plans/${planId}`)).json()
    assert.equal(plan.datesUpdated.length, 1)
    const version = (await call('worker', 'GET', `/plans/${planId}/versions/${body.version}`)).json()
    assert.equal(version.reason, 'Review recorded')
    assert.deepEqual(
      version.content.reviews.map(
        (one: { kind: string; heldOn: string; after: { recommendations: string } }) => [
          one.kind,
          one.heldOn,
          one.after.recommendations,
        ],
      ),
      [['urgent', '2025-01-15', 'Respite']],
    )
  })
})
