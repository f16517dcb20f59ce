import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { PLAN_STATUSES, type PlanStatus, STATUS_NAMES, TRANSITIONS } from '../../plan/lifecycle.ts'
import { dateParts, parseDateInput } from '../../platform/date-input.ts'
import { formFields } from '../../platform/forms.ts'
import type { Services } from '../../services.ts'
import { findPlan } from './service.ts'

// The plan's next steps as pages: one page per step (share with the adopters, present to panel,
// record the decision, agree, the order, hand over, close, send back) asking for the date it records
// and a note; what stands in the way is listed, in words, and nothing changes until it is cleared.
// A team manager's sign-off is one button on the plan's front page. A step that takes the plan out
// of the person's sight (the decision maker's, once it leaves the panel) ends on a page saying it is
// done, not on the plan's page, which they can no longer open.

type Params = { id: string; to: string }
const NOTE_MAX = 2000

const isStatus = (value: string): value is PlanStatus => (PLAN_STATUSES as readonly string[]).includes(value)

export async function lifecycleRoutes(app: FastifyInstance, { services }: { services: Services }) {
  const { lifecycle } = services

  async function showStep(
    request: FastifyRequest<{ Params: Params }>,
    reply: FastifyReply,
    typed: { values?: Record<string, string>; errors?: Record<string, string>; reasons?: string[] } = {},
  ) {
    const actor = request.actor
    if (actor.kind !== 'staff' || !isStatus(request.params.to)) return reply.callNotFound()
    const options = await lifecycle.options(actor, request.params.id)
    const step = options?.steps.find((candidate) => candidate.rule.to === request.params.to)
    if (!options || !step) return reply.callNotFound()
    const errors = typed.errors ?? {}
    const reasons = typed.reasons ?? step.reasons
    const errorList = [
      ...Object.entries(errors).map(([field, text]) => ({ text, href: `#${field}` })),
      ...(typed.reasons ?? []).map((text) => ({ text, href: '#reasons' })),
    ]
    if (errorList.length > 0) reply.code(422)
    return reply.render('plans/views/step.njk', {
      title: step.rule.action,
      plan: options.plan,
      rule: step.rule,
      reasons,
      siblings: options.siblings,
      values: typed.values ?? {},
      noteMax: NOTE_MAX,
      // The layout shows the summary, and says "Error:" in the title, when there are errors.
      ...(errorList.length > 0 ? { errors: { ...errors, reasons: reasons.join(' ') }, errorList } : {}),
    })
  }

  app.get<{ Params: Params }>(
    '/plans/:id/next/:to',
    { config: { permission: 'plan:transition' } },
    (request, reply) => showStep(request, reply),
  )

  app.post<{ Params: Params }>(
    '/plans/:id/next/:to',
    { config: { permission: 'plan:transition' } },
    async (request, reply) => {
      const actor = request.actor
      const to = request.params.to
      const rule = TRANSITIONS.find((candidate) => candidate.to === to)
      if (actor.kind !== 'staff' || !isStatus(to) || !rule) return reply.callNotFound()
      const values = formFields(request.body)
      const errors: Record<string, string> = {}
      let date: string | null = null
      if (rule.date) {
        const parsed = parseDateInput(dateParts(values, 'date'), rule.date.label)
        if ('error' in parsed) errors[`date-${parsed.part}`] = parsed.error
        else if ('iso' in parsed) date = parsed.iso
      }
      const note = (values.note ?? '').trim()
      if (note.length > NOTE_MAX) errors.note = `The note must be ${NOTE_MAX} characters or fewer`
      if (Object.keys(errors).length > 0) return showStep(request, reply, { values, errors })
      const outcome = await lifecycle.transition(
        actor,
        request.params.id,
        { to, date, note, withSiblings: values.withSiblings === 'yes' },
        request.id,
      )
      if (outcome.outcome === 'not-found') return reply.callNotFound()
      if (outcome.outcome === 'refused') {
        const [first, ...others] = outcome.reasons
        if (outcome.field === 'date' && first)
          return showStep(request, reply, { values, errors: { 'date-day': first }, reasons: others })
        if (outcome.field === 'note' && first)
          return showStep(request, reply, { values, errors: { note: first }, reasons: others })
        return showStep(request, reply, { values, reasons: outcome.reasons })
      }
      const stillSeen = await services.plans.reach(actor, request.params.id, 'plan:view')
      if (!stillSeen) {
        const moved = outcome.plans[0]
        return reply.render('plans/views/moved.njk', {
          title: `The plan is now “${STATUS_NAMES[to]}”`,
          child: (await findPlan(services.db, request.params.id))?.child,
          version: moved?.version,
          others: outcome.plans.length - 1,
        })
      }
      return reply.redirect(`/plans/${request.params.id}?saved=moved`, 303)
    },
  )

  app.post<{ Params: { id: string } }>(
    '/plans/:id/sign-off',
    { config: { permission: 'plan:sign-off' } },
    async (request, reply) => {
      const actor = request.actor
      if (actor.kind !== 'staff') return reply.callNotFound()
      const outcome = await lifecycle.signOff(actor, request.params.id, request.id)
      if (outcome.outcome === 'not-found') return reply.callNotFound()
      if (outcome.outcome === 'refused')
        return reply.code(409).render('errors/problem.njk', {
          title: 'The plan cannot be signed off now',
          message: outcome.reasons.join(' '),
        })
      return reply.redirect(`/plans/${request.params.id}?saved=signed-off`, 303)
    },
  )
}
