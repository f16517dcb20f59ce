import type { FastifyInstance } from 'fastify'
import { staff } from '../../platform/request-context.ts'
import type { Services } from '../../services.ts'

// The agency's staff, for its administrators: who has an account, and deactivating or
// reactivating one.

const SAVED: Record<string, string> = {
  deactivated: 'Account deactivated',
  reactivated: 'Account reactivated',
}

export async function staffRoutes(app: FastifyInstance, { services }: { services: Services }) {
  app.get('/staff', { config: { permission: 'staff:manage' } }, async (request, reply) => {
    const people = await services.staff.list(staff(request))
    const saved = (request.query as Record<string, unknown>).saved === 'invited' ? 'Invitation sent' : null
    return reply.render('staff/views/list.njk', { title: 'Staff', people, saved })
  })

  app.get<{ Params: { id: string } }>(
    '/staff/:id',
    { config: { permission: 'staff:manage' } },
    async (request, reply) => {
      const actor = staff(request)
      const person = await services.staff.member(actor, request.params.id)
      if (!person) return reply.callNotFound()
      const saved = String((request.query as Record<string, unknown>).saved ?? '')
      return reply.render('staff/views/member.njk', {
        title: person.name,
        person,
        isSelf: person.id === actor.userId,
        saved: SAVED[saved] ?? null,
      })
    },
  )

  for (const change of ['deactivate', 'reactivate'] as const) {
    app.post<{ Params: { id: string } }>(
      `/staff/:id/${change}`,
      { config: { permission: 'staff:manage' } },
      async (request, reply) => {
        const done = await services.staff[change](staff(request), request.params.id, request.id)
        if (!done) return reply.callNotFound()
        return reply.redirect(`/staff/${request.params.id}?saved=${change}d`, 303)
      },
    )
  }
}
