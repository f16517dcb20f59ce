import type { FastifyInstance, FastifyRequest } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import { z } from 'zod'
import { type Answers, answerSchema, type SectionContent } from '../../plan/answers.ts'
import { PLAN, type SectionDefinition, sectionDefinition } from '../../plan/definition.ts'
import { sendProblem } from '../../platform/errors.ts'
import type { Actor } from '../../platform/policy.ts'
import { ifMatchVersion } from '../../platform/preconditions.ts'
import type { Services } from '../../services.ts'
import { problemSchema } from '../api/schemas.ts'
import type { SectionState } from './service.ts'

// /api/v1/plans: the plan as JSON. A section's `content` is flat: each question's answer under its
// key, each list as an array of items (`id` to change one, none to add one, left out to remove
// it). Writes need `If-Match` with the section's version: stale is 412 with the current content,
// missing is 428. The checks come from the plan's definition, as the pages' do.

type Person = Actor & { kind: 'staff' | 'adopter' }

function person(request: FastifyRequest): Person {
  const actor = request.actor
  if (actor.kind !== 'staff' && actor.kind !== 'adopter')
    throw new Error('the plans API needs a signed-in person')
  return actor
}

function flat(section: SectionDefinition, state: SectionState) {
  const content: Record<string, unknown> = { ...state.content.answers }
  for (const list of section.lists) {
    content[list.key] = (state.content.lists[list.key] ?? []).map((item) => ({
      id: item.id,
      ...(list.sharedBySiblings ? { shared: item.shared === true } : {}),
      ...item.answers,
    }))
  }
  return {
    key: section.key,
    version: state.version,
    completed: state.completed,
    status: state.status,
    content,
  }
}

/** The checks a PUT's content must pass, built from the section's questions. */
function contentSchema(section: SectionDefinition) {
  const shape: Record<string, z.ZodType> = {}
  for (const question of section.questions) shape[question.key] = answerSchema(question).optional()
  for (const list of section.lists) {
    const item: Record<string, z.ZodType> = { id: z.uuid().optional(), shared: z.boolean().optional() }
    for (const question of list.questions) {
      item[question.key] = question.required
        ? answerSchema(question).refine((value) => value !== null, 'is required')
        : answerSchema(question).optional()
    }
    shape[list.key] = z.array(z.strictObject(item)).max(200).optional()
  }
  return z.strictObject(shape)
}

function toContent(section: SectionDefinition, body: Record<string, unknown>): SectionContent {
  const answers: Answers = {}
  for (const question of section.questions)
    answers[question.key] = (body[question.key] as Answers[string]) ?? null
  const lists: SectionContent['lists'] = {}
  for (const list of section.lists) {
    lists[list.key] = ((body[list.key] as Record<string, unknown>[] | undefined) ?? []).map((item) => ({
      id: typeof item.id === 'string' ? item.id : '',
      shared: item.shared === true,
      answers: Object.fromEntries(
        list.questions.map((question) => [question.key, (item[question.key] ?? null) as Answers[string]]),
      ),
    }))
  }
  return { answers, lists }
}

const sectionParams = z.object({ id: z.string().max(64), key: z.enum(PLAN.map((section) => section.key)) })
const sectionBody = z.object({ content: z.record(z.string(), z.unknown()) })

