import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { Config } from '../config.ts'
import type { User } from '../db/schema.ts'
import type { Services } from '../services.ts'
import { CSRF_COOKIE, CSRF_FIELD, csrfToken, csrfTokenValid, newCsrfSeed } from './csrf.ts'
import { forbidden, isApiRequest, sendProblem } from './errors.ts'
import { navigationFor } from './navigation.ts'
import { type Actor, can } from './policy.ts'
import { ADOPTER_ROLE, isStaffRole, ROLE_NAMES } from './roles.ts'

// Who is asking (authentication), whether they may (authorisation), and whether a form really
// came from our own page (CSRF): the steps every request passes before a route sees it.

export const SESSION_COOKIE = 'session'

declare module 'fastify' {
  interface FastifyRequest {
    user: User | null
    csrfSeed: string
  }
}

function staffActor(user: User): Actor {
  if (!isStaffRole(user.role)) return { kind: 'anonymous' }
  return { kind: 'staff', userId: user.id, agencyId: user.agency_id, role: user.role }
}

/** Staff by their role; adopters by the family they belong to. */
async function actorFor(services: Services, user: User): Promise<Actor> {
  if (user.role !== ADOPTER_ROLE) return staffActor(user)
  const familyId = await services.accounts.familyOf(user.id)
  return familyId
    ? { kind: 'adopter', userId: user.id, agencyId: user.agency_id, familyId }
    : { kind: 'anonymous' }
}

function isLoopback(ip: string): boolean {
  return ip === '127.0.0.1' || ip === '::1' || ip === '::ffff:127.0.0.1'
}

function bearer(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization
  return header?.startsWith('Bearer ') ? header.slice(7).trim() : undefined
}

export function authentication(app: FastifyInstance, services: Services, config: Config): void {
  app.decorateRequest('actor', null as never)
  app.decorateRequest('session', null)
  app.decorateRequest('user', null)
  app.decorateRequest('csrfSeed', '')

  app.addHook('onRequest', async (request, reply) => {
    request.actor = { kind: 'anonymous' }
    if (request.url === '/metrics' || request.url.startsWith('/metrics?')) {
      const token = bearer(request)
      const allowed = config.metricsToken ? token === config.metricsToken : isLoopback(request.ip)
      if (allowed) request.actor = { kind: 'operator' }
      return
    }
    if (isApiRequest(request)) {
      // The API takes bearer tokens only: a browser's cookies must not act on it.
      const token = bearer(request)
      const user = token ? await services.accounts.userForToken(token) : undefined
      if (user) {
        request.user = user
        request.actor = staffActor(user)
      }
      return
    }
    let seed = request.cookies[CSRF_COOKIE]
    if (!seed) {
      seed = newCsrfSeed()
      reply.setCookie(CSRF_COOKIE, seed, {
        path: '/',
        httpOnly: true,
        sameSite: 'lax',
        secure: config.secureCookies,
      })
    }
    request.csrfSeed = seed
    const token = request.cookies[SESSION_COOKIE]
    const resumed = token ? await services.sessions.resume(token) : null
    if (!resumed) return
    request.session = resumed.session
    request.user = resumed.user
    request.actor = resumed.session.second_factor_done
      ? await actorFor(services, resumed.user)
      : { kind: 'pending', userId: resumed.user.id }
  })

  let pages: Set<string> | undefined
  app.addHook('onRequest', async (request, reply) => {
    pages ??= new Set(app.routeCatalogue.filter((route) => route.method === 'GET').map((route) => route.url))
    const signedIn = (request.actor.kind === 'staff' || request.actor.kind === 'adopter') && request.user
    const currentPath = request.url.split('?')[0] ?? '/'
    reply.pageContext = {
      cspNonce: (reply as unknown as { cspNonce?: { script: string } }).cspNonce?.script ?? '',
      csrfToken: request.csrfSeed ? csrfToken(config.sessionSecret, request.csrfSeed) : '',
      currentPath,
      navigation: signedIn ? navigationFor(request.actor, currentPath, pages) : [],
      user:
        signedIn && request.user
          ? {
              name: request.user.name,
              roleName: isStaffRole(request.user.role) ? ROLE_NAMES[request.user.role] : 'Adopter',
            }
          : null,
      session: signedIn
        ? { idleSeconds: config.sessionIdleMinutes * 60, warningSeconds: config.sessionWarningSeconds }
        : null,
    }
  })
}

export function authorisation(app: FastifyInstance): void {
  app.addHook('preHandler', authorise)
}

/**
 * Lets the request on if the route's permission allows its actor; otherwise answers. Also usable
 * earlier, as an onRequest hook, where a body is costly to read (an upload).
 */
export async function authorise(
  request: FastifyRequest,
  reply: FastifyReply,
): Promise<FastifyReply | undefined> {
  // The not-found page is for everyone: it says nothing about what exists.
  if (request.is404) return
  const permission = request.routeOptions.config.permission
  if (!permission) {
    // A route without a declared permission is a programming error: refuse, loudly.
    request.log.error({ route: request.routeOptions.url }, 'route declares no permission')
    return forbidden(request, reply)
  }
  if (can(request.actor, permission)) return
  return refuse(request, reply)
}

function refuse(request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const actor = request.actor
  if (isApiRequest(request) && actor.kind === 'anonymous') {
    reply.header('WWW-Authenticate', 'Bearer')
    return sendProblem(
      reply,
      401,
      'Unauthorized',
      'Send a valid API token as "Authorization: Bearer <token>".',
    )
  }
  if (request.url === '/metrics') return sendProblem(reply, 401, 'Unauthorized')
  if (actor.kind === 'anonymous') {
    // A session cookie that no longer opens a session: it ended while the person was away.
    return reply.redirect(request.cookies[SESSION_COOKIE] ? '/signed-out?reason=idle' : '/sign-in', 303)
  }
  if (actor.kind === 'pending') return reply.redirect('/sign-in/two-factor', 303)
  return forbidden(request, reply)
}

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE'])

export function csrfProtection(app: FastifyInstance, config: Config): void {
  // A preHandler, not onRequest: the form body is parsed by then.
  app.addHook('preHandler', async (request, reply) => {
    if (!UNSAFE.has(request.method) || isApiRequest(request) || request.url === '/metrics') return
    const body = request.body as Record<string, unknown> | undefined
    const token = body?.[CSRF_FIELD] ?? request.headers['x-csrf-token']
    if (csrfTokenValid(config.sessionSecret, request.csrfSeed, token)) return
    request.log.warn('form refused: missing or wrong CSRF token')
    return reply.code(403).render('errors/problem.njk', {
      title: 'This form has expired',
      message:
        'For your security, forms only work from the page we sent. Go back, reload the page and try again.',
    })
  })
}
