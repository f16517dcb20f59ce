import type { FastifyInstance } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import { z } from 'zod'
import type { Adopter } from '../../db/schema.ts'
import { sendProblem } from '../../platform/errors.ts'
import { staff } from '../../platform/request-context.ts'
import type { Services } from '../../services.ts'
import { idParams, pageNumber, pageOf, problemSchema } from '../api/schemas.ts'
import { type FamilyRecord, type FamilySummary, familyDetails } from './service.ts'

// /api/v1/families: the families the agency places with or approved, as JSON. A family outside the
// caller's reach is not found (404). Adopters' email addresses stay out: the API names who the
// adopters are, not how to reach them.

const adopterSchema = z
  .object({ firstName: z.string(), lastName: z.string(), dateOfBirth: z.iso.date() })
  .meta({ id: 'Adopter' })

const familySummarySchema = z
  .object({
    id: z.uuid(),
    agencyId: z.uuid().describe('The agency that places (or will place) children with the family'),
    approvingAgencyId: z.uuid().describe('The agency that approved the adopters'),
    adopters: z.array(adopterSchema),
  })
  .meta({ id: 'FamilySummary' })

const matchSchema = z
  .object({ matchId: z.uuid(), childId: z.uuid(), sharedWithAdopters: z.boolean() })
  .meta({ id: 'Match' })

const familySchema = familySummarySchema
  .extend({
    matches: z.array(matchSchema).describe('The children matched with the family that you may see'),
  })
  .meta({ id: 'Family' })

const presentAdopter = (adopter: Adopter): z.output<typeof adopterSchema> => ({
  firstName: adopter.first_name,
  lastName: adopter.last_name,
  dateOfBirth: adopter.date_of_birth,
})

function presentSummary(family: FamilySummary): z.output<typeof familySummarySchema> {
  return {
    id: family.id,
    agencyId: family.agencyId,
    approvingAgencyId: family.approvingAgencyId,
    adopters: family.adopters.map(presentAdopter),
  }
}

function present(family: FamilyRecord): z.output<typeof familySchema> {
  return {
    ...presentSummary(family),
    matches: family.children.map((child) => ({
      matchId: child.matchId,
      childId: child.childId,
      sharedWithAdopters: child.shared,
    })),
  }
}

export async function familiesApi(app: FastifyInstance, { services }: { services: Services }) {
  const api = app.withTypeProvider<ZodTypeProvider>()
  const { families } = services

  api.get(
    '/families',
    {
      config: { permission: 'families:list' },
      schema: {
        tags: ['families'],
        summary: 'The families your agency places with or approved, newest first, 25 a page',
        querystring: z.object({ page: pageNumber }),
        response: { 200: pageOf(familySummarySchema) },
      },
    },
    async (request) => {
      const result = await families.list(staff(request), { page: request.query.page })
      return {
        items: result.families.map(presentSummary),
        page: result.page,
        pages: result.pages,
        total: result.total,
      }
    },
  )

  api.post(
    '/families',
    {
      config: { permission: 'family:create' },
      schema: {
        tags: ['families'],
        summary: 'Add a family: the agency that approved the adopters, and one or two adopters',
        body: familyDetails,
        response: { 201: familySchema, 422: problemSchema },
      },
    },
    async (request, reply) => {
      const actor = staff(request)
      if (!(await families.isAgency(request.body.approvingAgencyId))) {
        return sendProblem(reply, 422, 'Unprocessable Content', 'approvingAgencyId is not an agency.')
      }
      const id = await families.add(actor, request.body, request.id)
      const family = await families.find(actor, id, 'family:view')
      if (!family) throw new Error('a family just added is out of its creator’s reach')
      reply.header('location', `/api/v1/families/${id}`)
      return reply.code(201).send(present(family))
    },
  )

  api.get(
    '/families/:id',
    {
      config: { permission: 'family:view' },
      schema: {
        tags: ['families'],
        summary: 'One family, with the children matched with it',
        params: idParams,
        response: { 200: familySchema, 404: problemSchema },
      },
    },
    async (request, reply) => {
      const actor = request.actor
      if (actor.kind !== 'staff' && actor.kind !== 'adopter') return reply.callNotFound()
      const family = await families.view(actor, request.params.id, request.id)
      if (!family) return reply.callNotFound()
      return present(family)
    },
  )

  api.post(
    '/families/:id/matches',
    {
      config: { permission: 'family:update' },
      schema: {
        tags: ['families'],
        summary: 'Match a child of your agency with the family',
        params: idParams,
        body: z.object({ childId: z.uuid() }),
        response: { 201: matchSchema, 404: problemSchema, 422: problemSchema },
      },
    },
    async (request, reply) => {
      const { childId } = request.body
      const result = await families.match(staff(request), request.params.id, childId, request.id)
      if (result.outcome === 'not-found') return reply.callNotFound()
      if (result.outcome === 'invalid-child') {
        return sendProblem(reply, 422, 'Unprocessable Content', 'childId is not a child of your agency.')
      }
      if (result.outcome === 'already-matched') {
        return sendProblem(reply, 422, 'Unprocessable Content', 'The child is already matched with a family.')
      }
      return reply.code(201).send({ matchId: result.matchId, childId, sharedWithAdopters: false })
    },
  )
}
