import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { formFields, fromFieldErrors, wholeNumber } from '../../platform/forms.ts'
import { requestedPage } from '../../platform/pagination.ts'
import { can } from '../../platform/policy.ts'
import { staff } from '../../platform/request-context.ts'
import type { Services } from '../../services.ts'
import { type ChildFormValues, formValues, parseChildForm, valuesFromRecord } from './form.ts'
import { ETHNICITIES, ethnicityText, SEXES, sexText } from './reference.ts'
import type { ChildRecord } from './service.ts'

// The children pages: the agency's list with search, add a child, a child's record, change it.
// The search term is kept in the session, never in the address: it is usually a child's name.

const SAVED_MESSAGES: Record<string, string> = {
  added: 'Child added',
  changed: 'Changes saved',
  allocated: 'Allocation added',
  'allocation-ended': 'Allocation ended',
}

export async function childrenRoutes(app: FastifyInstance, { services }: { services: Services }) {
  const { children } = services

  app.get('/children', { config: { permission: 'children:list' } }, async (request, reply) => {
    const actor = staff(request)
    const search = request.session?.data.childSearch ?? ''
    const result = await children.list(actor, { search, page: requestedPage(request.query) })
    return reply.render('children/views/list.njk', {
      title: 'Children',
      search,
      result,
      canAdd: can(actor, 'child:create'),
    })
  })

  app.post('/children/search', { config: { permission: 'children:list' } }, async (request, reply) => {
    const fields = formFields(request.body)
    const search = 'clear' in fields ? '' : (fields.search ?? '').trim().slice(0, 100)
    if (request.session)
      await services.sessions.setData(request.session.id, { ...request.session.data, childSearch: search })
    return reply.redirect('/children', 303)
  })

  async function showForm(
    request: FastifyRequest,
    reply: FastifyReply,
    options: {
      child?: ChildRecord
      values: ChildFormValues
      errors?: ReturnType<typeof fromFieldErrors>
      dateErrorPart?: string | null
      conflict?: ChildRecord
    },
  ) {
    const actor = staff(request)
    const choices = (await children.choices(actor)).filter((choice) => choice.id !== options.child?.id)
    return reply.render('children/views/form.njk', {
      title: options.child ? 'Change the child’s details' : 'Add a child',
      child: options.child,
      values: options.values,
      sexes: SEXES,
      ethnicities: ETHNICITIES,
      siblingChoices: choices,
      dateErrorPart: options.dateErrorPart ?? null,
      conflict: options.conflict,
      ...(options.errors ?? {}),
    })
  }

  app.get('/children/new', { config: { permission: 'child:create' } }, async (request, reply) => {
    const siblingOf = String((request.query as Record<string, unknown>).siblingOf ?? '')
    const values = formValues({ siblingOf })
    return showForm(request, reply, { values })
  })

  app.post('/children', { config: { permission: 'child:create' } }, async (request, reply) => {
    const actor = staff(request)
    const values = formValues(formFields(request.body))
    const parsed = parseChildForm(values)
    if (!parsed.ok)
      return showForm(request, reply, { values, errors: parsed.errors, dateErrorPart: parsed.dateErrorPart })
    const result = await children.add(actor, parsed.details, request.id)
    if (result.outcome === 'invalid-sibling') {
      return showForm(request, reply, {
        values,
        errors: fromFieldErrors({ siblingOf: 'Select a sibling from the list' }, []),
      })
    }
    return reply.redirect(`/children/${result.child.id}?saved=added`, 303)
  })

  app.get<{ Params: { id: string } }>(
    '/children/:id',
    { config: { permission: 'child:view' } },
    async (request, reply) => {
      const actor = request.actor
      if (actor.kind !== 'staff' && actor.kind !== 'adopter') return reply.callNotFound()
      const child = await children.view(actor, request.params.id, request.id)
      if (!child) return reply.callNotFound()
      const saved = (request.query as Record<string, unknown>).saved
      // Allocations are the placing agency's business: its own staff see them, nobody else.
      const ownAgency = actor.kind === 'staff' && actor.agencyId === child.agency_id
      return reply.render('children/views/child.njk', {
        title: `${child.first_name} ${child.last_name}`,
        child,
        sex: sexText(child.sex),
        ethnicity: ethnicityText(child.ethnicity),
        saved: typeof saved === 'string' && saved in SAVED_MESSAGES ? SAVED_MESSAGES[saved] : null,
        canChange: can(actor, 'child:update', { agencyId: child.agency_id }),
        allocations: ownAgency ? await services.allocations.current(child.id) : null,
        canAllocate: can(actor, 'allocation:manage', { agencyId: child.agency_id }),
        canSeeAccess: can(actor, 'audit:read', { agencyId: child.agency_id }),
        planId: actor.kind === 'staff' ? await services.plans.forChild(child.id) : null,
        canStartPlan: can(actor, 'plan:create', { agencyId: child.agency_id }),
      })
    },
  )

  app.get<{ Params: { id: string } }>(
    '/children/:id/edit',
    { config: { permission: 'child:update' } },
    async (request, reply) => {
      const child = await children.find(staff(request), request.params.id, 'child:update')
      if (!child) return reply.callNotFound()
      return showForm(request, reply, { child, values: valuesFromRecord(child) })
    },
  )

  app.post<{ Params: { id: string } }>(
    '/children/:id',
    { config: { permission: 'child:update' } },
    async (request, reply) => {
      const actor = staff(request)
      const child = await children.find(actor, request.params.id, 'child:update')
      if (!child) return reply.callNotFound()
      const values = formValues(formFields(request.body))
      const parsed = parseChildForm(values)
      if (!parsed.ok) {
        return showForm(request, reply, {
          child,
          values,
          errors: parsed.errors,
          dateErrorPart: parsed.dateErrorPart,
        })
      }
      const version = wholeNumber(values.version)
      const result = await children.change(actor, child.id, parsed.details, version ?? -1, request.id)
      if (result.outcome === 'not-found') return reply.callNotFound()
      if (result.outcome === 'invalid-sibling') {
        return showForm(request, reply, {
          child,
          values,
          errors: fromFieldErrors({ siblingOf: 'Select a sibling from the list' }, []),
        })
      }
      if (result.outcome === 'conflict') {
        // Keep what the person typed, show what is saved now, and let them decide.
        return showForm(request, reply, {
          child: result.current,
          values: { ...values, version: String(result.current.version) },
          conflict: result.current,
          errors: fromFieldErrors(
            {
              conflict:
                'Someone else changed this record while you were working on it. Check the saved details, then save yours again if they are still right',
            },
            [],
          ),
        })
      }
      return reply.redirect(`/children/${child.id}?saved=changed`, 303)
    },
  )
}
