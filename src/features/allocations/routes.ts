import type { FastifyInstance, FastifyRequest } from 'fastify'
import { formFields, fromFieldErrors } from '../../platform/forms.ts'
import { staff } from '../../platform/request-context.ts'
import { ROLE_NAMES, type StaffRole } from '../../platform/roles.ts'
import type { Services } from '../../services.ts'

// Team managers allocate social workers, support workers and IROs to a child, and end allocations.

const MESSAGES = {
  'not-allocatable': 'Select someone from the list',
  'already-allocated': 'This person is already allocated to the child',
} as const

export async function allocationRoutes(app: FastifyInstance, { services }: { services: Services }) {
  const { allocations, children } = services

  async function showForm(request: FastifyRequest<{ Params: { id: string } }>, error?: string) {
    const actor = staff(request)
    const child = await children.find(actor, request.params.id)
    if (!child) return null
    const people = await allocations.candidates(actor.agencyId)
    return {
      title: 'Allocate someone to this child',
      child,
      people: people.map((person) => ({ ...person, roleName: ROLE_NAMES[person.role as StaffRole] })),
      ...(error ? fromFieldErrors({ userId: error }, ['userId']) : {}),
    }
  }

  app.get<{ Params: { id: string } }>(
    '/children/:id/allocations/new',
    { config: { permission: 'allocation:manage' } },
    async (request, reply) => {
      const page = await showForm(request)
      return page ? reply.render('allocations/views/new.njk', page) : reply.callNotFound()
    },
  )

  app.post<{ Params: { id: string } }>(
    '/children/:id/allocations',
    { config: { permission: 'allocation:manage' } },
    async (request, reply) => {
      const userId = formFields(request.body).userId ?? ''
      const result = await allocations.allocate(staff(request), request.params.id, userId, request.id)
      if (result.outcome === 'not-found') return reply.callNotFound()
      if (result.outcome !== 'allocated') {
        const page = await showForm(request, MESSAGES[result.outcome])
        return page ? reply.render('allocations/views/new.njk', page) : reply.callNotFound()
      }
      return reply.redirect(`/children/${request.params.id}?saved=allocated`, 303)
    },
  )

  app.post<{ Params: { id: string; allocationId: string } }>(
    '/children/:id/allocations/:allocationId/end',
    { config: { permission: 'allocation:manage' } },
    async (request, reply) => {
      const { id, allocationId } = request.params
      const ended = await allocations.end(staff(request), id, allocationId, request.id)
      if (!ended) return reply.callNotFound()
      return reply.redirect(`/children/${id}?saved=allocation-ended`, 303)
    },
  )
}
