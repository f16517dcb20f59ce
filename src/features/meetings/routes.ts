import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { dateParts, parseDateInput } from '../../platform/date-input.ts'
import { todayInEngland } from '../../platform/dates.ts'
import { type FieldErrors, formFields, fromFieldErrors } from '../../platform/forms.ts'
import { staff } from '../../platform/request-context.ts'
import type { Services } from '../../services.ts'
import { checkText, TEXT_MAX } from '../adopters-part/form.ts'

// Recording an adoption support planning meeting: one page, from the plan's front page, where the
// meetings are listed.

type Params = { id: string }
const FIELDS = ['heldOn-day', 'attended', 'supportService', 'agreed']

export async function meetingRoutes(app: FastifyInstance, { services }: { services: Services }) {
  const { meetings } = services

  async function showNew(
    request: FastifyRequest<{ Params: Params }>,
    reply: FastifyReply,
    typed: { values?: Record<string, string>; errors?: FieldErrors } = {},
  ) {
    const plan = await meetings.planFor(staff(request), request.params.id)
    if (!plan) return reply.callNotFound()
    const errors = typed.errors ?? {}
    if (Object.keys(errors).length > 0) reply.code(422)
    return reply.render('meetings/views/new.njk', {
      title: 'Record an adoption support planning meeting',
      plan,
      values: typed.values ?? {},
      textMax: TEXT_MAX,
      ...(Object.keys(errors).length > 0 ? fromFieldErrors(errors, FIELDS) : {}),
    })
  }

  app.get<{ Params: Params }>(
    '/plans/:id/meetings/new',
    { config: { permission: 'plan:record-meeting' } },
    (request, reply) => showNew(request, reply),
  )

  app.post<{ Params: Params }>(
    '/plans/:id/meetings/new',
    { config: { permission: 'plan:record-meeting' } },
    async (request, reply) => {
      const values = formFields(request.body)
      const errors: FieldErrors = {}
      const date = parseDateInput(dateParts(values, 'heldOn'), 'The date of the meeting')
      let heldOn = ''
      if ('empty' in date) errors['heldOn-day'] = 'Enter the date of the meeting'
      else if ('error' in date) errors[`heldOn-${date.part}`] = date.error
      else if (date.iso > todayInEngland())
        errors['heldOn-day'] = 'The date of the meeting must be today or in the past'
      else heldOn = date.iso
      const text = (field: string, what: string, missing: string) => {
        const checked = checkText(values[field], {
          missing,
          tooLong: `${what} must be ${TEXT_MAX} characters or fewer`,
        })
        if ('error' in checked) errors[field] = checked.error
        return 'value' in checked ? checked.value : ''
      }
      const attended = text('attended', 'Who attended', 'Enter who attended the meeting')
      const supportService = text(
        'supportService',
        'The adoption support service consulted',
        'Enter the adoption support service consulted',
      )
      const agreed = text('agreed', 'What the meeting agreed', 'Enter what the meeting agreed')
      if (Object.keys(errors).length > 0) return showNew(request, reply, { values, errors })
      const recorded = await meetings.record(
        staff(request),
        request.params.id,
        { heldOn, attended, supportService, agreed },
        request.id,
      )
      if (recorded.outcome === 'not-found') return reply.callNotFound()
      return reply.redirect(`/plans/${request.params.id}?saved=meeting#meetings`, 303)
    },
  )
}
