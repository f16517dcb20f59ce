import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import {
  CODE_REFUSED,
  LINK_REFUSALS,
  NAME_MAX,
  normaliseCode,
  parseAnswer,
  REASON_MAX,
} from '../../plan/birth-family.ts'
import { errorHandler } from '../../platform/errors.ts'
import { formFields, fromFieldErrors } from '../../platform/forms.ts'
import type { Services } from '../../services.ts'
import type { Credential, OpenOutcome } from './service.ts'

// Birth family sign-off, the relative's side (ADR 0014): no account, only what they hold, a link's
// token in the address or a letter's code typed on /birth-family. They see their own entry of
// section 4 and a form to confirm or decline it, and nothing else of the service: these pages have a
// layout of their own, with no navigation, no name of whoever may be signed in on the same computer,
// nothing that links further in, a title that names nobody, and are never cached. Addresses under
// /birth-family/ are cut from the logs (src/platform/logging.ts). The code page is rate-limited.

const TITLE = 'Adoption support offered to you'
const ANSWER_FIELDS = ['answer', 'name', 'date-day', 'date-month', 'date-year', 'reason']
const CODE_ATTEMPTS = { max: 10, timeWindow: '15 minutes' }

type TokenParams = { token: string }

export async function birthFamilyPublicRoutes(app: FastifyInstance, { services }: { services: Services }) {
  const { birthFamily } = services

  /** Renders a page of the relative's own: never the signed-in person's name, menu or session. */
  function show(reply: FastifyReply, template: string, data: Record<string, unknown>) {
    return reply
      .header('cache-control', 'no-store')
      .header('x-robots-tag', 'noindex, nofollow')
      .render(`birth-family/views/relative/${template}`, {
        ...data,
        user: null,
        navigation: [],
        session: null,
      })
  }

  // Too many codes tried: the page says so in the relative's words, not the sign-in page's.
  app.setErrorHandler((error: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
    if (error.statusCode === 429) return show(reply.code(429), 'too-many.njk', { title: 'Too many attempts' })
    return errorHandler(error, request, reply)
  })

  function showRefusal(reply: FastifyReply, outcome: Exclude<OpenOutcome, { outcome: 'open' }>) {
    if (outcome.outcome === 'unknown')
      return show(reply.code(404), 'refused.njk', {
        title: 'This link does not work',
        message: 'Check that you copied the whole link. It may have been mistyped or cut short.',
      })
    return show(reply.code(410), 'refused.njk', LINK_REFUSALS[outcome.status])
  }

  function showCodeForm(reply: FastifyReply, code: string, error?: string) {
    if (error) reply.code(422)
    return show(reply, 'code.njk', {
      title: 'Enter the code from your letter',
      code,
      ...(error ? fromFieldErrors({ code: error }, ['code']) : {}),
    })
  }

  function showSection(
    reply: FastifyReply,
    opened: Extract<OpenOutcome, { outcome: 'open' }>,
    form: { action: string; code?: string },
    typed: { values?: Record<string, string>; errors?: Record<string, string> } = {},
  ) {
    const errors = typed.errors ?? {}
    if (Object.keys(errors).length > 0) reply.code(422)
    return show(reply, 'section.njk', {
      title: TITLE,
      entry: opened.entry,
      action: form.action,
      code: form.code,
      values: typed.values ?? {},
      nameMax: NAME_MAX,
      reasonMax: REASON_MAX,
      ...(Object.keys(errors).length > 0 ? fromFieldErrors(errors, ANSWER_FIELDS) : {}),
    })
  }

  /**
   * An answer, from either kind of credential: checked against the link's date before anything is
   * written; a form with mistakes comes back with what was typed (and is an opening, audited).
   */
  async function answer(
    request: FastifyRequest,
    reply: FastifyReply,
    credential: Credential,
    form: { action: string; code?: string },
    refuse: (outcome: Exclude<OpenOutcome, { outcome: 'open' }>) => FastifyReply,
  ) {
    const values = formFields(request.body)
    const checked = await birthFamily.open(credential, request.id, { shown: false })
    if (checked.outcome !== 'open') return refuse(checked)
    const parsed = parseAnswer(values, checked.createdAt)
    if (!parsed.ok) {
      const opened = await birthFamily.open(credential, request.id)
      if (opened.outcome !== 'open') return refuse(opened)
      return showSection(reply, opened, form, { values, errors: parsed.errors })
    }
    const answered = await birthFamily.answer(credential, parsed.answer, request.id)
    if (answered.outcome !== 'open') return refuse(answered)
    return reply.redirect('/birth-family/answered', 303)
  }

  app.get('/birth-family', { config: { permission: 'public' } }, async (_request, reply) =>
    showCodeForm(reply, ''),
  )

  app.post(
    '/birth-family',
    { config: { permission: 'public', rateLimit: CODE_ATTEMPTS } },
    async (request, reply) => {
      const typed = (formFields(request.body).code ?? '').trim()
      if (!typed) return showCodeForm(reply, typed, 'Enter the code from your letter')
      const code = normaliseCode(typed)
      const opened = code ? await birthFamily.open({ kind: 'code', value: code }, request.id) : null
      if (!code || opened?.outcome !== 'open') return showCodeForm(reply, typed, CODE_REFUSED)
      return showSection(reply, opened, { action: '/birth-family/answer', code })
    },
  )

  app.post(
    '/birth-family/answer',
    { config: { permission: 'public', rateLimit: CODE_ATTEMPTS } },
    async (request, reply) => {
      const code = normaliseCode(formFields(request.body).code ?? '')
      if (!code) return showCodeForm(reply, '', CODE_REFUSED)
      return answer(
        request,
        reply,
        { kind: 'code', value: code },
        { action: '/birth-family/answer', code },
        () => showCodeForm(reply, '', CODE_REFUSED),
      )
    },
  )

  app.get('/birth-family/answered', { config: { permission: 'public' } }, async (_request, reply) =>
    show(reply, 'answered.njk', { title: 'Your answer has been sent' }),
  )

  app.get<{ Params: TokenParams }>(
    '/birth-family/:token',
    { config: { permission: 'public', rateLimit: { max: 60, timeWindow: '1 minute' } } },
    async (request, reply) => {
      const { token } = request.params
      const opened = await birthFamily.open({ kind: 'link', value: token }, request.id)
      if (opened.outcome !== 'open') return showRefusal(reply, opened)
      return showSection(reply, opened, { action: `/birth-family/${token}` })
    },
  )

  app.post<{ Params: TokenParams }>(
    '/birth-family/:token',
    { config: { permission: 'public', rateLimit: { max: 20, timeWindow: '1 minute' } } },
    async (request, reply) => {
      const { token } = request.params
      return answer(
        request,
        reply,
        { kind: 'link', value: token },
        { action: `/birth-family/${token}` },
        (o) => showRefusal(reply, o),
      )
    },
  )
}
