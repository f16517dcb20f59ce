import type { FastifyInstance, FastifyReply } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import { z } from 'zod'
import { placingAuthorityResponsibilityEnds } from '../../plan/after-order.ts'
import type { PlacementDates, PlacementRequest } from '../../plan/placement.ts'
import {
  afterPart,
  beforePart,
  REASON_MAX,
  REVIEW_RECORD_KINDS,
  type ScheduleEntry,
} from '../../plan/review-records.ts'
import { sendProblem } from '../../platform/errors.ts'
import { staff } from '../../platform/request-context.ts'
import type { Services } from '../../services.ts'
import { idParams, problemSchema } from '../api/schemas.ts'
import type { ReviewRecord } from './records.ts'

// /api/v1/plans/{id}/placement and /api/v1/plans/{id}/reviews: the placement's dates, the review
// schedule worked out from them (src/plan/reviews.ts), and the reviews' records. The same rules as
// the pages: a write the plan's state or dates do not allow is a 422 problem whose `reasons` say
// why, and nothing changes. Staff names stay out, as in the versions: the API says when, not who.

const isoDate = z.iso.date()

const placementSchema = z
  .object({
    authorityToPlaceOn: isoDate
      .nullable()
      .describe('When the agency was first authorised to place the child'),
    placedOn: isoDate.nullable(),
    orderMadeOn: isoDate.nullable().describe('Recorded with the transition to order-made'),
    returnedOn: isoDate.nullable(),
    placingAgencyResponsibleUntil: isoDate
      .nullable()
      .describe(
        'Three years after the adoption order: until then the placing agency assesses and provides support (ASSR 2005, reg 7)',
      ),
    reviewsStopped: z
      .object({ reason: z.enum(['order-made', 'returned']), on: isoDate })
      .nullable()
      .describe('The reviews stop at the adoption order or the child’s return'),
  })
  .meta({ id: 'Placement' })

const partTimes = { writtenAt: z.iso.datetime() }
const reviewRecordSchema = z
  .object({
    id: z.uuid(),
    kind: z.enum(REVIEW_RECORD_KINDS),
    reason: z.string().nullable(),
    status: z.enum(['preparing', 'ready', 'recorded']),
    startedAt: z.iso.datetime(),
    heldOn: isoDate.nullable(),
    before: z
      .object({ needsChanged: z.string(), childViews: z.string(), adoptersViews: z.string(), ...partTimes })
      .nullable()
      .describe('The social worker’s part, written before the review'),
    after: z
      .object({ recommendations: z.string(), visitFrequency: z.string(), ...partTimes })
      .nullable()
      .describe('The independent reviewing officer’s part, written after it'),
    recordedAt: z.iso.datetime().nullable().describe('When the review was first recorded: a date updated'),
  })
  .meta({ id: 'ReviewRecord' })

const scheduledReviewSchema = z
  .object({
    number: z.number().int().describe('Counted from 1 before placement, and again from 1 after it'),
    phase: z.enum(['before-placement', 'after-placement']),
    dueOn: isoDate,
    heldOn: isoDate.nullable(),
    kind: z.enum(['statutory', 'extra']),
    reason: z.enum(['adopters-request', 'urgent', 'other']).nullable(),
    rule: z.string(),
    state: z.enum(['held', 'due-soon', 'overdue', 'upcoming']),
    review: reviewRecordSchema
      .nullable()
      .describe('The record of the review held, or the one being prepared'),
  })
  .meta({ id: 'ScheduledReview' })

const reviewParams = z.object({ id: z.string().max(64), reviewId: z.string().max(64) })
const refusedSchema = problemSchema.extend({ reasons: z.array(z.string()) })

function presentPlacement(placement: PlacementDates): z.output<typeof placementSchema> {
  const { orderOn, returnedOn } = placement
  return {
    authorityToPlaceOn: placement.authorityToPlaceOn,
    placedOn: placement.placedOn,
    orderMadeOn: orderOn,
    returnedOn,
    placingAgencyResponsibleUntil: orderOn ? placingAuthorityResponsibilityEnds(orderOn) : null,
    reviewsStopped: orderOn
      ? { reason: 'order-made', on: orderOn }
      : returnedOn
        ? { reason: 'returned', on: returnedOn }
        : null,
  }
}

