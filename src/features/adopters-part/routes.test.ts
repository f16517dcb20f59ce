import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { type TestApp, testApp } from '../../../test/support/app.ts'
import { markAgreed, type SharedPlan, sharedPlan } from '../../../test/support/shared-plan.ts'
import { WebClient } from '../../../test/support/web-client.ts'

// The adopters' part through the pages (ADR 0016): adopters comment only on their own family's plan
// and only while it is shared; the plan's writers answer and resolve; their views, their requests
// for a review and their acknowledgement of the agreed version; the planning meetings. Every form
// that is refused shows what was typed again, with the error summary.

describe('the adopters’ part of the plan', () => {
  let t: TestApp
  let shared: SharedPlan
  let other: SharedPlan
  let worker: WebClient
  let manager: WebClient
  let iro: WebClient
  let adopter: WebClient
  let otherAdopter: WebClient
  let otherAgencyWorker: WebClient
  let supportWorker: WebClient
  let planId: string

  const db = () => t.database.db
  const signedIn = async (user: Parameters<WebClient['signIn']>[0]) => {
    const client = new WebClient(t.app)
    await client.signIn(user)
    return client
  }
  const auditCount = async (what: string) =>
    (await db().selectFrom('audit_events').select('seq').where('what', '=', what).execute()).length
  const planChanges = async () =>
    (await db().selectFrom('plan_changes').select('id').where('plan_id', '=', planId).execute()).length
  const firstComment = () =>
    db()
      .selectFrom('plan_comments')
      .selectAll()
      .where('plan_id', '=', planId)
      .orderBy('written_at')
      .executeTakeFirstOrThrow()

  before(async () => {
    t = await testApp()
    shared = await sharedPlan(t)
    other = await sharedPlan(t, { child: 'Ned', adopterFirst: 'Lin', adopterLast: 'Quill' })
    planId = shared.planId
    worker = await signedIn(shared.worker)
    manager = await signedIn(shared.manager)
    iro = await signedIn(shared.iro)
    adopter = await signedIn(shared.adopter)
    otherAdopter = await signedIn(other.adopter)
    otherAgencyWorker = await signedIn(other.worker)
    supportWorker = await signedIn(await t.addUser(shared.agencyId, 'support-worker'))
  })
  after(() => t.close())

  test('the adopter finds the shared plan, and every section links to a page to read it', async () => {
    const mine = await adopter.get('/your-plan')
    assert.match(mine.body, new RegExp(`href="/plans/${planId}">Read Ada’s plan`))
    assert.doesNotMatch(mine.body, /Ned/)
    const front = await adopter.get(`/plans/${planId}`)
    assert.equal(front.statusCode, 200)
    assert.match(front.body, new RegExp(`href="/plans/${planId}/sections/child/read"`))
    assert.match(front.body, /Your part in the plan/)
    assert.match(front.body, /href="\/adopters-guide"/, 'the guide is one click away')
    const read = await adopter.get(`/plans/${planId}/sections/child/read`)
    assert.equal(read.statusCode, 200)
    assert.match(read.body, /Comment on this section/)
  })

  test('a comment that is empty or too long is refused, and what was typed stays', async () => {
    const empty = await adopter.post(`/plans/${planId}/sections/child/comments`, { comment: '   ' })
    assert.equal(empty.statusCode, 422)
    assert.match(empty.body, /href="#comment">Enter your comment/)
    const long = 'Why so long? '.repeat(200)
    const tooLong = await adopter.post(`/plans/${planId}/sections/child/comments`, { comment: long })
    assert.equal(tooLong.statusCode, 422)
    assert.match(tooLong.body, /Your comment must be 2000 characters or fewer/)
    assert.ok(tooLong.body.includes('Why so long? Why so long?'), 'the typed text is shown again')
    assert.equal((await db().selectFrom('plan_comments').select('id').execute()).length, 0)
  })

  test('the adopter comments on a section; the plan itself does not change', async () => {
    const changesBefore = await planChanges()
    const sent = await adopter.post(`/plans/${planId}/sections/child/comments`, {
      comment: 'Could the plan say who helps with school transitions?',
    })
    assert.equal(sent.statusCode, 303)
    assert.equal(sent.headers.location, `/plans/${planId}/sections/child/read?saved=comment`)
    const comment = await firstComment()
    assert.equal(comment.section, 'child')
    assert.equal(comment.written_by, shared.adopter.id)
    assert.equal(comment.resolved_at, null)
    assert.equal(await planChanges(), changesBefore)
    assert.equal(await auditCount('plan-comment-added'), 1)
    const page = await adopter.get(`/plans/${planId}/sections/child/read?saved=comment`)
    assert.match(page.body, /Your comment is sent/)
    assert.match(page.body, /who helps with school transitions/)
  })

  test('only the family’s adopters comment, and only on their own shared plan', async () => {
    const elsewhere = await otherAdopter.post(`/plans/${planId}/sections/child/comments`, {
      comment: 'Hello',
    })
    assert.equal(elsewhere.statusCode, 404)
    assert.equal((await otherAdopter.get(`/plans/${planId}/comments`)).statusCode, 404)
    assert.equal((await otherAdopter.get(`/plans/${planId}/sections/child/read`)).statusCode, 404)
    assert.equal((await otherAgencyWorker.get(`/plans/${planId}/comments`)).statusCode, 404)
    const staffComment = await worker.post(`/plans/${planId}/sections/child/comments`, { comment: 'Me too' })
    assert.equal(staffComment.statusCode, 403, 'comments are the adopters’ words')
    // A plan back in draft is not shared: nothing to read, nothing to comment on.
    await db().updateTable('plans').set({ status: 'draft' }).where('id', '=', planId).execute()
    try {
      assert.equal((await adopter.get(`/plans/${planId}/sections/child/read`)).statusCode, 404)
      const draft = await adopter.post(`/plans/${planId}/sections/child/comments`, { comment: 'Hello' })
      assert.equal(draft.statusCode, 404)
    } finally {
      await db().updateTable('plans').set({ status: 'with-adopters' }).where('id', '=', planId).execute()
    }
    assert.equal((await db().selectFrom('plan_comments').select('id').execute()).length, 1)
  })

  test('the worker answers; neither an answer nor resolving keeps the typed text with an error', async () => {
    const comment = await firstComment()
    const page = await worker.get(`/plans/${planId}/comments`)
    assert.match(page.body, /Open comments \(1\)/)
    assert.match(page.body, new RegExp(`name="answer-${comment.id}"`))
    const nothing = await worker.post(`/plans/${planId}/comments/${comment.id}`, {})
    assert.equal(nothing.statusCode, 422)
    assert.match(nothing.body, /Enter an answer, or select that the comment is resolved/)
    const answered = await worker.post(`/plans/${planId}/comments/${comment.id}`, {
      [`answer-${comment.id}`]: 'Yes: the virtual school, from September.',
    })
    assert.equal(answered.statusCode, 303)
    assert.equal(await auditCount('plan-comment-answered'), 1)
    const thread = await adopter.get(`/plans/${planId}/comments`)
    assert.match(
      thread.body,
      /answered, .*:<\/p>\s*<p class="govuk-body app-preserve-lines">Yes: the virtual school/,
    )
    assert.equal((await adopter.post(`/plans/${planId}/comments/${comment.id}`, {})).statusCode, 403)
  })

  test('the adopter replies in the thread; once resolved the thread takes no more', async () => {
    const comment = await firstComment()
    const empty = await adopter.post(`/plans/${planId}/comments/${comment.id}/replies`, {
      [`reply-${comment.id}`]: '',
    })
    assert.equal(empty.statusCode, 422)
    assert.match(empty.body, /Enter your reply/)
    const replied = await adopter.post(`/plans/${planId}/comments/${comment.id}/replies`, {
      [`reply-${comment.id}`]: 'Thank you',
    })
    assert.equal(replied.statusCode, 303)
    const resolved = await worker.post(`/plans/${planId}/comments/${comment.id}`, {
      [`resolve-${comment.id}`]: 'yes',
    })
    assert.equal(resolved.statusCode, 303)
    assert.ok((await firstComment()).resolved_at)
    assert.equal(await auditCount('plan-comment-resolved'), 1)
    const late = await adopter.post(`/plans/${planId}/comments/${comment.id}/replies`, {
      [`reply-${comment.id}`]: 'One more thing',
    })
    assert.equal(late.statusCode, 422)
    assert.match(late.body, /This comment has been resolved/)
    const page = await worker.get(`/plans/${planId}/comments`)
    assert.match(page.body, /Open comments \(0\)/)
    assert.match(page.body, /Resolved comments \(1\)/)
    assert.match(page.body, /Resolved<\/strong> by Test social-worker/)
    const front = await worker.get(`/plans/${planId}`)
    assert.match(front.body, /0 open, 1 resolved/)
  })

  test('the adopters’ own views are shown in section 3, marked as their own words', async () => {
    const empty = await adopter.post(`/plans/${planId}/your-views`, { views: '' })
    assert.equal(empty.statusCode, 422)
    assert.match(empty.body, /Enter your views of the plan/)
    const saved = await adopter.post(`/plans/${planId}/your-views`, {
      views: 'We would like more on life story work.',
    })
    assert.equal(saved.statusCode, 303)
    const read = await adopter.get(`/plans/${planId}/sections/adopters/read`)
    assert.match(read.body, /The adopters’ views, in their own words/)
    assert.match(read.body, /We would like more on life story work\./)
    const form = await worker.get(`/plans/${planId}/sections/adopters`)
    assert.match(form.body, /The adopters’ views, in their own words[\s\S]*more on life story work/)
    assert.equal((await worker.post(`/plans/${planId}/your-views`, { views: 'x' })).statusCode, 403)
    assert.equal((await otherAdopter.post(`/plans/${planId}/your-views`, { views: 'x' })).statusCode, 404)
  })

  test('a review request reaches the worker, the manager and the IRO, and one answer closes it', async () => {
    const empty = await adopter.post(`/plans/${planId}/review-requests/new`, { reason: '' })
    assert.equal(empty.statusCode, 422)
    assert.match(empty.body, /href="#reason">Enter why you are asking for a review/)
    const asked = await adopter.post(`/plans/${planId}/review-requests/new`, {
      reason: 'School has changed and we need help.',
    })
    assert.equal(asked.headers.location, `/plans/${planId}/review-requests?saved=asked`)
    const request = await db()
      .selectFrom('plan_review_requests')
      .selectAll()
      .where('plan_id', '=', planId)
      .executeTakeFirstOrThrow()
    assert.equal(request.answered_at, null)
    for (const person of [worker, manager, iro]) {
      const front = await person.get(`/plans/${planId}`)
      assert.match(front.body, /The adopters have asked for a review: 1 request is not answered yet/)
      const list = await person.get(`/plans/${planId}/review-requests`)
      assert.match(list.body, /School has changed and we need help\./)
      assert.match(list.body, new RegExp(`name="answer-${request.id}"`))
    }
    const blank = await iro.post(`/plans/${planId}/review-requests/${request.id}`, {
      [`answer-${request.id}`]: ' ',
    })
    assert.equal(blank.statusCode, 422)
    assert.match(blank.body, /Enter your answer to the request/)
    assert.equal(
      (
        await supportWorker.post(`/plans/${planId}/review-requests/${request.id}`, {
          [`answer-${request.id}`]: 'No',
        })
      ).statusCode,
      403,
    )
    assert.equal(
      (
        await otherAgencyWorker.post(`/plans/${planId}/review-requests/${request.id}`, {
          [`answer-${request.id}`]: 'No',
        })
      ).statusCode,
      404,
    )
    const answered = await iro.post(`/plans/${planId}/review-requests/${request.id}`, {
      [`answer-${request.id}`]: 'A review is arranged for 3 June.',
    })
    assert.equal(answered.statusCode, 303)
    const again = await manager.post(`/plans/${planId}/review-requests/${request.id}`, {
      [`answer-${request.id}`]: 'Me too',
    })
    assert.equal(again.statusCode, 422)
    assert.match(again.body, /Someone else has answered this request/)
    const stored = await db()
      .selectFrom('plan_review_requests')
      .selectAll()
      .where('id', '=', request.id)
      .executeTakeFirstOrThrow()
    assert.equal(stored.answer, 'A review is arranged for 3 June.')
    assert.equal(stored.answered_by, shared.iro.id)
    const mine = await adopter.get(`/plans/${planId}/review-requests`)
    assert.match(mine.body, /A review is arranged for 3 June\./)
    assert.equal(await auditCount('plan-review-requested'), 1)
    assert.equal(await auditCount('plan-review-request-answered'), 1)
  })

  test('the agreed version is acknowledged with a typed name, the day, its number and hash', async () => {
    assert.equal((await adopter.get(`/plans/${planId}/acknowledgement`)).statusCode, 404, 'not agreed yet')
    const version = await markAgreed(t, planId, shared.worker.id)
    const hash = (
      await db()
        .selectFrom('plan_versions')
        .select('content_hash')
        .where('plan_id', '=', planId)
        .where('number', '=', version)
        .executeTakeFirstOrThrow()
    ).content_hash
    const page = await adopter.get(`/plans/${planId}/acknowledgement`)
    assert.match(page.body, new RegExp(`Version ${version}`))
    assert.ok(page.body.includes(hash))
    const front = await adopter.get(`/plans/${planId}`)
    assert.match(front.body, /acknowledge the agreed plan \(version/)
    const empty = await adopter.post(`/plans/${planId}/acknowledgement`, { typedName: '' })
    assert.equal(empty.statusCode, 422)
    assert.match(empty.body, /href="#typedName">Enter your full name/)
    const done = await adopter.post(`/plans/${planId}/acknowledgement`, { typedName: 'Sam Reid' })
    assert.equal(done.statusCode, 303)
    await adopter.post(`/plans/${planId}/acknowledgement`, { typedName: 'Sam Reid again' })
    const rows = await db()
      .selectFrom('plan_acknowledgements')
      .selectAll()
      .where('plan_id', '=', planId)
      .execute()
    assert.equal(rows.length, 1, 'once for each version')
    assert.equal(rows[0]?.version_number, version)
    assert.equal(rows[0]?.content_hash, hash)
    assert.equal(rows[0]?.typed_name, 'Sam Reid')
    const staffFront = await worker.get(`/plans/${planId}`)
    assert.match(
      staffFront.body,
      new RegExp(`Acknowledged by Sam Reid on \\d+ \\w+ \\d{4}, version ${version}`),
    )
    assert.equal((await worker.post(`/plans/${planId}/acknowledgement`, { typedName: 'x' })).statusCode, 403)
    assert.equal(await auditCount('plan-acknowledged'), 1)
  })

  test('the worker records a planning meeting; mistakes keep what was typed', async () => {
    assert.equal((await adopter.get(`/plans/${planId}/meetings/new`)).statusCode, 403)
    assert.equal((await otherAgencyWorker.get(`/plans/${planId}/meetings/new`)).statusCode, 404)
    await worker.get(`/plans/${planId}/meetings/new`)
    const wrong = await worker.post(`/plans/${planId}/meetings/new`, {
      'heldOn-day': '31',
      'heldOn-month': '2',
      'heldOn-year': '2026',
      attended: 'Sam Reid, adopter',
      supportService: '',
      agreed: 'Therapy from May',
    })
    assert.equal(wrong.statusCode, 422)
    assert.match(wrong.body, /The date of the meeting must be a real date/)
    assert.match(wrong.body, /Enter the adoption support service consulted/)
    assert.match(wrong.body, /Sam Reid, adopter/)
    const future = await worker.post(`/plans/${planId}/meetings/new`, {
      'heldOn-day': '1',
      'heldOn-month': '1',
      'heldOn-year': '2999',
      attended: 'Sam Reid, adopter',
      supportService: 'Adoption support team',
      agreed: 'Therapy from May',
    })
    assert.match(future.body, /must be today or in the past/)
    const recorded = await worker.post(`/plans/${planId}/meetings/new`, {
      'heldOn-day': '2',
      'heldOn-month': '3',
      'heldOn-year': '2026',
      attended: 'Sam Reid, adopter\nJo Bell, social worker',
      supportService: 'Adoption support team (Kim Lee)',
      agreed: 'Therapeutic parenting course from May',
    })
    assert.equal(recorded.headers.location, `/plans/${planId}?saved=meeting#meetings`)
    const front = await worker.get(`/plans/${planId}?saved=meeting`)
    assert.match(front.body, /Planning meeting recorded/)
    assert.match(front.body, /Meeting on 2 March 2026/)
    assert.match(front.body, /Adoption support team \(Kim Lee\)/)
    assert.equal(await auditCount('plan-meeting-recorded'), 1)
  })

  test('the guide is a plain page anyone may read, and adopters reach it from every page', async () => {
    const guide = await t.app.inject({ method: 'GET', url: '/adopters-guide' })
    assert.equal(guide.statusCode, 200)
    assert.match(guide.body, /You can ask for a review at any time/)
    for (const url of [`/plans/${planId}/comments`, `/plans/${planId}/versions`, '/your-plan']) {
      const page = await adopter.get(url)
      assert.match(page.body, /href="\/adopters-guide"/, url)
    }
  })
})
