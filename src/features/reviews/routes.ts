import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { type PlanStatus, STATUS_NAMES } from '../../plan/lifecycle.ts'
import { PLACEMENT_LABELS, type PlacementField, type PlacementRequest } from '../../plan/placement.ts'
import {
  AFTER_FIELDS,
  afterPart,
  BEFORE_FIELDS,
  beforePart,
  REASON_MAX,
  REVIEW_KIND_NAMES,
  REVIEW_RECORD_KINDS,
  REVIEW_STATUS_NAMES,
  type ReviewRecordKind,
} from '../../plan/review-records.ts'
import { REVIEW_DUE_SOON_DAYS } from '../../plan/reviews.ts'
import { dateParts, parseDateInput } from '../../platform/date-input.ts'
import { formatDate } from '../../platform/dates.ts'
import { formErrors, formFields, fromFieldErrors } from '../../platform/forms.ts'
import { can } from '../../platform/policy.ts'
import { person, staff } from '../../platform/request-context.ts'
import type { Services } from '../../services.ts'

// The placement and the reviews as pages: the schedule (/plans/:id/reviews) with the reviews held
// and the next one due; the placement's dates; starting a review; the social worker's part before
// it and the reviewing officer's part after it; one review's record; and section 5 of the plan,
// every review's record as it stands. Forms re-show what was typed with a GOV.UK error summary.

type PlanParams = { id: string }
type ReviewParams = { id: string; reviewId: string }
type Typed = { values?: Record<string, string>; errors?: Record<string, string>; reasons?: string[] }

const SAVED: Record<string, string> = {
  placement: 'The placement’s dates are recorded: a new version of the plan is kept',
  'placement-unchanged': 'Nothing changed: the placement’s dates were already recorded as they are',
  before: 'The before-review part is saved',
  recorded: 'The review is recorded: a new version of the plan is kept, and the plan’s date updated',
}

const STATE_TAGS: Record<string, { text: string; classes: string }> = {
  held: { text: 'Held', classes: 'govuk-tag--green' },
  'due-soon': { text: 'Due soon', classes: 'govuk-tag--yellow' },
  overdue: { text: 'Overdue', classes: 'govuk-tag--red' },
  upcoming: { text: 'Not due yet', classes: 'govuk-tag--grey' },
}

/** The fields of a date input as the form shows them, from an ISO date. */
function dateFields(prefix: string, iso: string | null): Record<string, string> {
  if (!iso) return {}
  const [year, month, day] = iso.split('-')
  return {
    [`${prefix}-day`]: String(Number(day)),
    [`${prefix}-month`]: String(Number(month)),
    [`${prefix}-year`]: year ?? '',
  }
}

/** Errors, and reasons that belong to no one field, as the layout's error summary wants them. */
function errorPage(errors: Record<string, string>, order: readonly string[], reasons: string[] = []) {
  if (Object.keys(errors).length === 0 && reasons.length === 0) return {}
  const page = fromFieldErrors(errors, order)
  return {
    errors: { ...errors, ...(reasons.length > 0 ? { reasons: reasons.join(' ') } : {}) },
    errorList: [...page.errorList, ...reasons.map((text) => ({ text, href: '#reasons' }))],
  }
}

const saved = (request: FastifyRequest) =>
  SAVED[String((request.query as Record<string, unknown>).saved ?? '')] ?? null

