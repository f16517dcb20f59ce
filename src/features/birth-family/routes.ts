import fastifyMultipart from '@fastify/multipart'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { Config } from '../../config.ts'
import { LINK_STATUS_TEXT, NAME_MAX, signedDate } from '../../plan/birth-family.ts'
import { formFields, fromFieldErrors } from '../../platform/forms.ts'
import { serviceLink } from '../../platform/mail/messages.ts'
import { authorise } from '../../platform/pipeline.ts'
import { staff } from '../../platform/request-context.ts'
import type { Services } from '../../services.ts'
import { isUpload, readUpload } from '../photos/routes.ts'
import { prepareScan, SCAN_ERRORS, SCAN_MAX_BYTES } from './scan.ts'

// Birth family sign-off, the worker's side (ADR 0014): a page per plan listing section 4's relatives
// with every link and code sent to them, where each stands and what each relative answered; making a
// link or a letter's code (shown once, on the page that answers the form, and never again); withdrawing
// one; recording a signature on paper with its scan, which only staff who read the plan are sent.

type PlanParams = { id: string }
type RelativeParams = { id: string; relativeId: string }

const SAVED: Record<string, string> = {
  revoked: 'Withdrawn: it no longer works',
  signature: 'Paper signature recorded',
}

const PAPER_FIELDS = ['name', 'signed-day', 'signed-month', 'signed-year', 'scan']

