import type { FastifyInstance } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import { z } from 'zod'
import type { Child } from '../../db/schema.ts'
import { sendProblem } from '../../platform/errors.ts'
import { ifMatchVersion } from '../../platform/preconditions.ts'
import { staff } from '../../platform/request-context.ts'
import type { Services } from '../../services.ts'
import { idParams, pageNumber, pageOf, problemSchema } from '../api/schemas.ts'
import { ETHNICITY_CODES, SEX_CODES } from './reference.ts'
import { childDetails } from './service.ts'

// /api/v1/children: the same service as the pages, as JSON. A child of another agency is not
// found (404), never forbidden, so the API does not even confirm it exists.

export const childSchema = z
  .object({
    id: z.uuid(),
    agencyId: z.uuid(),
    firstName: z.string(),
    lastName: z.string(),
    preferredName: z.string().nullable(),
    dateOfBirth: z.iso.date(),
    sex: z.enum(SEX_CODES),
    ethnicity: z.enum(ETHNICITY_CODES),
    siblingGroupId: z.uuid().nullable(),
    version: z.number().int(),
  })
  .meta({ id: 'Child' })

const childPage = pageOf(childSchema)

function present(child: Child): z.output<typeof childSchema> {
  return {
    id: child.id,
    agencyId: child.agency_id,
    firstName: child.first_name,
    lastName: child.last_name,
    preferredName: child.preferred_name,
    dateOfBirth: child.date_of_birth,
    sex: child.sex as z.output<typeof childSchema>['sex'],
    ethnicity: child.ethnicity as z.output<typeof childSchema>['ethnicity'],
    siblingGroupId: child.sibling_group_id,
    version: child.version,
  }
}

export async function childrenApi(app: FastifyInstance, { services }: { services: Services }) {
  const api = app.withTypeProvider<ZodTypeProvider>()
  const { children } = services

  api.get(
    '/children',
    {
      config: { permission: 'children:list' },
      schema: {
        tags: ['children'],
        summary: 'The children of your agency, by name, 25 a page',
        querystring: z.object({
          search: z.string().max(100).optional(),
          page: pageNumber,
        }),
        response: { 200: childPage },
      },
    },
    async (request) => {
      const actor = staff(request)
      const result = await children.list(actor, { search: request.query.search, page: request.query.page })
      return {
        items: result.children.map(present),
        page: result.page,
        pages: result.pages,
        total: result.total,
      }
    },
  )

  api.post(
    '/children',
    {
      config: { permission: 'child:create' },
      schema: {
        tags: ['children'],
        summary: 'Add a child',
        body: childDetails,
        response: { 201: childSchema, 422: problemSchema },
      },
    },
    async (request, reply) => {
      const result = await children.add(staff(request), request.body, request.id)
      if (result.outcome === 'invalid-sibling') {
        return sendProblem(reply, 422, 'Unprocessable Content', 'siblingOf is not a child of your agency.')
      }
      reply
        .header('location', `/api/v1/children/${result.child.id}`)
        .header('etag', `"${result.child.version}"`)
      return reply.code(201).send(present(result.child))
    },
  )

  api.get(
    '/children/:id',
    {
      config: { permission: 'child:view' },
      schema: {
        tags: ['children'],
        summary: 'One child',
        params: idParams,
        response: { 200: childSchema, 404: problemSchema },
      },
    },
    async (request, reply) => {
      const child = await children.view(staff(request), request.params.id, request.id)
      if (!child) return reply.callNotFound()
      return reply.header('etag', `"${child.version}"`).send(present(child))
    },
  )

  api.put(
    '/children/:id',
    {
      config: { permission: 'child:update' },
      schema: {
        tags: ['children'],
        summary:
          'Change a child’s details (send If-Match with the version you read to avoid overwriting a change)',
        params: idParams,
        body: childDetails,
        response: { 200: childSchema, 404: problemSchema, 412: childSchema, 422: problemSchema },
      },
    },
    async (request, reply) => {
      const actor = staff(request)
      const result = await children.change(
        actor,
        request.params.id,
        request.body,
        ifMatchVersion(request),
        request.id,
      )
      if (result.outcome === 'not-found') return reply.callNotFound()
      if (result.outcome === 'invalid-sibling') {
        return sendProblem(
          reply,
          422,
          'Unprocessable Content',
          'siblingOf is not another child of your agency.',
        )
      }
      if (result.outcome === 'conflict') {
        // The current record comes back so the client can merge and try again.
        return reply.code(412).header('etag', `"${result.current.version}"`).send(present(result.current))
      }
      return reply.header('etag', `"${result.child.version}"`).send(present(result.child))
    },
  )
}
