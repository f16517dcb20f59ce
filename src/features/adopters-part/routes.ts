import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { PLAN, sectionDefinition } from '../../plan/definition.ts'
import { type PlanStatus, STATUS_NAMES } from '../../plan/lifecycle.ts'
import { todayInEngland } from '../../platform/dates.ts'
import { type FieldErrors, formFields, fromFieldErrors } from '../../platform/forms.ts'
import { can } from '../../platform/policy.ts'
import { person, staff } from '../../platform/request-context.ts'
import type { Services } from '../../services.ts'
import { sectionView } from '../plans/routes.ts'
import { checkText, NAME_MAX, TEXT_MAX, VIEWS_MAX } from './form.ts'

// The adopters' part of the plan as pages (ADR 0016): each section to read, with its comments and
// a box to comment; the comments page, where workers answer and resolve and adopters reply; the
// adopters' own views; their acknowledgement of the agreed version; their review requests and the
// answers; the page that lists the plans shared with them; and the guide to the plan. A form is
// checked only once the person is known to be allowed it, so a refusal never shows the form.

type PlanParams = { id: string }
type SectionParams = { id: string; key: string }
type Typed = { values?: Record<string, string>; errors?: FieldErrors }

const SAVED: Record<string, string> = {
  comment: 'Your comment is sent. Your social worker will answer it.',
  answered: 'Answer saved',
  replied: 'Your reply is sent',
  views: 'Your views are saved',
  asked: 'Your request for a review is sent to your social worker, their manager and the reviewing officer',
  'request-answered': 'Answer sent',
  acknowledged: 'Thank you: your acknowledgement is recorded',
}

const sectionTitles = Object.fromEntries(
  PLAN.map((section) => [section.key, `${section.number}. ${section.title}`]),
)

const savedMessage = (request: FastifyRequest) =>
  SAVED[String((request.query as Record<string, unknown>).saved ?? '')] ?? null

/** The page again, as typed, with the error summary; 422 so that nothing takes it for a success. */
function withErrors(reply: FastifyReply, typed: Typed, order: string[] = []) {
  const errors = typed.errors ?? {}
  if (Object.keys(errors).length === 0) return { values: typed.values ?? {} }
  reply.code(422)
  return { values: typed.values ?? {}, ...fromFieldErrors(errors, order) }
}