export async function birthFamilyRoutes(
  app: FastifyInstance,
  { services, config }: { services: Services; config: Config },
) {
  const { birthFamily } = services
  const base = (planId: string) => `/plans/${planId}/birth-family`

  app.get<{ Params: PlanParams }>(
    '/plans/:id/birth-family',
    { config: { permission: 'plan:birth-family-read' } },
    async (request, reply) => {
      const found = await birthFamily.overview(staff(request), request.params.id, request.id)
      if (!found) return reply.callNotFound()
      const saved = String((request.query as Record<string, unknown>).saved ?? '')
      return reply.render('birth-family/views/links.njk', {
        title: 'Birth family sign-off',
        ...found,
        statusText: LINK_STATUS_TEXT,
        saved: SAVED[saved] ?? null,
      })
    },
  )

  async function showShare(
    request: FastifyRequest<{ Params: RelativeParams }>,
    reply: FastifyReply,
    error?: string,
  ) {
    const found = await birthFamily.relative(staff(request), request.params.id, request.params.relativeId)
    if (!found) return reply.callNotFound()
    if (error) reply.code(422)
    return reply.render('birth-family/views/share.njk', {
      title: `Ask ${found.entry.relative} to confirm the support offered`,
      ...found,
      ...(error ? fromFieldErrors({ kind: error }, ['kind']) : {}),
    })
  }

  const share = '/plans/:id/birth-family/:relativeId/share'
  app.get<{ Params: RelativeParams }>(
    share,
    { config: { permission: 'plan:birth-family-link' } },
    (r, reply) => showShare(r, reply),
  )

  app.post<{ Params: RelativeParams }>(
    share,
    { config: { permission: 'plan:birth-family-link' } },
    async (request, reply) => {
      const kind = formFields(request.body).kind
      if (kind !== 'link' && kind !== 'code')
        return showShare(request, reply, 'Select how you will send it to them')
      const { id, relativeId } = request.params
      const created = await birthFamily.create(staff(request), id, relativeId, kind, request.id)
      if (!created) return reply.callNotFound()
      // The one time the link or code is shown: the page that answers the form, kept by nobody.
      return reply.header('cache-control', 'no-store').render('birth-family/views/created.njk', {
        title: kind === 'link' ? 'Link created' : 'Code created for a letter',
        planId: id,
        kind,
        entry: created.entry,
        link: kind === 'link' ? serviceLink(config.serviceUrl, created.shown) : null,
        code: kind === 'code' ? created.shown : null,
        codePage: serviceLink(config.serviceUrl, '/birth-family'),
        expiresAt: created.expiresAt,
      })
    },
  )

  app.post<{ Params: { id: string; linkId: string } }>(
    '/plans/:id/birth-family/links/:linkId/revoke',
    { config: { permission: 'plan:birth-family-link' } },
    async (request, reply) => {
      const { id, linkId } = request.params
      const outcome = await birthFamily.revoke(staff(request), id, linkId, request.id)
      if (outcome === 'not-found') return reply.callNotFound()
      if (outcome === 'not-waiting')
        return reply.code(409).render('errors/problem.njk', {
          title: 'This can no longer be withdrawn',
          message: 'It has been answered, has expired, or was already withdrawn or closed.',
        })
      return reply.redirect(`${base(id)}?saved=revoked`, 303)
    },
  )

  async function showPaper(
    request: FastifyRequest<{ Params: RelativeParams }>,
    reply: FastifyReply,
    typed: { values?: Record<string, string>; errors?: Record<string, string> } = {},
  ) {
    const found = await birthFamily.relative(staff(request), request.params.id, request.params.relativeId)
    if (!found) return reply.callNotFound()
    const errors = typed.errors ?? {}
    if (Object.keys(errors).length > 0) reply.code(422)
    return reply.render('birth-family/views/paper.njk', {
      title: `Record ${found.entry.relative}’s signature on paper`,
      ...found,
      values: typed.values ?? {},
      ...(Object.keys(errors).length > 0 ? fromFieldErrors(errors, PAPER_FIELDS) : {}),
    })
  }

  const paper = '/plans/:id/birth-family/:relativeId/paper'
  app.get<{ Params: RelativeParams }>(
    paper,
    { config: { permission: 'plan:birth-family-link' } },
    (r, reply) => showPaper(r, reply),
  )

  // The upload reads multipart bodies, and only it: a plugin of its own, as the photos have.
  await app.register(async (uploads) => {
    await uploads.register(fastifyMultipart, {
      attachFieldsToBody: 'keyValues',
      throwFileSizeLimit: false,
      limits: { fileSize: SCAN_MAX_BYTES, files: 1, fields: 6, fieldSize: 16_384, parts: 8 },
      onFile: readUpload,
    })
    uploads.post<{ Params: RelativeParams }>(
      paper,
      // Refused before the body is read: nobody uploads 10MB to be told they may not.
      { config: { permission: 'plan:birth-family-link' }, onRequest: authorise },
      async (request, reply) => {
        const body = (request.body ?? {}) as Record<string, unknown>
        const values = formFields(body)
        const errors: Record<string, string> = {}
        const name = (values.name ?? '').trim()
        if (!name) errors.name = 'Enter the name they signed with'
        else if (name.length > NAME_MAX) errors.name = `The name must be ${NAME_MAX} characters or fewer`
        const signedOn = signedDate(values, 'signed', 'The date they signed', null)
        if ('error' in signedOn) errors[signedOn.field] = signedOn.error
        const upload = isUpload(body.scan) ? body.scan : null
        const scan =
          !upload || (upload.bytes.length === 0 && !upload.filename)
            ? ({ ok: false, error: SCAN_ERRORS.missing } as const)
            : await prepareScan(upload.bytes, upload.tooBig)
        if (!scan.ok) errors.scan = scan.error
        if (!scan.ok || !('iso' in signedOn) || Object.keys(errors).length > 0)
          return showPaper(request, reply, { values, errors })
        const { id, relativeId } = request.params
        const saved = await birthFamily.recordSignature(
          staff(request),
          id,
          relativeId,
          { name, signedOn: signedOn.iso, scan: scan.scan },
          request.id,
        )
        if (!saved) return reply.callNotFound()
        return reply.redirect(`${base(id)}?saved=signature`, 303)
      },
    )
  })

  app.get<{ Params: { id: string; signatureId: string } }>(
    '/plans/:id/birth-family/signatures/:signatureId/scan',
    { config: { permission: 'plan:birth-family-read' } },
    async (request, reply) => {
      const { id, signatureId } = request.params
      const scan = await birthFamily.scan(staff(request), id, signatureId, request.id)
      if (!scan) return reply.callNotFound()
      const pdf = scan.mediaType === 'application/pdf'
      const name = pdf ? 'signature.pdf' : scan.mediaType === 'image/png' ? 'signature.png' : 'signature.jpg'
      return (
        reply
          .header('cache-control', 'no-store')
          .header('content-type', scan.mediaType)
          // A PDF is kept as it came: it is downloaded, never opened by the browser inside the service.
          .header('content-disposition', `${pdf ? 'attachment' : 'inline'}; filename="${name}"`)
          .header('content-security-policy', "default-src 'none'; img-src 'self'; sandbox")
          .send(Buffer.from(scan.bytes))
      )
    },
  )
}
