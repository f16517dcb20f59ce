import type { FastifyInstance } from 'fastify'
import { formFields, fromFieldErrors } from '../../platform/forms.ts'
import { requestedPage } from '../../platform/pagination.ts'
import { can } from '../../platform/policy.ts'
import { staff } from '../../platform/request-context.ts'
import type { Services } from '../../services.ts'
import { parseFamilyForm } from './form.ts'

// Families: add prospective adopters, match a child with them, share the child's details with them,
// allocate a worker of either agency. Adopters reach their own family at /family.

const SAVED: Record<string, string> = {
  added: 'Family added',
  matched: 'Child matched with the family',
  shared: 'The child’s details are now shared with the adopters',
  allocated: 'Worker allocated to the family',
  invited: 'Invitation sent',
}

export async function familyRoutes(app: FastifyInstance, { services }: { services: Services }) {
  const { families } = services

  app.get('/families', { config: { permission: 'families:list' } }, async (request, reply) => {
    const result = await families.list(staff(request), { page: requestedPage(request.query) })
    return reply.render('families/views/list.njk', {
      title: 'Families',
      result,
      canAdd: can(request.actor, 'family:create'),
    })
  })

  const showNew = async (values: Record<string, string>, errors = {}) => ({
    title: 'Add a family',
    values,
    agencies: await families.agencies(),
    ...errors,
  })

  app.get('/families/new', { config: { permission: 'family:create' } }, async (request, reply) =>
    reply.render('families/views/new.njk', await showNew({ approvingAgencyId: staff(request).agencyId })),
  )

  app.post('/families', { config: { permission: 'family:create' } }, async (request, reply) => {
    const values = formFields(request.body)
    const parsed = parseFamilyForm(values)
    if (!parsed.ok) return reply.render('families/views/new.njk', await showNew(values, parsed.errors))
    // The list offers only real agencies; a made-up one is answered as a choice not made.
    if (!(await families.isAgency(parsed.details.approvingAgencyId)))
      return reply.render(
        'families/views/new.njk',
        await showNew(
          values,
          fromFieldErrors({ approvingAgencyId: 'Select the agency that approved the adopters' }, [
            'approvingAgencyId',
          ]),
        ),
      )
    const id = await families.add(staff(request), parsed.details, request.id)
    return reply.redirect(`/families/${id}?saved=added`, 303)
  })

  app.get('/family', { config: { permission: 'family:own' } }, async (request, reply) => {
    if (request.actor.kind !== 'adopter') return reply.callNotFound()
    return reply.redirect(`/families/${request.actor.familyId}`, 303)
  })

  app.get<{ Params: { id: string } }>(
    '/families/:id',
    { config: { permission: 'family:view' } },
    async (request, reply) => {
      const actor = request.actor
      if (actor.kind !== 'staff' && actor.kind !== 'adopter') return reply.callNotFound()
      const family = await families.view(actor, request.params.id, request.id)
      if (!family) return reply.callNotFound()
      const facts = {
        agencyId: family.agencyId,
        approvingAgencyId: family.approvingAgencyId,
        familyId: family.id,
      }
      const canUpdate = can(actor, 'family:update', facts)
      const canAllocate = can(actor, 'family:allocate', facts)
      const saved = String((request.query as Record<string, unknown>).saved ?? '')
      return reply.render('families/views/family.njk', {
        title: actor.kind === 'adopter' ? 'Your family' : 'Family',
        family,
        isAdopter: actor.kind === 'adopter',
        canUpdate,
        canAllocate,
        unmatched: canUpdate && actor.kind === 'staff' ? await families.unmatchedChildren(actor) : [],
        candidates: canAllocate && actor.kind === 'staff' ? await families.workerCandidates(actor) : [],
        saved: SAVED[saved] ?? null,
      })
    },
  )

  app.post<{ Params: { id: string } }>(
    '/families/:id/matches',
    { config: { permission: 'family:update' } },
    async (request, reply) => {
      const { outcome } = await families.match(
        staff(request),
        request.params.id,
        formFields(request.body).childId ?? '',
        request.id,
      )
      if (outcome === 'not-found') return reply.callNotFound()
      if (outcome !== 'matched') {
        const family = await families.find(request.actor, request.params.id, 'family:update')
        if (!family) return reply.callNotFound()
        return reply.render('families/views/family.njk', {
          title: 'Family',
          family,
          canUpdate: true,
          unmatched: await families.unmatchedChildren(staff(request)),
          candidates: [],
          ...fromFieldErrors(
            {
              childId:
                outcome === 'already-matched'
                  ? 'This child is already matched with a family'
                  : 'Select a child from the list',
            },
            [],
          ),
        })
      }
      return reply.redirect(`/families/${request.params.id}?saved=matched`, 303)
    },
  )

  app.post<{ Params: { id: string; matchId: string } }>(
    '/families/:id/matches/:matchId/share',
    { config: { permission: 'family:update' } },
    async (request, reply) => {
      const done = await families.share(staff(request), request.params.id, request.params.matchId, request.id)
      return done ? reply.redirect(`/families/${request.params.id}?saved=shared`, 303) : reply.callNotFound()
    },
  )

  app.post<{ Params: { id: string } }>(
    '/families/:id/workers',
    { config: { permission: 'family:allocate' } },
    async (request, reply) => {
      const done = await families.allocateWorker(
        staff(request),
        request.params.id,
        formFields(request.body).userId ?? '',
        request.id,
      )
      return done
        ? reply.redirect(`/families/${request.params.id}?saved=allocated`, 303)
        : reply.callNotFound()
    },
  )
}