export async function adoptersPartRoutes(app: FastifyInstance, { services }: { services: Services }) {
  const { plans } = services
  const { comments, reviewRequests, acknowledgements, views } = services.adoptersPart

  // ---- A section to read, with its comments ----

  async function showSection(
    request: FastifyRequest<{ Params: SectionParams }>,
    reply: FastifyReply,
    typed: Typed = {},
  ) {
    const actor = person(request)
    const found =
      actor && (await plans.section(actor, request.params.id, request.params.key, request.id, 'plan:view'))
    if (!actor || !found) return reply.callNotFound()
    const { plan, definition, state, memberNames } = found
    const access = await plans.facts(plan)
    return reply.render('adopters-part/views/read.njk', {
      title: `${definition.number}. ${definition.title}`,
      plan,
      definition,
      ...sectionView(definition, state.content, memberNames),
      ownViews: definition.key === 'adopters' ? await views.latest(plan.id) : null,
      threads: await comments.forSection(plan.id, definition.key),
      canComment: can(actor, 'plan:comment', access),
      canEdit: can(actor, 'plan:update', access),
      commentMax: TEXT_MAX,
      saved: savedMessage(request),
      ...withErrors(reply, typed, ['comment']),
    })
  }

  app.get<{ Params: SectionParams }>(
    '/plans/:id/sections/:key/read',
    { config: { permission: 'plan:view' } },
    (request, reply) => showSection(request, reply),
  )

  app.post<{ Params: SectionParams }>(
    '/plans/:id/sections/:key/comments',
    { config: { permission: 'plan:comment' } },
    async (request, reply) => {
      const actor = request.actor
      if (actor.kind !== 'adopter' || !sectionDefinition(request.params.key)) return reply.callNotFound()
      if (!(await plans.reach(actor, request.params.id, 'plan:comment'))) return reply.callNotFound()
      const values = formFields(request.body)
      const checked = checkText(values.comment, {
        missing: 'Enter your comment',
        tooLong: `Your comment must be ${TEXT_MAX} characters or fewer`,
      })
      if ('error' in checked)
        return showSection(request, reply, { values, errors: { comment: checked.error } })
      const added = await comments.add(
        actor,
        request.params.id,
        request.params.key,
        checked.value,
        request.id,
      )
      if (added.outcome === 'not-found') return reply.callNotFound()
      return reply.redirect(
        `/plans/${request.params.id}/sections/${request.params.key}/read?saved=comment`,
        303,
      )
    },
  )

  // ---- Every comment, with its thread ----

  async function showComments(
    request: FastifyRequest<{ Params: PlanParams }>,
    reply: FastifyReply,
    typed: Typed = {},
  ) {
    const actor = person(request)
    const found = actor && (await comments.page(actor, request.params.id, request.id))
    if (!actor || !found) return reply.callNotFound()
    const access = await plans.facts(found.plan)
    return reply.render('adopters-part/views/comments.njk', {
      title: 'Comments from the adopters',
      plan: found.plan,
      open: found.threads.filter((thread) => !thread.resolvedAt),
      resolved: found.threads.filter((thread) => thread.resolvedAt),
      sectionTitles,
      canAnswer: can(actor, 'plan:answer-comment', access),
      canReply: can(actor, 'plan:comment', access),
      textMax: TEXT_MAX,
      saved: savedMessage(request),
      ...withErrors(reply, typed),
    })
  }

  app.get<{ Params: PlanParams }>(
    '/plans/:id/comments',
    { config: { permission: 'plan:view' } },
    (request, reply) => showComments(request, reply),
  )

  app.post<{ Params: { id: string; commentId: string } }>(
    '/plans/:id/comments/:commentId',
    { config: { permission: 'plan:answer-comment' } },
    async (request, reply) => {
      const { id, commentId } = request.params
      if (!(await plans.reach(staff(request), id, 'plan:answer-comment'))) return reply.callNotFound()
      const values = formFields(request.body)
      const field = `answer-${commentId}`
      const answer = (values[field] ?? '').replaceAll('\r\n', '\n').trim()
      const resolve = values[`resolve-${commentId}`] === 'yes'
      let error: string | undefined
      if (!answer && !resolve) error = 'Enter an answer, or select that the comment is resolved'
      else if (answer.length > TEXT_MAX) error = `Your answer must be ${TEXT_MAX} characters or fewer`
      if (error) return showComments(request, reply, { values, errors: { [field]: error } })
      const saved = await comments.answer(staff(request), id, commentId, { answer, resolve }, request.id)
      if (saved.outcome === 'not-found') return reply.callNotFound()
      return reply.redirect(`/plans/${id}/comments?saved=answered`, 303)
    },
  )

  app.post<{ Params: { id: string; commentId: string } }>(
    '/plans/:id/comments/:commentId/replies',
    { config: { permission: 'plan:comment' } },
    async (request, reply) => {
      const actor = request.actor
      if (actor.kind !== 'adopter') return reply.callNotFound()
      const { id, commentId } = request.params
      if (!(await plans.reach(actor, id, 'plan:comment'))) return reply.callNotFound()
      const values = formFields(request.body)
      const field = `reply-${commentId}`
      const checked = checkText(values[field], {
        missing: 'Enter your reply',
        tooLong: `Your reply must be ${TEXT_MAX} characters or fewer`,
      })
      if ('error' in checked)
        return showComments(request, reply, { values, errors: { [field]: checked.error } })
      const replied = await comments.reply(actor, id, commentId, checked.value, request.id)
      if (replied.outcome === 'not-found') return reply.callNotFound()
      if (replied.outcome === 'resolved')
        return showComments(request, reply, {
          values,
          errors: {
            [`comment-${commentId}`]:
              'This comment has been resolved, so it takes no more replies. Add a new comment on the section instead',
          },
        })
      return reply.redirect(`/plans/${id}/comments?saved=replied`, 303)
    },
  )

  // ---- The adopters' own views ----

  async function showViews(
    request: FastifyRequest<{ Params: PlanParams }>,
    reply: FastifyReply,
    typed: Typed = {},
  ) {
    const actor = request.actor
    const found = actor.kind === 'adopter' && (await views.page(actor, request.params.id))
    if (!found) return reply.callNotFound()
    return reply.render('adopters-part/views/your-views.njk', {
      title: 'Your views of the plan',
      plan: found.plan,
      latest: found.latest,
      viewsMax: VIEWS_MAX,
      saved: savedMessage(request),
      ...withErrors(reply, {
        values: typed.values ?? { views: found.latest?.views ?? '' },
        errors: typed.errors,
      }),
    })
  }

  app.get<{ Params: PlanParams }>(
    '/plans/:id/your-views',
    { config: { permission: 'plan:give-views' } },
    (request, reply) => showViews(request, reply),
  )

  app.post<{ Params: PlanParams }>(
    '/plans/:id/your-views',
    { config: { permission: 'plan:give-views' } },
    async (request, reply) => {
      const actor = request.actor
      if (actor.kind !== 'adopter') return reply.callNotFound()
      const values = formFields(request.body)
      const checked = checkText(
        values.views,
        {
          missing: 'Enter your views of the plan',
          tooLong: `Your views must be ${VIEWS_MAX} characters or fewer`,
        },
        VIEWS_MAX,
      )
      if ('error' in checked) return showViews(request, reply, { values, errors: { views: checked.error } })
      const saved = await views.save(actor, request.params.id, checked.value, request.id)
      if (saved.outcome === 'not-found') return reply.callNotFound()
      return reply.redirect(`/plans/${request.params.id}/your-views?saved=views`, 303)
    },
  )

  // ---- Acknowledging the agreed version ----

  async function showAcknowledgement(
    request: FastifyRequest<{ Params: PlanParams }>,
    reply: FastifyReply,
    typed: Typed = {},
  ) {
    const actor = request.actor
    const found = actor.kind === 'adopter' && (await acknowledgements.page(actor, request.params.id))
    if (!found) return reply.callNotFound()
    return reply.render('adopters-part/views/acknowledgement.njk', {
      title: 'Acknowledge the agreed plan',
      plan: found.plan,
      agreed: found.agreed,
      mine: found.mine,
      today: todayInEngland(),
      nameMax: NAME_MAX,
      saved: savedMessage(request),
      ...withErrors(reply, typed, ['typedName']),
    })
  }

  app.get<{ Params: PlanParams }>(
    '/plans/:id/acknowledgement',
    { config: { permission: 'plan:acknowledge' } },
    (request, reply) => showAcknowledgement(request, reply),
  )

  app.post<{ Params: PlanParams }>(
    '/plans/:id/acknowledgement',
    { config: { permission: 'plan:acknowledge' } },
    async (request, reply) => {
      const actor = request.actor
      if (actor.kind !== 'adopter') return reply.callNotFound()
      const values = formFields(request.body)
      const checked = checkText(
        values.typedName,
        { missing: 'Enter your full name', tooLong: `Your name must be ${NAME_MAX} characters or fewer` },
        NAME_MAX,
      )
      if ('error' in checked)
        return showAcknowledgement(request, reply, { values, errors: { typedName: checked.error } })
      const done = await acknowledgements.acknowledge(actor, request.params.id, checked.value, request.id)
      if (done.outcome === 'not-found') return reply.callNotFound()
      return reply.redirect(`/plans/${request.params.id}/acknowledgement?saved=acknowledged`, 303)
    },
  )

  // ---- Review requests ----

  async function showRequests(
    request: FastifyRequest<{ Params: PlanParams }>,
    reply: FastifyReply,
    typed: Typed = {},
  ) {
    const actor = person(request)
    const found = actor && (await reviewRequests.page(actor, request.params.id, request.id))
    if (!actor || !found) return reply.callNotFound()
    const access = await plans.facts(found.plan)
    return reply.render('adopters-part/views/review-requests.njk', {
      title: 'Requests for a review',
      plan: found.plan,
      requests: found.requests,
      canAsk: can(actor, 'plan:ask-review', access),
      canAnswer: can(actor, 'plan:answer-review-request', access),
      textMax: TEXT_MAX,
      saved: savedMessage(request),
      ...withErrors(reply, typed),
    })
  }

  app.get<{ Params: PlanParams }>(
    '/plans/:id/review-requests',
    { config: { permission: 'plan:view' } },
    (request, reply) => showRequests(request, reply),
  )

  async function showAsk(
    request: FastifyRequest<{ Params: PlanParams }>,
    reply: FastifyReply,
    typed: Typed = {},
  ) {
    const actor = request.actor
    const plan = actor.kind === 'adopter' && (await plans.reach(actor, request.params.id, 'plan:ask-review'))
    if (!plan) return reply.callNotFound()
    return reply.render('adopters-part/views/ask-review.njk', {
      title: 'Ask for a review of the plan',
      plan,
      textMax: TEXT_MAX,
      ...withErrors(reply, typed, ['reason']),
    })
  }

  app.get<{ Params: PlanParams }>(
    '/plans/:id/review-requests/new',
    { config: { permission: 'plan:ask-review' } },
    (request, reply) => showAsk(request, reply),
  )

  app.post<{ Params: PlanParams }>(
    '/plans/:id/review-requests/new',
    { config: { permission: 'plan:ask-review' } },
    async (request, reply) => {
      const actor = request.actor
      if (actor.kind !== 'adopter') return reply.callNotFound()
      const values = formFields(request.body)
      const checked = checkText(values.reason, {
        missing: 'Enter why you are asking for a review',
        tooLong: `Your reason must be ${TEXT_MAX} characters or fewer`,
      })
      if ('error' in checked) return showAsk(request, reply, { values, errors: { reason: checked.error } })
      const asked = await reviewRequests.ask(actor, request.params.id, checked.value, request.id)
      if (asked.outcome === 'not-found') return reply.callNotFound()
      return reply.redirect(`/plans/${request.params.id}/review-requests?saved=asked`, 303)
    },
  )

  app.post<{ Params: { id: string; requestId: string } }>(
    '/plans/:id/review-requests/:requestId',
    { config: { permission: 'plan:answer-review-request' } },
    async (request, reply) => {
      const { id, requestId } = request.params
      if (!(await plans.reach(staff(request), id, 'plan:answer-review-request'))) return reply.callNotFound()
      const values = formFields(request.body)
      const field = `answer-${requestId}`
      const checked = checkText(values[field], {
        missing: 'Enter your answer to the request',
        tooLong: `Your answer must be ${TEXT_MAX} characters or fewer`,
      })
      if ('error' in checked)
        return showRequests(request, reply, { values, errors: { [field]: checked.error } })
      const answered = await reviewRequests.answer(staff(request), id, requestId, checked.value, request.id)
      if (answered.outcome === 'not-found') return reply.callNotFound()
      if (answered.outcome === 'already-answered')
        return showRequests(request, reply, {
          values,
          errors: {
            [`request-${requestId}`]: 'Someone else has answered this request: their answer is shown',
          },
        })
      return reply.redirect(`/plans/${id}/review-requests?saved=request-answered`, 303)
    },
  )

  // ---- The adopters' way in, and the guide ----

  app.get('/your-plan', { config: { permission: 'family:own' } }, async (request, reply) => {
    const actor = request.actor
    if (actor.kind !== 'adopter') return reply.callNotFound()
    const shared = await services.adoptersPart.sharedWith(actor)
    return reply.render('adopters-part/views/your-plan.njk', {
      title: 'Your adoption support plan',
      plans: shared.map((plan) => ({
        ...plan,
        statusText: STATUS_NAMES[plan.status as PlanStatus] ?? plan.status,
      })),
    })
  })

  app.get('/adopters-guide', { config: { permission: 'public' } }, async (_request, reply) =>
    reply.render('adopters-part/views/guide.njk', {
      title: 'Your adoption support plan: a guide for adopters',
    }),
  )
}
