import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { formFields, fromFieldErrors } from '../../platform/forms.ts'
import { staff } from '../../platform/request-context.ts'
import type { Services } from '../../services.ts'
import { HINT_MAX, type HintView } from './service.ts'

// The hints beside the plan's questions, in the agency's own words: every place, section by section,
// with the wording shown there and whose it is; a page to change one, or to go back to the default.

const SAVED: Record<string, string> = {
  changed: 'Hint saved. Workers see it on the plan’s pages now.',
  default: 'The default wording is used again.',
}

type Group = { heading: string | null; places: HintView[] }
type SectionGroup = { title: string; groups: Group[] }

/** Places by section, and within a section by list, in the plan's order. */
function bySection(places: HintView[]): SectionGroup[] {
  const sections: (SectionGroup & { key: string })[] = []
  for (const place of places) {
    let section = sections.at(-1)
    if (section?.key !== place.section.key) {
      section = {
        key: place.section.key,
        title: `${place.section.number}. ${place.section.title}`,
        groups: [],
      }
      sections.push(section)
    }
    const heading = place.list?.label ?? null
    let group = section.groups.at(-1)
    if (!group || group.heading !== heading) {
      group = { heading, places: [] }
      section.groups.push(group)
    }
    group.places.push(place)
  }
  return sections
}

export async function guidanceRoutes(app: FastifyInstance, { services }: { services: Services }) {
  const { guidance } = services

  app.get('/guidance', { config: { permission: 'guidance:edit' } }, async (request, reply) => {
    const saved = String((request.query as Record<string, unknown>).saved ?? '')
    return reply.render('guidance/views/list.njk', {
      title: 'Guidance beside the plan’s questions',
      sections: bySection(await guidance.list(staff(request))),
      saved: SAVED[saved] ?? null,
    })
  })

  async function showPlace(
    request: FastifyRequest<{ Params: { path: string } }>,
    reply: FastifyReply,
    typed?: { hint: string; error: string },
  ) {
    const place = await guidance.place(staff(request), request.params.path)
    if (!place) return reply.callNotFound()
    return reply.render('guidance/views/hint.njk', {
      title: `Change the hint: ${place.label}`,
      place,
      sectionTitle: `${place.section.number}. ${place.section.title}`,
      hint: typed ? typed.hint : (place.hint ?? ''),
      maxLength: HINT_MAX,
      ...(typed ? fromFieldErrors({ hint: typed.error }, ['hint']) : {}),
    })
  }

  app.get<{ Params: { path: string } }>(
    '/guidance/:path',
    { config: { permission: 'guidance:edit' } },
    async (request, reply) => showPlace(request, reply),
  )

  app.post<{ Params: { path: string } }>(
    '/guidance/:path',
    { config: { permission: 'guidance:edit' } },
    async (request, reply) => {
      const actor = staff(request)
      const fields = formFields(request.body)
      const useDefault = fields.action === 'default'
      const result = useDefault
        ? await guidance.useDefault(actor, request.params.path, request.id)
        : await guidance.change(actor, request.params.path, fields.hint ?? '', request.id)
      if (result.outcome === 'not-found') return reply.callNotFound()
      if (result.outcome === 'invalid')
        return showPlace(request, reply, { hint: fields.hint ?? '', error: result.error })
      return reply.redirect(`/guidance?saved=${useDefault ? 'default' : 'changed'}`, 303)
    },
  )
}