function presentRecord(record: ReviewRecord): z.output<typeof reviewRecordSchema> {
  const { before, after } = record
  return {
    id: record.id,
    kind: record.kind,
    reason: record.reason,
    status: record.status,
    startedAt: record.startedAt.toISOString(),
    heldOn: record.heldOn,
    before: before && {
      needsChanged: before.needsChanged,
      childViews: before.childViews,
      adoptersViews: before.adoptersViews,
      writtenAt: before.at.toISOString(),
    },
    after: after && {
      recommendations: after.recommendations,
      visitFrequency: after.visitFrequency,
      writtenAt: after.at.toISOString(),
    },
    recordedAt: record.recordedAt?.toISOString() ?? null,
  }
}

function presentEntry(
  entry: ScheduleEntry,
  record: ReviewRecord | undefined,
): z.output<typeof scheduledReviewSchema> {
  const { number, phase, dueOn, heldOn, kind, reason, rule, state } = entry
  return {
    number,
    phase,
    dueOn,
    heldOn,
    kind,
    reason,
    rule,
    state,
    review: record ? presentRecord(record) : null,
  }
}

const refused = (reply: FastifyReply, reasons: string[]) =>
  sendProblem(reply, 422, 'Unprocessable Content', reasons.join(' '), { reasons })

