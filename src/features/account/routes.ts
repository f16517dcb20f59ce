import type { FastifyInstance } from 'fastify'
import { recordAudit } from '../../platform/audit.ts'
import { formFields } from '../../platform/forms.ts'
import type { Services } from '../../services.ts'

// Your own account: where you are signed in, and signing out of a session you do not recognise.

/** "Chrome on Windows" from a user-agent header, enough to recognise a device; never shown raw. */
export function describeDevice(userAgent: string | null): string {
  if (!userAgent) return 'Unknown device'
  const browser = [/Edg\//, /Firefox\//, /Chrome\//, /Safari\//].find((pattern) => pattern.test(userAgent))
  const browsers = new Map([
    ['Edg', 'Edge'],
    ['Firefox', 'Firefox'],
    ['Chrome', 'Chrome'],
    ['Safari', 'Safari'],
  ])
  const name = browser ? browsers.get(browser.source.replace('\\/', '')) : undefined
  const system = /Windows/.test(userAgent)
    ? 'Windows'
    : /iPhone|iPad/.test(userAgent)
      ? 'iOS'
      : /Mac OS/.test(userAgent)
        ? 'macOS'
        : /Android/.test(userAgent)
          ? 'Android'
          : /Linux/.test(userAgent)
            ? 'Linux'
            : undefined
  if (!name && !system) return 'Unknown device'
  return [name ?? 'A browser', system ? `on ${system}` : ''].join(' ').trim()
}

export async function accountRoutes(app: FastifyInstance, { services }: { services: Services }) {
  app.get('/account/sessions', { config: { permission: 'signed-in' } }, async (request, reply) => {
    const user = request.user
    if (!user) return reply.redirect('/sign-in', 303)
    const sessions = await services.sessions.active(user.id)
    const ended = (request.query as Record<string, unknown>).ended === '1'
    return reply.render('account/views/sessions.njk', {
      title: 'Where you are signed in',
      ended,
      sessions: sessions.map((session) => ({
        ...session,
        device: describeDevice(session.user_agent),
        current: session.id === request.session?.id,
      })),
    })
  })

  app.post('/account/sessions/end', { config: { permission: 'signed-in' } }, async (request, reply) => {
    const user = request.user
    const sessionId = formFields(request.body).session ?? ''
    if (!user || !(await services.sessions.endOwn(user.id, sessionId))) return reply.callNotFound()
    await recordAudit(services.db, {
      what: 'session-ended-by-user',
      who: user.id,
      agencyId: user.agency_id,
      subjectType: 'user',
      subjectId: user.id,
      correlationId: request.id,
    })
    if (sessionId === request.session?.id) return reply.redirect('/signed-out', 303)
    return reply.redirect('/account/sessions?ended=1', 303)
  })
}
