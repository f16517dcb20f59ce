import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify'
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod'
import { emptyPageContext } from './views.ts'

// How failures look: problem+json (RFC 9457) for the API, GOV.UK error pages for people. Details of
// an unexpected error go to the log with the request id, never to the page.

export function isApiRequest(request: FastifyRequest): boolean {
  return request.url.startsWith('/api/')
}

export function sendProblem(
  reply: FastifyReply,
  status: number,
  title: string,
  detail?: string,
  extra: Record<string, unknown> = {},
): FastifyReply {
  return reply
    .code(status)
    .type('application/problem+json')
    .send({ type: 'about:blank', title, status, ...(detail ? { detail } : {}), ...extra })
}

export function notFound(request: FastifyRequest, reply: FastifyReply): FastifyReply {
  if (isApiRequest(request))
    return sendProblem(reply, 404, 'Not Found', 'There is no such resource, or it is not yours to see.')
  return reply.code(404).render('errors/not-found.njk', { title: 'Page not found' })
}

export function forbidden(request: FastifyRequest, reply: FastifyReply): FastifyReply {
  if (isApiRequest(request)) return sendProblem(reply, 403, 'Forbidden', 'Your role does not allow this.')
  return reply.code(403).render('errors/forbidden.njk', { title: 'You do not have access to this page' })
}

export function errorHandler(
  error: FastifyError,
  request: FastifyRequest,
  reply: FastifyReply,
): FastifyReply {
  if (hasZodFastifySchemaValidationErrors(error)) {
    return sendProblem(reply, 400, 'Bad Request', 'The request does not match the schema.', {
      errors: error.validation.map((issue) => ({
        path: issue.instancePath || '/',
        message: issue.message,
      })),
    })
  }
  const status =
    error.statusCode && error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : 500
  if (status === 500) request.log.error({ err: error }, 'unexpected error')
  if (isApiRequest(request)) {
    return sendProblem(reply, status, status === 500 ? 'Internal Server Error' : error.message)
  }
  if (status === 429) {
    return reply.code(429).render('errors/too-many-requests.njk', { title: 'Too many attempts' })
  }
  if (status === 500) {
    return reply
      .code(500)
      .render('errors/problem.njk', { title: 'Sorry, there is a problem with the service' })
  }
  return reply
    .code(status)
    .render('errors/problem.njk', { title: 'Sorry, there is a problem with the service' })
}

/**
 * An address the router cannot read (bad percent-encoding, an overlong segment): answered as any
 * other refusal here, problem+json or a page, rather than Fastify's own JSON. Called before the
 * request's hooks have run, so the page has only the empty context.
 */
export function badAddress(_error: FastifyError, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  if (isApiRequest(request)) return sendProblem(reply, 400, 'Bad Request', 'The address is not valid.')
  // The reply here is Fastify's bare one, without the app's `render`: the views are the server's.
  const page = request.server.views.render('errors/not-found.njk', {
    ...emptyPageContext(request),
    title: 'Page not found',
  })
  return reply.code(400).type('text/html; charset=utf-8').send(page)
}
