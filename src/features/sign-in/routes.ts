import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import QRCode from 'qrcode'
import type { Config } from '../../config.ts'
import { londonTime } from '../../platform/dates.ts'
import { formFields, fromFieldErrors } from '../../platform/forms.ts'
import { SESSION_COOKIE } from '../../platform/pipeline.ts'
import { newTotpSecret, totpUri } from '../../platform/totp.ts'
import { SERVICE_NAME } from '../../platform/views.ts'
import type { Services } from '../../services.ts'

// Sign in with an e-mail address and password, then a code from an authenticator app, which staff
// set up the first time they sign in. Sign out, and the page that says you were signed out.

export const SIGN_IN_LIMIT = { max: 20, timeWindow: '1 minute' }

export const renderLocked = (reply: FastifyReply, until: Date) =>
  reply
    .code(200)
    .render('sign-in/views/locked.njk', { title: 'Your account is locked', until: londonTime(until) })

export async function signInRoutes(
  app: FastifyInstance,
  { services, config }: { services: Services; config: Config },
) {
  const cookieOptions = { path: '/', httpOnly: true, sameSite: 'lax' as const, secure: config.secureCookies }

  // The way in with an organisation account is offered only where an agency has set one up.
  const renderSignIn = async (reply: FastifyReply, data: Record<string, unknown>) =>
    reply.render('sign-in/views/sign-in.njk', {
      title: 'Sign in',
      organisationSignIn: (await services.singleSignOn.agencies()).length > 0,
      ...data,
    })

  app.get('/sign-in', { config: { permission: 'public' } }, async (request, reply) => {
    if (request.actor.kind === 'staff') return reply.redirect('/', 303)
    return renderSignIn(reply, { values: {} })
  })

  app.post(
    '/sign-in',
    { config: { permission: 'public', rateLimit: SIGN_IN_LIMIT } },
    async (request, reply) => {
      const fields = formFields(request.body)
      const email = (fields.email ?? '').trim()
      const password = fields.password ?? ''
      const missing: Record<string, string> = {}
      if (!email) missing.email = 'Enter your email address'
      if (!password) missing.password = 'Enter your password'
      const showForm = (errors: Record<string, string>) =>
        renderSignIn(reply, {
          values: { email },
          ...fromFieldErrors(errors, ['email', 'password']),
        })
      if (Object.keys(missing).length > 0) return showForm(missing)

      const result = await services.signIn.checkPassword(email, password, { correlationId: request.id })
      if (result.outcome === 'locked') return renderLocked(reply, result.until)
      if (result.outcome === 'wrong') {
        return showForm({ email: 'Enter a correct email address and password' })
      }
      if (request.session) await services.sessions.end(request.session.id)
      const { token } = await services.sessions.start(result.user.id, request.headers['user-agent'])
      reply.setCookie(SESSION_COOKIE, token, cookieOptions)
      return reply.redirect(
        result.user.totp_secret ? '/sign-in/two-factor' : '/sign-in/set-up-two-factor',
        303,
      )
    },
  )

  async function finishSignIn(
    request: FastifyRequest,
    reply: FastifyReply,
    code: string,
    setupSecret?: string,
  ) {
    const session = request.session
    const user = request.user
    if (!session || !user) return reply.redirect('/sign-in', 303)
    const result = await services.signIn.checkSecondFactor(
      user,
      code,
      { correlationId: request.id },
      setupSecret,
    )
    if (result.outcome === 'locked') {
      await services.sessions.end(session.id)
      reply.clearCookie(SESSION_COOKIE, { path: '/' })
      return renderLocked(reply, result.until)
    }
    if (result.outcome === 'wrong') return null
    const token = await services.sessions.completeSignIn(session.id)
    reply.setCookie(SESSION_COOKIE, token, cookieOptions)
    return reply.redirect('/', 303)
  }

  app.get('/sign-in/two-factor', { config: { permission: 'second-factor' } }, async (request, reply) => {
    if (!request.user?.totp_secret) return reply.redirect('/sign-in/set-up-two-factor', 303)
    return reply.render('sign-in/views/two-factor.njk', {
      title: 'Enter the code from your authenticator app',
    })
  })

  app.post(
    '/sign-in/two-factor',
    { config: { permission: 'second-factor', rateLimit: SIGN_IN_LIMIT } },
    async (request, reply) => {
      if (!request.user?.totp_secret) return reply.redirect('/sign-in/set-up-two-factor', 303)
      const code = formFields(request.body).code ?? ''
      const done = await finishSignIn(request, reply, code)
      if (done) return done
      return reply.render('sign-in/views/two-factor.njk', {
        title: 'Enter the code from your authenticator app',
        ...fromFieldErrors(
          {
            code: code.trim()
              ? 'The code is not right or has expired: enter the code your app shows now'
              : 'Enter the 6-digit code from your authenticator app',
          },
          ['code'],
        ),
      })
    },
  )

  async function showSetUp(
    request: FastifyRequest,
    reply: FastifyReply,
    errors: Record<string, string> = {},
  ) {
    const session = request.session
    const user = request.user
    if (!session || !user) return reply.redirect('/sign-in', 303)
    let secret = session.totp_setup_secret
    if (!secret) {
      secret = newTotpSecret()
      await services.sessions.setTotpSetupSecret(session.id, secret)
    }
    const qrSvg = await QRCode.toString(totpUri(secret, user.email, SERVICE_NAME), {
      type: 'svg',
      margin: 1,
      width: 200,
    })
    return reply.render('sign-in/views/set-up-two-factor.njk', {
      title: 'Set up your authenticator app',
      qrSvg,
      secretGroups: secret.match(/.{1,4}/g)?.join(' ') ?? secret,
      ...fromFieldErrors(errors, ['code']),
    })
  }

  app.get(
    '/sign-in/set-up-two-factor',
    { config: { permission: 'second-factor' } },
    async (request, reply) => {
      if (request.user?.totp_secret) return reply.redirect('/sign-in/two-factor', 303)
      return showSetUp(request, reply)
    },
  )

  app.post(
    '/sign-in/set-up-two-factor',
    { config: { permission: 'second-factor', rateLimit: SIGN_IN_LIMIT } },
    async (request, reply) => {
      if (request.user?.totp_secret) return reply.redirect('/sign-in/two-factor', 303)
      const secret = request.session?.totp_setup_secret
      if (!secret) return reply.redirect('/sign-in/set-up-two-factor', 303)
      const code = formFields(request.body).code ?? ''
      const done = await finishSignIn(request, reply, code, secret)
      if (done) return done
      return showSetUp(request, reply, {
        code: code.trim()
          ? 'The code is not right: enter the code your app shows now'
          : 'Enter the 6-digit code from your authenticator app',
      })
    },
  )

  async function endSession(request: FastifyRequest, reply: FastifyReply) {
    if (request.session) {
      await services.sessions.end(request.session.id)
      if (request.user && request.actor.kind === 'staff') {
        await services.signIn.recordSignOut(request.user, { correlationId: request.id })
      }
    }
    reply.clearCookie(SESSION_COOKIE, { path: '/' })
  }

  app.post('/sign-out', { config: { permission: 'public' } }, async (request, reply) => {
    await endSession(request, reply)
    return reply.redirect('/signed-out', 303)
  })

  // The idle-timeout warning comes here when time runs out; ending the session on a GET is safe
  // because it only ever ends the caller's own session.
  app.get('/signed-out', { config: { permission: 'public' } }, async (request, reply) => {
    await endSession(request, reply)
    reply.pageContext = { ...reply.pageContext, user: null, session: null }
    const idle = (request.query as Record<string, unknown>).reason === 'idle'
    return reply.render('sign-in/views/signed-out.njk', {
      title: idle ? 'You have been signed out' : 'You have signed out',
      idle,
      idleMinutes: config.sessionIdleMinutes,
    })
  })

  app.post('/session/keep-alive', { config: { permission: 'signed-in' } }, async (_request, reply) => {
    // Resuming the session for this request has already moved its idle clock on.
    return reply.code(204).send()
  })
}