export async function reviewRoutes(app: FastifyInstance, { services }: { services: Services }) {
  const { reviews, plans } = services

  // The schedule, the placement's dates and the reviews held.
  app.get<{ Params: PlanParams }>(
    '/plans/:id/reviews',
    { config: { permission: 'plan:view' } },
    async (request, reply) => {
      const actor = person(request)
      const found = actor && (await reviews.schedule(actor, request.params.id, request.id))
      if (!actor || !found) return reply.callNotFound()
      const access = await plans.facts(found.plan)
      const start = can(actor, 'plan:review-prepare', access)
        ? await reviews.startOptions(staff(request), found.plan.id)
        : null
      return reply.render('reviews/views/schedule.njk', {
        title: 'Reviews of the plan',
        plan: found.plan,
        placement: found.placement,
        schedule: found.schedule,
        records: Object.fromEntries(found.records.map((record) => [record.id, record])),
        stateTags: STATE_TAGS,
        kindNames: REVIEW_KIND_NAMES,
        statusNames: REVIEW_STATUS_NAMES,
        dueSoonDays: REVIEW_DUE_SOON_DAYS,
        today: found.today,
        canPlace: can(actor, 'plan:placement', access),
        start,
        saved: saved(request),
      })
    },
  )

  // Section 5 of the plan: every review's record, for whoever reads the plan. It is filled here, not
  // on the section pages the other four share (src/plan/definition.ts, `filledElsewhere`).
  app.get<{ Params: PlanParams }>(
    '/plans/:id/sections/review',
    { config: { permission: 'plan:view' } },
    async (request, reply) => {
      const actor = person(request)
      const found = actor && (await reviews.schedule(actor, request.params.id, request.id))
      if (!found) return reply.callNotFound()
      return reply.render('reviews/views/section.njk', {
        title: '5. Review of the plan',
        plan: found.plan,
        records: [...found.records].reverse(),
        kindNames: REVIEW_KIND_NAMES,
        statusNames: REVIEW_STATUS_NAMES,
        datesUpdated: await reviews.datesUpdated(found.plan.id),
      })
    },
  )

  // The placement's dates.
  async function showPlacement(
    request: FastifyRequest<{ Params: PlanParams }>,
    reply: FastifyReply,
    typed: Typed = {},
  ) {
    const found = await reviews.placementFor(staff(request), request.params.id)
    if (!found) return reply.callNotFound()
    const { plan, placement } = found
    const errors = typed.errors ?? {}
    const reasons = typed.reasons ?? []
    if (Object.keys(errors).length > 0 || reasons.length > 0) reply.code(422)
    return reply.render('reviews/views/placement.njk', {
      title: placement.placedOn ? 'The placement’s dates' : 'Record the placement',
      plan,
      placement,
      statusText: STATUS_NAMES[plan.status as PlanStatus] ?? plan.status,
      values: typed.values ?? {
        ...dateFields('authorityToPlaceOn', placement.authorityToPlaceOn),
        ...dateFields('placedOn', placement.placedOn),
        ...dateFields('returnedOn', placement.returnedOn),
      },
      reasons,
      ...errorPage(
        errors,
        ['placedOn-day', 'placedOn-month', 'placedOn-year', 'returnedOn-day', 'authorityToPlaceOn-day'],
        reasons,
      ),
    })
  }

  app.get<{ Params: PlanParams }>(
    '/plans/:id/placement',
    { config: { permission: 'plan:placement' } },
    (request, reply) => showPlacement(request, reply),
  )

  app.post<{ Params: PlanParams }>(
    '/plans/:id/placement',
    { config: { permission: 'plan:placement' } },
    async (request, reply) => {
      const values = formFields(request.body)
      const errors: Record<string, string> = {}
      const asked: PlacementRequest = {}
      for (const field of ['placedOn', 'returnedOn', 'authorityToPlaceOn'] as const) {
        const parsed = parseDateInput(dateParts(values, field), PLACEMENT_LABELS[field])
        if ('error' in parsed) errors[`${field}-${parsed.part}`] = parsed.error
        else asked[field] = 'iso' in parsed ? parsed.iso : null
      }
      // A form sent with no date at all is a mistake, not a wish to record nothing.
      if (Object.keys(errors).length === 0 && Object.values(asked).every((date) => date === null))
        errors['placedOn-day'] = 'Enter the date the child was placed with the adopters'
      if (Object.keys(errors).length > 0) return showPlacement(request, reply, { values, errors })
      const outcome = await reviews.recordPlacement(staff(request), request.params.id, asked, request.id)
      if (outcome.outcome === 'not-found') return reply.callNotFound()
      if (outcome.outcome === 'refused') {
        const onField = (field: PlacementField | null) =>
          field === 'placedOn' || field === 'returnedOn' || field === 'authorityToPlaceOn'
        for (const problem of outcome.problems)
          if (onField(problem.field)) errors[`${problem.field}-day`] ??= problem.text
        const reasons = outcome.problems
          .filter((problem) => !onField(problem.field))
          .map((problem) => problem.text)
        return showPlacement(request, reply, { values, errors, reasons })
      }
      const savedAs = outcome.version === null ? 'placement-unchanged' : 'placement'
      return reply.redirect(`/plans/${request.params.id}/reviews?saved=${savedAs}`, 303)
    },
  )

  // Starting a review: the one due, or an extra one.
  async function showStart(
    request: FastifyRequest<{ Params: PlanParams }>,
    reply: FastifyReply,
    typed: Typed = {},
  ) {
    const options = await reviews.startOptions(staff(request), request.params.id)
    if (!options) return reply.callNotFound()
    const errors = typed.errors ?? {}
    const reasons = typed.reasons ?? options.reasons
    if (Object.keys(errors).length > 0 || typed.reasons) reply.code(422)
    return reply.render('reviews/views/start.njk', {
      title: 'Start a review',
      plan: options.plan,
      kinds: REVIEW_RECORD_KINDS.map((kind) => ({ value: kind, text: REVIEW_KIND_NAMES[kind] })),
      reasons,
      values: typed.values ?? {},
      reasonMax: REASON_MAX,
      ...errorPage(errors, ['kind', 'reason'], typed.reasons ?? []),
    })
  }

  app.get<{ Params: PlanParams }>(
    '/plans/:id/reviews/new',
    { config: { permission: 'plan:review-prepare' } },
    (request, reply) => showStart(request, reply),
  )

  app.post<{ Params: PlanParams }>(
    '/plans/:id/reviews/new',
    { config: { permission: 'plan:review-prepare' } },
    async (request, reply) => {
      const values = formFields(request.body)
      const errors: Record<string, string> = {}
      const kind = values.kind as ReviewRecordKind
      if (!REVIEW_RECORD_KINDS.includes(kind)) errors.kind = 'Select which review this is'
      const reason = (values.reason ?? '').trim()
      if (reason.length > REASON_MAX) errors.reason = `The reason must be ${REASON_MAX} characters or fewer`
      if (Object.keys(errors).length > 0) return showStart(request, reply, { values, errors })
      const outcome = await reviews.start(staff(request), request.params.id, { kind, reason }, request.id)
      if (outcome.outcome === 'not-found') return reply.callNotFound()
      if (outcome.outcome === 'refused')
        return showStart(request, reply, { values, reasons: outcome.reasons })
      return reply.redirect(`/plans/${request.params.id}/reviews/${outcome.review.id}/before`, 303)
    },
  )

  // One review's record.
  app.get<{ Params: ReviewParams }>(
    '/plans/:id/reviews/:reviewId',
    { config: { permission: 'plan:view' } },
    async (request, reply) => {
      const actor = person(request)
      const found =
        actor && (await reviews.review(actor, request.params.id, request.params.reviewId, request.id))
      if (!actor || !found) return reply.callNotFound()
      const access = await plans.facts(found.plan)
      const recorded = found.record.status === 'recorded'
      return reply.render('reviews/views/review.njk', {
        title: recorded ? `Review held on ${formatDate(found.record.heldOn ?? '')}` : 'Review being prepared',
        plan: found.plan,
        record: found.record,
        kindNames: REVIEW_KIND_NAMES,
        statusNames: REVIEW_STATUS_NAMES,
        canWriteBefore: !recorded && can(actor, 'plan:review-prepare', access),
        canWriteAfter: found.record.before !== null && can(actor, 'plan:review-record', access),
        saved: saved(request),
      })
    },
  )

  // The social worker's part, before the review.
  async function showBefore(
    request: FastifyRequest<{ Params: ReviewParams }>,
    reply: FastifyReply,
    typed: Typed = {},
  ) {
    const { id, reviewId } = request.params
    const found = await reviews.forWriting(staff(request), id, reviewId, 'plan:review-prepare')
    if (!found) return reply.callNotFound()
    const { record } = found
    const errors = typed.errors ?? {}
    const reasons = typed.reasons ?? []
    if (Object.keys(errors).length > 0 || reasons.length > 0) reply.code(422)
    return reply.render('reviews/views/before.njk', {
      title: 'Before the review',
      plan: found.plan,
      record,
      kindNames: REVIEW_KIND_NAMES,
      values: typed.values ?? {
        needsChanged: record.before?.needsChanged ?? '',
        childViews: record.before?.childViews ?? '',
        adoptersViews: record.before?.adoptersViews ?? '',
      },
      reasons,
      ...errorPage(errors, BEFORE_FIELDS, reasons),
    })
  }

  const beforePath = '/plans/:id/reviews/:reviewId/before'
  app.get<{ Params: ReviewParams }>(
    beforePath,
    { config: { permission: 'plan:review-prepare' } },
    (request, reply) => showBefore(request, reply),
  )
  app.post<{ Params: ReviewParams }>(
    beforePath,
    { config: { permission: 'plan:review-prepare' } },
    async (request, reply) => {
      const values = formFields(request.body)
      const parsed = beforePart.safeParse(values)
      if (!parsed.success)
        return showBefore(request, reply, {
          values,
          errors: formErrors(parsed.error.issues, BEFORE_FIELDS).errors,
        })
      const { id, reviewId } = request.params
      const outcome = await reviews.writeBefore(staff(request), id, reviewId, parsed.data, request.id)
      if (outcome.outcome === 'not-found') return reply.callNotFound()
      if (outcome.outcome === 'refused')
        return showBefore(request, reply, { values, reasons: outcome.reasons })
      return reply.redirect(`/plans/${id}/reviews/${reviewId}?saved=before`, 303)
    },
  )

  // The reviewing officer's part, after the review: recording it records the review as held.
  async function showAfter(
    request: FastifyRequest<{ Params: ReviewParams }>,
    reply: FastifyReply,
    typed: Typed = {},
  ) {
    const { id, reviewId } = request.params
    const found = await reviews.forWriting(staff(request), id, reviewId, 'plan:review-record')
    if (!found) return reply.callNotFound()
    const { record } = found
    const errors = typed.errors ?? {}
    const reasons = typed.reasons ?? []
    if (Object.keys(errors).length > 0 || reasons.length > 0) reply.code(422)
    return reply.render('reviews/views/after.njk', {
      title: 'After the review',
      plan: found.plan,
      record,
      kindNames: REVIEW_KIND_NAMES,
      values: typed.values ?? {
        ...dateFields('heldOn', record.heldOn),
        recommendations: record.after?.recommendations ?? '',
        visitFrequency: record.after?.visitFrequency ?? '',
      },
      reasons,
      ...errorPage(errors, ['heldOn-day', 'heldOn-month', 'heldOn-year', ...AFTER_FIELDS], reasons),
    })
  }

  const afterPath = '/plans/:id/reviews/:reviewId/after'
  app.get<{ Params: ReviewParams }>(
    afterPath,
    { config: { permission: 'plan:review-record' } },
    (request, reply) => showAfter(request, reply),
  )
  app.post<{ Params: ReviewParams }>(
    afterPath,
    { config: { permission: 'plan:review-record' } },
    async (request, reply) => {
      const values = formFields(request.body)
      const errors: Record<string, string> = {}
      const date = parseDateInput(dateParts(values, 'heldOn'), 'The date of the review')
      if ('empty' in date) errors['heldOn-day'] = 'Enter the date the review was held'
      else if ('error' in date) errors[`heldOn-${date.part}`] = date.error
      else if (date.iso > reviews.today())
        errors['heldOn-day'] = 'The date of the review must be today or in the past'
      const parsed = afterPart.safeParse(values)
      if (!parsed.success) Object.assign(errors, formErrors(parsed.error.issues, AFTER_FIELDS).errors)
      if (Object.keys(errors).length > 0 || !parsed.success || !('iso' in date))
        return showAfter(request, reply, { values, errors })
      const { id, reviewId } = request.params
      const outcome = await reviews.writeAfter(
        staff(request),
        id,
        reviewId,
        { ...parsed.data, heldOn: date.iso },
        request.id,
      )
      if (outcome.outcome === 'not-found') return reply.callNotFound()
      if (outcome.outcome === 'refused') {
        // The before-review part missing belongs to no field; the rest are about the date.
        const [first, ...others] = outcome.reasons
        return first?.startsWith('The social worker')
          ? showAfter(request, reply, { values, reasons: outcome.reasons })
          : showAfter(request, reply, { values, errors: { 'heldOn-day': first ?? '' }, reasons: others })
      }
      return reply.redirect(`/plans/${id}/reviews/${reviewId}?saved=recorded`, 303)
    },
  )
}
