import type { FastifyInstance } from 'fastify'
import type { Config } from '../../config.ts'
import { formErrors, formFields, fromFieldErrors } from '../../platform/forms.ts'
import { SESSION_COOKIE } from '../../platform/pipeline.ts'
import { staff } from '../../platform/request-context.ts'
import { ROLE_NAMES, STAFF_ROLES } from '../../platform/roles.ts'
import type { Services } from '../../services.ts'
import { newPassword, staffInvitation } from './service.ts'

// Inviting: a worker invites a family's adopters, an administrator invites staff. Accepting: the
// link from the e-mail, a password, then the second factor as at any first sign-in.

const TAKEN = 'An account already uses this email address'

export async function invitationRoutes(
  app: FastifyInstance,
  { services, config }: { services: Services; config: Config },
) {
  const { invitations } = services

  app.post<{ Params: { id: string; adopterId: string } }>(
    '/families/:id/adopters/:adopterId/invite',
    { config: { permission: 'family:update' } },
    async (request, reply) => {
      const { id, adopterId } = request.params
      const result = await invitations.inviteAdopter(staff(request), id, adopterId, request.id)
      if (result.outcome === 'not-found') return reply.callNotFound()
      if (result.outcome === 'email-taken') {
        return reply.render('errors/problem.njk', { title: 'This adopter cannot be invited', message: TAKEN })
      }
      return reply.redirect(`/families/${id}?saved=invited`, 303)
    },
  )

  const roles = STAFF_ROLES.map((role) => ({ value: role, text: ROLE_NAMES[role] }))

  app.get('/staff/invite', { config: { permission: 'staff:manage' } }, async (_request, reply) =>
    reply.render('invitations/views/invite-staff.njk', {
      title: 'Invite a member of staff',
      values: {},
      roles,
    }),
  )

  app.post('/staff/invite', { config: { permission: 'staff:manage' } }, async (request, reply) => {
    const values = formFields(request.body)
    const order = ['name', 'email', 'role']
    const parsed = staffInvitation.safeParse(values)
    const show = (errors: ReturnType<typeof fromFieldErrors>) =>
      reply.render('invitations/views/invite-staff.njk', {
        title: 'Invite a member of staff',
        values,
        roles,
        ...errors,
      })
    if (!parsed.success) return show(formErrors(parsed.error.issues, order))
    const result = await invitations.inviteStaff(staff(request), parsed.data, request.id)
    if (result.outcome === 'email-taken') return show(fromFieldErrors({ email: TAKEN }, order))
    if (result.outcome === 'not-found') return reply.callNotFound()
    return reply.redirect('/staff?saved=invited', 303)
  })

  const expired = { title: 'This invitation link has expired or has been used' }

  app.get<{ Params: { token: string } }>(
    '/invitations/:token',
    { config: { permission: 'public' } },
    async (request, reply) => {
      const invitation = await invitations.open(request.params.token)
      if (!invitation) return reply.code(404).render('invitations/views/expired.njk', expired)
      return reply.render('invitations/views/accept.njk', {
        title: 'Create your password',
        name: invitation.name,
        token: request.params.token,
      })
    },
  )

  app.post<{ Params: { token: string } }>(
    '/invitations/:token',
    { config: { permission: 'public', rateLimit: { max: 20, timeWindow: '1 minute' } } },
    async (request, reply) => {
      const { token } = request.params
      const invitation = await invitations.open(token)
      if (!invitation) return reply.code(404).render('invitations/views/expired.njk', expired)
      const parsed = newPassword.safeParse(formFields(request.body))
      if (!parsed.success) {
        return reply.render('invitations/views/accept.njk', {
          title: 'Create your password',
          name: invitation.name,
          token,
          ...formErrors(parsed.error.issues, ['password', 'confirm']),
        })
      }
      const userId = await invitations.accept(token, parsed.data.password, request.id)
      if (!userId) return reply.code(404).render('invitations/views/expired.njk', expired)
      if (request.session) await services.sessions.end(request.session.id)
      const started = await services.sessions.start(userId, request.headers['user-agent'])
      reply.setCookie(SESSION_COOKIE, started.token, {
        path: '/',
        httpOnly: true,
        sameSite: 'lax',
        secure: config.secureCookies,
      })
      return reply.redirect('/sign-in/set-up-two-factor', 303)
    },
  )
}
