import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { type TestApp, type TestUser, testApp } from '../../../test/support/app.ts'
import { agreedPlan } from '../../../test/support/placements.ts'
import { WebClient } from '../../../test/support/web-client.ts'

// The placement and the reviews through the pages: the worker records the placement and writes the
// before-review part, the allocated IRO records the review; each form refuses what is wrong with a
// GOV.UK error summary and shows again what was typed; the wrong person is refused (a social worker
// never reaches the IRO's part; an IRO not allocated to the child does not find it).

describe('placement and reviews, on the pages', () => {
  let t: TestApp
  let worker: WebClient
  let iro: WebClient
  let strangerIro: WebClient
  let planId: string
  let reviewId: string

  const date = (prefix: string, day: string, month: string, year: string) => ({
    [`${prefix}-day`]: day,
    [`${prefix}-month`]: month,
    [`${prefix}-year`]: year,
  })
  const versions = async () =>
    (await t.database.db.selectFrom('plan_versions').select('number').where('plan_id', '=', planId).execute())
      .length

  before(async () => {
    t = await testApp()
    const agencyId = await t.addAgency()
    const workerUser: TestUser = await t.addUser(agencyId, 'social-worker')
    const iroUser = await t.addUser(agencyId, 'iro')
    worker = new WebClient(t.app)
    await worker.signIn(workerUser)
    iro = new WebClient(t.app)
    await iro.signIn(iroUser)
    strangerIro = new WebClient(t.app)
    await strangerIro.signIn(await t.addUser(agencyId, 'iro'))
    planId = (await agreedPlan(t, workerUser, { iro: iroUser, dateAgreed: '2025-01-10' })).planId
  })
  after(() => t.close())

  test('the front page leads to the placement and the reviews; section 5 is open to read', async () => {
    const page = await worker.get(`/plans/${planId}`)
    assert.match(page.body, new RegExp(`href="/plans/${planId}/placement">Record the placement`))
    assert.match(page.body, new RegExp(`href="/plans/${planId}/reviews">Reviews of the plan`))
    assert.match(page.body, /Cannot start yet/, 'section 5 waits for the placement')
    const forIro = await iro.get(`/plans/${planId}`)
    assert.doesNotMatch(forIro.body, /Record the placement/, 'the IRO does not record the placement')
    assert.equal((await iro.get(`/plans/${planId}/placement`)).statusCode, 403)
    const schedule = await worker.get(`/plans/${planId}/reviews`)
    assert.match(schedule.body, /The schedule starts when the placement/)
    assert.doesNotMatch(schedule.body, /Start a review<\/a>/)
  })

  test('the placement form refuses a date in the future or before the date agreed, keeping what was typed', async () => {
    await worker.get(`/plans/${planId}/placement`)
    const future = await worker.post(`/plans/${planId}/placement`, {
      ...date('placedOn', '1', '1', '2999'),
      ...date('returnedOn', '', '', ''),
      ...date('authorityToPlaceOn', '', '', ''),
    })
    assert.equal(future.statusCode, 422)
    assert.match(future.body, /There is a problem/)
    assert.match(future.body, /href="#placedOn-day">The date of placement must be today or in the past/)
    assert.match(future.body, /name="placedOn-year" type="text" value="2999"/)
    const early = await worker.post(`/plans/${planId}/placement`, date('placedOn', '9', '1', '2025'))
    assert.equal(early.statusCode, 422)
    assert.match(early.body, /must be the same as or after the date the plan was agreed \(10 January 2025\)/)
    const empty = await worker.post(`/plans/${planId}/placement`, date('placedOn', '', '', ''))
    assert.match(empty.body, /href="#placedOn-day">Enter the date the child was placed with the adopters/)
    const halfTyped = await worker.post(`/plans/${planId}/placement`, date('placedOn', '20', '', '2025'))
    assert.match(halfTyped.body, /href="#placedOn-month">The date of placement must include a month/)
    assert.equal(await versions(), 0, 'nothing refused changed the plan')
  })

  test('the worker records the placement: the first review is due 4 weeks later', async () => {
    const placed = await worker.post(`/plans/${planId}/placement`, date('placedOn', '20', '1', '2025'))
    assert.equal(placed.headers.location, `/plans/${planId}/reviews?saved=placement`)
    assert.equal(await versions(), 1)
    const schedule = await worker.get(`/plans/${planId}/reviews?saved=placement`)
    assert.match(schedule.body, /The placement’s dates are recorded/)
    assert.match(schedule.body, /Review 1 after placement is due by <strong>17 February 2025<\/strong>/)
    assert.match(schedule.body, /Overdue/)
    assert.match(schedule.body, new RegExp(`href="/plans/${planId}/reviews/new"`))
    const front = await worker.get(`/plans/${planId}`)
    assert.match(front.body, /Placed with the adopters on 20 January 2025/)
    assert.match(front.body, new RegExp(`href="/plans/${planId}/sections/review"`))
    assert.match(front.body, /No review recorded yet/)
  })

  test('starting a review: the kind must be chosen; the reason typed is shown again', async () => {
    await worker.get(`/plans/${planId}/reviews/new`)
    const missing = await worker.post(`/plans/${planId}/reviews/new`, {
      reason: 'Adopters asked on the phone',
    })
    assert.equal(missing.statusCode, 422)
    assert.match(missing.body, /href="#kind">Select which review this is/)
    assert.match(missing.body, /Adopters asked on the phone<\/textarea>/)
    const started = await worker.post(`/plans/${planId}/reviews/new`, { kind: 'scheduled', reason: '' })
    assert.match(
      String(started.headers.location),
      new RegExp(`^/plans/${planId}/reviews/[0-9a-f-]{36}/before$`),
    )
    reviewId = String(started.headers.location).split('/')[4] as string
  })

  test('the before-review part needs every answer, and keeps what was typed when one is missing', async () => {
    await worker.get(`/plans/${planId}/reviews/${reviewId}/before`)
    const missing = await worker.post(`/plans/${planId}/reviews/${reviewId}/before`, {
      needsChanged: 'Ada sleeps through now; nursery three mornings a week.',
      childViews: '',
      adoptersViews: 'Sam wants help with the letterbox contact.',
    })
    assert.equal(missing.statusCode, 422)
    assert.match(missing.body, /href="#childViews">Enter the child’s views, or why they could not be given/)
    assert.match(missing.body, /Ada sleeps through now; nursery three mornings a week.<\/textarea>/)
    assert.match(missing.body, /Sam wants help with the letterbox contact.<\/textarea>/)
    const saved = await worker.post(`/plans/${planId}/reviews/${reviewId}/before`, {
      needsChanged: 'Ada sleeps through now; nursery three mornings a week.',
      childViews: 'Too young to say; she is happy at nursery.',
      adoptersViews: 'Sam wants help with the letterbox contact.',
    })
    assert.equal(saved.headers.location, `/plans/${planId}/reviews/${reviewId}?saved=before`)
    const review = await worker.get(`/plans/${planId}/reviews/${reviewId}?saved=before`)
    assert.match(review.body, /Too young to say; she is happy at nursery./)
    assert.match(
      review.body,
      /Written by\s*<\/dt>\s*<dd class="govuk-summary-list__value">\s*Test social-worker/,
    )
    assert.doesNotMatch(review.body, /Record the review<\/a>/, 'the worker does not record the review')
  })

  test('the IRO’s part is the allocated IRO’s alone', async () => {
    const after = `/plans/${planId}/reviews/${reviewId}/after`
    assert.equal((await worker.get(after)).statusCode, 403, 'a social worker cannot write the IRO’s part')
    await worker.get(`/plans/${planId}`)
    assert.equal(
      (
        await worker.post(after, {
          ...date('heldOn', '10', '2', '2025'),
          recommendations: 'x',
          visitFrequency: 'y',
        })
      ).statusCode,
      403,
    )
    assert.equal(
      (await strangerIro.get(after)).statusCode,
      404,
      'an IRO not allocated to the child does not find it',
    )
    assert.equal((await strangerIro.get(`/plans/${planId}/reviews`)).statusCode, 404)
    assert.equal((await iro.get(`/plans/${planId}/reviews/${reviewId}/before`)).statusCode, 403)
  })

  test('the IRO records the review: the date is needed, what was typed stays, then a version and a date updated', async () => {
    const after = `/plans/${planId}/reviews/${reviewId}/after`
    const page = await iro.get(after)
    assert.equal(page.statusCode, 200)
    assert.match(
      page.body,
      /Sam wants help with the letterbox contact./,
      'the worker’s part is there to read',
    )
    const noDate = await iro.post(after, {
      ...date('heldOn', '', '', ''),
      recommendations: 'Refer to the adoption support team for letterbox help.',
      visitFrequency: '',
    })
    assert.equal(noDate.statusCode, 422)
    assert.match(noDate.body, /href="#heldOn-day">Enter the date the review was held/)
    assert.match(noDate.body, /href="#visitFrequency">Enter how often the social worker visits/)
    assert.match(noDate.body, /Refer to the adoption support team for letterbox help.<\/textarea>/)
    const beforePlacement = await iro.post(after, {
      ...date('heldOn', '19', '1', '2025'),
      recommendations: 'Refer to the adoption support team for letterbox help.',
      visitFrequency: 'Every six weeks',
    })
    assert.equal(beforePlacement.statusCode, 422)
    assert.match(beforePlacement.body, /The review on 19 January 2025 is before placement/)
    assert.match(beforePlacement.body, /name="heldOn-day" type="text" value="19"/)
    const before = await versions()
    const recorded = await iro.post(after, {
      ...date('heldOn', '10', '2', '2025'),
      recommendations: 'Refer to the adoption support team for letterbox help.',
      visitFrequency: 'Every six weeks',
    })
    assert.equal(recorded.headers.location, `/plans/${planId}/reviews/${reviewId}?saved=recorded`)
    assert.equal(await versions(), before + 1)
    const review = await iro.get(`/plans/${planId}/reviews/${reviewId}?saved=recorded`)
    assert.match(review.body, /Review held on 10 February 2025/)
    assert.match(review.body, /Written by\s*<\/dt>\s*<dd class="govuk-summary-list__value">\s*Test iro/)

    const schedule = await iro.get(`/plans/${planId}/reviews`)
    assert.match(
      schedule.body,
      new RegExp(`href="/plans/${planId}/reviews/${reviewId}">Review 1 after placement`),
    )
    assert.match(schedule.body, /Review 2 after placement is due by <strong>10 May 2025<\/strong>/)
    const front = await worker.get(`/plans/${planId}`)
    assert.match(front.body, /1 review recorded/)
    assert.doesNotMatch(front.body, /Not updated yet/)
  })

  test('section 5 and the version show the review as it was recorded', async () => {
    const section = await worker.get(`/plans/${planId}/sections/review`)
    assert.equal(section.statusCode, 200)
    assert.match(section.body, /Review held on 10 February 2025/)
    assert.match(section.body, /Ada sleeps through now; nursery three mornings a week./)
    assert.match(section.body, /Refer to the adoption support team for letterbox help./)
    const last = await t.database.db
      .selectFrom('plan_versions')
      .select(['number', 'reason'])
      .where('plan_id', '=', planId)
      .orderBy('number', 'desc')
      .executeTakeFirstOrThrow()
    assert.equal(last.reason, 'Review recorded')
    const version = await worker.get(`/plans/${planId}/versions/${last.number}`)
    assert.match(
      version.body,
      /5. Review held on 10 February 2025: Recommendations that add to or change the support<\/th><td[^>]*>Refer to the adoption support team/,
    )
    assert.match(
      version.body,
      /5. Review held on 10 February 2025: After-review part written by<\/th><td[^>]*>Test iro/,
    )
    // The placement's own version came before the review: it has no reviews in it.
    const first = await worker.get(`/plans/${planId}/versions/1`)
    assert.doesNotMatch(first.body, /Review held on/)
  })
})
