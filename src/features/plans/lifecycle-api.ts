import type { FastifyInstance } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import { z } from 'zod'
import { PLAN_STATUSES } from '../../plan/lifecycle.ts'
import { isRealDate } from '../../platform/dates.ts'
import { sendProblem } from '../../platform/errors.ts'
import type { Services } from '../../services.ts'

// /api/v1/plans/{id}/transitions: the plan's moves, and a new one. The same rules as the pages
// (src/plan/lifecycle.ts): a step by the wrong role or with a condition unmet is a 422 problem whose
// `reasons` say what stands in the way, and nothing changes.

const params = z.object({ id: z.string().max(64) })

export async function lifecycleApi(app: FastifyInstance, { services }: { services: Services }) {
  const api = app.withTypeProvider<ZodTypeProvider>()
  const { lifecycle, plans } = services

  api.get(
    '/plans/:id/transitions',
    {
      config: { permission: 'plan:view' },
      schema: { tags: ['plans'], summary: 'Where the plan has been: every move, newest first', params },
    },
    async (request, reply) => {
      const actor = request.actor
      if (actor.kind !== 'staff' && actor.kind !== 'adopter') return reply.callNotFound()
      const plan = await plans.reach(actor, request.params.id, 'plan:view')
      if (!plan) return reply.callNotFound()
      const moves = await lifecycle.transitions(plan.id)
      return moves.map((move) => ({
        from: move.from_status,
        to: move.to_status,
        date: move.on_date,
        note: move.note,
        version: move.version_number,
        at: move.made_at,
      }))
    },
  )

  api.post(
    '/plans/:id/transitions',
    {
      config: { permission: 'plan:transition' },
      schema: {
        tags: ['plans'],
        summary: 'Move the plan on (or back): to a status, with the date the step records and a note',
        params,
        body: z.strictObject({
          to: z.enum(PLAN_STATUSES),
          date: z.string().refine(isRealDate, 'must be a real date, YYYY-MM-DD').nullish(),
          note: z.string().max(2000).nullish(),
          withSiblings: z.boolean().optional(),
        }),
      },
    },
    async (request, reply) => {
      const actor = request.actor
      if (actor.kind !== 'staff') return reply.callNotFound()
      const outcome = await lifecycle.transition(actor, request.params.id, request.body, request.id)
      if (outcome.outcome === 'not-found') return reply.callNotFound()
      if (outcome.outcome === 'refused')
        return sendProblem(reply, 422, 'Unprocessable Content', outcome.reasons.join(' '), {
          reasons: outcome.reasons,
        })
      return { status: request.body.to, plans: outcome.plans }
    },
  )
}