export async function plansApi(app: FastifyInstance, { services }: { services: Services }) {
  const api = app.withTypeProvider<ZodTypeProvider>()
  const { plans } = services

  api.post(
    '/plans',
    {
      config: { permission: 'plan:create' },
      schema: {
        tags: ['plans'],
        summary: 'Start a child’s plan (and their brothers’ and sisters’)',
        body: z.object({
          childId: z.uuid(),
          familyId: z.uuid().optional().describe('The family the child is matched with, to make sure of it'),
        }),
        response: { 201: z.object({ id: z.uuid() }), 404: problemSchema, 422: problemSchema },
      },
    },
    async (request, reply) => {
      const actor = request.actor
      if (actor.kind !== 'staff') return reply.callNotFound()
      const { childId, familyId } = request.body
      const created = await plans.create(actor, childId, request.id, { familyId })
      if (created.outcome === 'not-found') return reply.callNotFound()
      if (created.outcome === 'not-matched') {
        return sendProblem(reply, 422, 'Unprocessable Content', 'The child is not matched with this family.')
      }
      reply.header('location', `/api/v1/plans/${created.planId}`)
      return reply.code(201).send({ id: created.planId })
    },
  )

  api.get(
    '/plans/:id',
    {
      config: { permission: 'plan:view' },
      schema: {
        tags: ['plans'],
        summary: 'A plan: its front page and its sections’ states',
        params: z.object({ id: z.string().max(64) }),
      },
    },
    async (request, reply) => {
      const found = await plans.overview(person(request), request.params.id, request.id)
      if (!found) return reply.callNotFound()
      const versions = await plans.versions(person(request), request.params.id)
      const { plan, sections } = found
      return {
        id: plan.id,
        childId: plan.childId,
        familyId: plan.familyId,
        status: plan.status,
        version: versions?.versions[0]?.number ?? 0,
        dateAgreed: plan.dateAgreed,
        datesUpdated: await services.reviews.datesUpdated(plan.id),
        sections: sections.map((section) => ({
          key: section.key,
          version: section.version,
          completed: section.completed,
          status: section.status,
        })),
      }
    },
  )

  api.get(
    '/plans/:id/sections/:key',
    {
      config: { permission: 'plan:view' },
      schema: { tags: ['plans'], summary: 'One section of a plan', params: sectionParams },
    },
    async (request, reply) => {
      const found = await plans.section(person(request), request.params.id, request.params.key, request.id)
      if (!found) return reply.callNotFound()
      reply.header('etag', `"${found.state.version}"`)
      return flat(found.definition, found.state)
    },
  )

  api.put(
    '/plans/:id/sections/:key',
    {
      config: { permission: 'plan:update' },
      schema: {
        tags: ['plans'],
        summary: 'Replace a section’s content; needs If-Match with the version last read',
        params: sectionParams,
        body: sectionBody,
      },
    },
    async (request, reply) => {
      const actor = person(request)
      const section = sectionDefinition(request.params.key) as SectionDefinition
      const checked = contentSchema(section).safeParse(request.body.content)
      const version = ifMatchVersion(request)
      if (version === undefined) {
        const reachable = await plans.reach(actor, request.params.id, 'plan:update')
        if (!reachable) return reply.callNotFound()
        return sendProblem(reply, 428, 'Precondition Required', 'Send If-Match with the section’s version.')
      }
      if (!checked.success) {
        return sendProblem(reply, 422, 'Unprocessable Content', z.prettifyError(checked.error).slice(0, 2000))
      }
      const result = await plans.replaceSection(
        actor,
        request.params.id,
        section.key,
        version,
        toContent(section, checked.data),
        request.id,
      )
      if (result.outcome === 'not-found') return reply.callNotFound()
      if (result.outcome === 'unknown-item') {
        return sendProblem(reply, 422, 'Unprocessable Content', `No item ${result.itemId} in this section.`)
      }
      reply.header('etag', `"${result.state.version}"`)
      if (result.outcome === 'stale') return reply.code(412).send(flat(section, result.state))
      return flat(section, result.state)
    },
  )

  api.get(
    '/plans/:id/versions',
    {
      config: { permission: 'plan:view' },
      schema: {
        tags: ['plans'],
        summary: 'A plan’s numbered versions',
        params: z.object({ id: z.string().max(64) }),
      },
    },
    async (request, reply) => {
      const found = await plans.versions(person(request), request.params.id)
      if (!found) return reply.callNotFound()
      return found.versions.map((version) => ({ ...version, takenBy: undefined }))
    },
  )

  api.get(
    '/plans/:id/versions/:number',
    {
      config: { permission: 'plan:view' },
      schema: {
        tags: ['plans'],
        summary: 'One version of a plan, as it was taken',
        params: z.object({ id: z.string().max(64), number: z.coerce.number().int().min(1).max(1_000_000) }),
      },
    },
    async (request, reply) => {
      const found = await plans.version(person(request), request.params.id, request.params.number, request.id)
      if (!found) return reply.callNotFound()
      const { number, reason, hash, takenAt, content } = found.version
      return { number, reason, hash, takenAt, content }
    },
  )
}
