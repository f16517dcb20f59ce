import type { FastifyInstance } from 'fastify'
import { formatDate } from '../../platform/dates.ts'
import { formFields } from '../../platform/forms.ts'
import { staff } from '../../platform/request-context.ts'
import type { Services } from '../../services.ts'
import { EVENT_CODES, eventName } from './events.ts'
import { auditHref, parseAuditQuery } from './filters.ts'
import { presentEvents, roleName } from './present.ts'
import { recordAccessCsv } from './record-access.ts'

// The audit log for an agency's administrators: the agency's events with filters, and who has seen
// one child's record, for subject access requests. Filters are GET parameters of ids, codes and
// dates; children are chosen from a list, so no name ever reaches an address.

const ACTIONS = EVENT_CODES.map((code) => ({ code, text: eventName(code) }))

export async function auditRoutes(app: FastifyInstance, { services }: { services: Services }) {
  const { audit } = services

  app.get('/audit', { config: { permission: 'audit:read' } }, async (request, reply) => {
    const actor = staff(request)
    const query = parseAuditQuery(formFields(request.query))
    const { people, children } = await audit.choices(actor)
    const { values } = query
    // The filters' options, made here: an agency has hundreds of children, and a template loop
    // building the list item by item cost more than the rest of the page.
    const items = {
      person: [
        { value: '', text: 'Anyone' },
        ...people.map((person) => ({
          value: person.id,
          text: `${person.name} – ${roleName(person.role)}${person.active ? '' : ' (deactivated)'}`,
          selected: values.person === person.id,
        })),
      ],
      child: [
        { value: '', text: 'Any child' },
        ...children.map((choice) => ({
          value: choice.id,
          text: `${choice.first_name} ${choice.last_name} (born ${formatDate(choice.date_of_birth)})`,
          selected: values.child === choice.id,
        })),
      ],
      action: [
        { value: '', text: 'Any action' },
        ...ACTIONS.map((action) => ({
          value: action.code,
          text: action.text,
          selected: values.action === action.code,
        })),
      ],
    }
    const common = { title: 'Audit log', values, items, actions: ACTIONS }
    if (!query.ok)
      return reply.render('audit/views/log.njk', {
        ...common,
        ...query.errors,
        dateErrorParts: query.dateErrorParts,
      })
    const page = await audit.events(actor, query.filter, query.cursor)
    const child = children.find((choice) => choice.id === query.filter.child)
    return reply.render('audit/views/log.njk', {
      ...common,
      dateErrorParts: {},
      events: presentEvents(page.events, page.names, actor),
      newerHref: page.newer === null ? null : auditHref(query.values, { after: page.newer }),
      olderHref: page.older === null ? null : auditHref(query.values, { before: page.older }),
      filtered: Object.keys(query.filter).length > 0,
      child,
    })
  })

  app.get<{ Params: { id: string } }>(
    '/audit/children/:id',
    { config: { permission: 'audit:read' } },
    async (request, reply) => {
      const actor = staff(request)
      const access = await audit.recordAccess(actor, request.params.id)
      if (!access) return reply.callNotFound()
      const { firstName, lastName } = access.child
      return reply.render('audit/views/record-access.njk', {
        title: `Who has seen ${firstName} ${lastName}’s record`,
        child: access.child,
        people: access.people.map((person) => ({
          ...person,
          name: person.who ? (person.name ?? 'Someone no longer on record') : 'An operator',
          role: person.who ? roleName(person.role) : 'Command line',
        })),
      })
    },
  )

  app.get<{ Params: { id: string } }>(
    '/audit/children/:id/download',
    { config: { permission: 'audit:read' } },
    async (request, reply) => {
      const actor = staff(request)
      const access = await audit.recordAccess(actor, request.params.id)
      if (!access) return reply.callNotFound()
      const csv = recordAccessCsv(access)
      await audit.exported(actor, access.child.id, access.people.length, request.id)
      return reply
        .header('content-type', 'text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="who-has-seen-${access.child.id}.csv"`)
        .header('cache-control', 'no-store')
        .send(csv)
    },
  )
}
