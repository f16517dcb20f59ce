import type { FastifyInstance, FastifyReply } from 'fastify'
import type { Config } from '../../config.ts'
import { SESSION_COOKIE } from '../../platform/pipeline.ts'
import type { Services } from '../../services.ts'
import { renderLocked, SIGN_IN_LIMIT } from '../sign-in/routes.ts'
import { REFUSAL_PAGES, type Refusal } from './refusals.ts'
import { CALLBACK_PATH, IN_PROGRESS_MINUTES } from './service.ts'

// Sign in with an organisation account: choose your agency, sign in at its provider, and come back
// to the callback, which signs you in to the account you already have here (or says why not).
// Choosing is a link, not a form: our CSP (form-action 'self') rightly stops a form whose answer
// redirects to another site, and starting only sets a cookie and sends the browser on its way.

const START_PATH = '/sign-in/organisation'
const BEGIN_PATH = `${START_PATH}/start`
const IN_PROGRESS_COOKIE = 'sign-in-organisation'
const TITLE = 'Sign in with your organisation account'

export async function singleSignOnRoutes(
  app: FastifyInstance,
  { services, config }: { services: Services; config: Config },
) {
  const { singleSignOn, sessions } = services
  const cookie = { httpOnly: true, sameSite: 'lax' as const, secure: config.secureCookies }
  // Only our own sign-in pages ever see the sign-in in progress.
  const inProgressCookie = { ...cookie, path: START_PATH }

  const refused = (reply: FastifyReply, reason: Refusal) => {
    const page = REFUSAL_PAGES[reason]
    return reply
      .code(page.status)
      .render('single-sign-on/views/refused.njk', { ...page, startPath: START_PATH })
  }

  app.get(START_PATH, { config: { permission: 'public' } }, async (request, reply) => {
    if (request.actor.kind === 'staff') return reply.redirect('/', 303)
    return reply.render('single-sign-on/views/choose-agency.njk', {
      title: TITLE,
      agencies: await singleSignOn.agencies(),
      beginPath: BEGIN_PATH,
    })
  })

  app.get<{ Querystring: { agency?: string } }>(
    BEGIN_PATH,
    { config: { permission: 'public', rateLimit: SIGN_IN_LIMIT } },
    async (request, reply) => {
      const begun = await singleSignOn.begin(String(request.query.agency ?? ''), {
        correlationId: request.id,
      })
      if (begun.outcome === 'unknown-agency') return reply.redirect(START_PATH, 303)
      if (begun.outcome === 'refused') {
        request.log.warn({ reason: begun.reason }, 'single sign-on could not start')
        return refused(reply, begun.reason)
      }
      reply.setCookie(IN_PROGRESS_COOKIE, begun.inProgress, {
        ...inProgressCookie,
        maxAge: IN_PROGRESS_MINUTES * 60,
      })
      return reply.redirect(begun.url, 303)
    },
  )

  app.get(
    CALLBACK_PATH,
    { config: { permission: 'public', rateLimit: SIGN_IN_LIMIT } },
    async (request, reply) => {
      const queryStart = request.url.indexOf('?')
      const query = queryStart === -1 ? '' : request.url.slice(queryStart)
      const finished = await singleSignOn.finish(request.cookies[IN_PROGRESS_COOKIE], query, {
        correlationId: request.id,
      })
      // Used once, whatever the outcome.
      reply.clearCookie(IN_PROGRESS_COOKIE, inProgressCookie)
      if (finished.outcome === 'refused') {
        request.log.info({ reason: finished.reason }, 'single sign-on refused')
        return refused(reply, finished.reason)
      }
      if (finished.outcome === 'locked') return renderLocked(reply, finished.until)

      const { user, secondFactorDone } = finished
      if (request.session) await sessions.end(request.session.id)
      const started = await sessions.start(user.id, request.headers['user-agent'])
      // A provider that enforces its own second factor signs the person in fully; otherwise they give
      // ours next, as after a password.
      const token = secondFactorDone ? await sessions.completeSignIn(started.session.id) : started.token
      reply.setCookie(SESSION_COOKIE, token, { ...cookie, path: '/' })
      if (secondFactorDone) return reply.redirect('/', 303)
      return reply.redirect(user.totp_secret ? '/sign-in/two-factor' : '/sign-in/set-up-two-factor', 303)
    },
  )
}