export async function reviewsApi(app: FastifyInstance, { services }: { services: Services }) {
  const api = app.withTypeProvider<ZodTypeProvider>()
  const { reviews } = services

  api.get(
    '/plans/:id/placement',
    {
      config: { permission: 'plan:view' },
      schema: {
        tags: ['reviews'],
        summary: 'The placement’s dates, and whether the reviews have stopped',
        params: idParams,
        response: { 200: placementSchema, 404: problemSchema },
      },
    },
    async (request, reply) => {
      const found = await reviews.schedule(staff(request), request.params.id, request.id)
      if (!found) return reply.callNotFound()
      return presentPlacement(found.placement)
    },
  )

  api.put(
    '/plans/:id/placement',
    {
      config: { permission: 'plan:placement' },
      schema: {
        tags: ['reviews'],
        summary:
          'Record the placement (once the plan is agreed), or the child’s return; a date left out stays as it is',
        description:
          'placedOn null records nothing of the placement (to record only the authority to place). The adoption order is recorded by the transition to order-made: orderMadeOn (or orderOn), if given, must be the date recorded there.',
        params: idParams,
        body: z.strictObject({
          placedOn: isoDate.nullable(),
          returnedOn: isoDate.nullable().optional(),
          orderMadeOn: isoDate.nullable().optional(),
          orderOn: isoDate.nullable().optional().describe('Another name for orderMadeOn'),
          authorityToPlaceOn: isoDate.nullable().optional(),
        }),
        response: {
          200: placementSchema.extend({ version: z.number().int().nullable() }),
          422: refusedSchema,
        },
      },
    },
    async (request, reply) => {
      const { placedOn, returnedOn, orderMadeOn, orderOn, authorityToPlaceOn } = request.body
      if (orderMadeOn !== undefined && orderOn !== undefined && orderMadeOn !== orderOn)
        return refused(reply, ['orderMadeOn and orderOn name one date: send one of them'])
      const asked: PlacementRequest = {
        placedOn,
        ...(returnedOn !== undefined ? { returnedOn } : {}),
        ...((orderMadeOn ?? orderOn) !== undefined ? { orderOn: orderMadeOn ?? orderOn } : {}),
        ...(authorityToPlaceOn !== undefined ? { authorityToPlaceOn } : {}),
      }
      const outcome = await reviews.recordPlacement(staff(request), request.params.id, asked, request.id)
      if (outcome.outcome === 'not-found') return reply.callNotFound()
      if (outcome.outcome === 'refused')
        return refused(
          reply,
          outcome.problems.map((problem) => problem.text),
        )
      return { ...presentPlacement(outcome.placement), version: outcome.version }
    },
  )

  api.get(
    '/plans/:id/reviews',
    {
      config: { permission: 'plan:view' },
      schema: {
        tags: ['reviews'],
        summary: 'The review schedule: every review held, in date order, then the next one due',
        description:
          'Worked out from the placement’s dates and the dates reviews were held (Adoption Agencies Regulations 2005, reg 36). Nothing is due after the adoption order or the child’s return.',
        params: idParams,
        response: { 200: z.array(scheduledReviewSchema), 404: problemSchema },
      },
    },
    async (request, reply) => {
      const found = await reviews.schedule(staff(request), request.params.id, request.id)
      if (!found) return reply.callNotFound()
      const byId = new Map(found.records.map((record) => [record.id, record]))
      const open = found.schedule.open ? byId.get(found.schedule.open.id) : undefined
      return found.schedule.reviews.map((entry) =>
        presentEntry(entry, entry.reviewId ? byId.get(entry.reviewId) : entry.heldOn ? undefined : open),
      )
    },
  )

  api.post(
    '/plans/:id/reviews',
    {
      config: { permission: 'plan:review-prepare' },
      schema: {
        tags: ['reviews'],
        summary: 'Start a review: the one due, an extra one the adopters asked for, or an urgent one',
        params: idParams,
        body: z.strictObject({
          kind: z.enum(REVIEW_RECORD_KINDS),
          reason: z.string().max(REASON_MAX).nullish(),
        }),
        response: { 201: reviewRecordSchema, 422: refusedSchema },
      },
    },
    async (request, reply) => {
      const outcome = await reviews.start(staff(request), request.params.id, request.body, request.id)
      if (outcome.outcome === 'not-found') return reply.callNotFound()
      if (outcome.outcome === 'refused') return refused(reply, outcome.reasons)
      reply.header('location', `/api/v1/plans/${request.params.id}/reviews/${outcome.review.id}`)
      return reply.code(201).send(presentRecord(outcome.review))
    },
  )

  api.get(
    '/plans/:id/reviews/:reviewId',
    {
      config: { permission: 'plan:view' },
      schema: {
        tags: ['reviews'],
        summary: 'One review’s record',
        params: reviewParams,
        response: { 200: reviewRecordSchema, 404: problemSchema },
      },
    },
    async (request, reply) => {
      const { id, reviewId } = request.params
      const found = await reviews.review(staff(request), id, reviewId, request.id)
      if (!found) return reply.callNotFound()
      return presentRecord(found.record)
    },
  )

  api.put(
    '/plans/:id/reviews/:reviewId/before',
    {
      config: { permission: 'plan:review-prepare' },
      schema: {
        tags: ['reviews'],
        summary: 'The social worker’s part, before the review (until the review is recorded)',
        params: reviewParams,
        body: beforePart.strict(),
        response: { 200: reviewRecordSchema, 422: refusedSchema },
      },
    },
    async (request, reply) => {
      const { id, reviewId } = request.params
      const outcome = await reviews.writeBefore(staff(request), id, reviewId, request.body, request.id)
      if (outcome.outcome === 'not-found') return reply.callNotFound()
      if (outcome.outcome === 'refused') return refused(reply, outcome.reasons)
      return presentRecord(outcome.review)
    },
  )

  api.put(
    '/plans/:id/reviews/:reviewId/after',
    {
      config: { permission: 'plan:review-record' },
      schema: {
        tags: ['reviews'],
        summary:
          'The independent reviewing officer’s part, after the review: records it as held, with a new version of the plan',
        params: reviewParams,
        body: afterPart.extend({ heldOn: isoDate }).strict(),
        response: {
          200: reviewRecordSchema.extend({ version: z.number().int() }),
          422: refusedSchema,
        },
      },
    },
    async (request, reply) => {
      const { id, reviewId } = request.params
      const outcome = await reviews.writeAfter(staff(request), id, reviewId, request.body, request.id)
      if (outcome.outcome === 'not-found') return reply.callNotFound()
      if (outcome.outcome === 'refused') return refused(reply, outcome.reasons)
      return { ...presentRecord(outcome.review), version: outcome.version }
    },
  )
}
