import fastifyMultipart, { type MultipartFile } from '@fastify/multipart'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { formFields, fromFieldErrors } from '../../platform/forms.ts'
import { PHOTO_ERRORS, PHOTO_MAX_BYTES, type PhotoResult, preparePhoto } from '../../platform/photos.ts'
import { authorise } from '../../platform/pipeline.ts'
import { person } from '../../platform/request-context.ts'
import type { Services } from '../../services.ts'
import { DESCRIPTION_MAX } from './service.ts'

// The photos on a plan's front page: a page per person (the child, each adopter) to add, replace or
// remove their photo, and the photo itself, sent only to those who may read the plan and never kept
// by the browser. The upload is an ordinary form (multipart), so it works without JavaScript; a file
// that is refused comes back with a message, and the description typed beside it is kept.

type Params = { id: string; subject: string }
export type Upload = { filename: string; bytes: Buffer; tooBig: boolean }

const FIELD_ORDER = ['description', 'photo']

/** Reads the one file of the form, keeping no more than a photo may hold and noting if it held more. */
export async function readUpload(this: FastifyRequest, part: MultipartFile): Promise<void> {
  const chunks: Buffer[] = []
  for await (const chunk of part.file) chunks.push(chunk as Buffer)
  const upload: Upload = {
    filename: part.filename,
    bytes: Buffer.concat(chunks),
    tooBig: part.file.truncated,
  }
  Object.assign(part, { value: upload })
}

export function isUpload(value: unknown): value is Upload {
  return typeof value === 'object' && value !== null && 'bytes' in value && Buffer.isBuffer(value.bytes)
}

async function photoFrom(upload: Upload | null): Promise<PhotoResult> {
  if (!upload || (upload.bytes.length === 0 && !upload.filename))
    return { ok: false, error: 'Select a photo' }
  if (upload.tooBig) return { ok: false, error: PHOTO_ERRORS.tooBig }
  return preparePhoto(upload.bytes)
}

function describe(description: string | undefined): { description: string; error?: string } {
  const text = (description ?? '').trim()
  if (!text) return { description: text, error: 'Enter a short description of the photo' }
  if (text.length > DESCRIPTION_MAX)
    return { description: text, error: `The description must be ${DESCRIPTION_MAX} characters or fewer` }
  return { description: text }
}

export async function photoRoutes(app: FastifyInstance, { services }: { services: Services }) {
  const { photos } = services
  // Only this plugin's routes read multipart bodies. A file over the limit is cut short rather than
  // refused outright, so the page can say so and keep the rest of what was sent.
  await app.register(fastifyMultipart, {
    attachFieldsToBody: 'keyValues',
    throwFileSizeLimit: false,
    limits: { fileSize: PHOTO_MAX_BYTES, files: 1, fields: 4, fieldSize: 16_384, parts: 5 },
    onFile: readUpload,
  })

  const page = '/plans/:id/photos/:subject'

  async function showForm(
    request: FastifyRequest<{ Params: Params }>,
    reply: FastifyReply,
    typed: { description?: string; errors?: Record<string, string> } = {},
  ) {
    const actor = person(request)
    const reached =
      actor && (await photos.reachSubject(actor, request.params.id, request.params.subject, 'plan:update'))
    if (!reached) return reply.callNotFound()
    const { plan, subject } = reached
    const errors = typed.errors ?? {}
    if (Object.keys(errors).length > 0) reply.code(422)
    return reply.render('photos/views/photo.njk', {
      title: `Photo of ${subject.name}`,
      plan,
      subject,
      description: typed.description ?? subject.photo?.description ?? '',
      descriptionMax: DESCRIPTION_MAX,
      ...(Object.keys(errors).length > 0 ? fromFieldErrors(errors, FIELD_ORDER) : {}),
    })
  }

  app.get<{ Params: Params }>(page, { config: { permission: 'plan:update' } }, (request, reply) =>
    showForm(request, reply),
  )

  app.post<{ Params: Params }>(
    page,
    // Refused before the body is read: nobody uploads 10MB to be told they may not.
    { config: { permission: 'plan:update' }, onRequest: authorise },
    async (request, reply) => {
      const actor = person(request)
      const { id, subject } = request.params
      if (!actor || !(await photos.reachSubject(actor, id, subject, 'plan:update')))
        return reply.callNotFound()
      const body = (request.body ?? {}) as Record<string, unknown>
      const { description, error: descriptionError } = describe(formFields(body).description)
      const photo = await photoFrom(isUpload(body.photo) ? body.photo : null)
      const errors: Record<string, string> = {}
      if (descriptionError) errors.description = descriptionError
      if (!photo.ok) errors.photo = photo.error
      if (!photo.ok || descriptionError) return showForm(request, reply, { description, errors })
      if (!(await photos.add(actor, id, subject, photo.photo, description, request.id)))
        return reply.callNotFound()
      return reply.redirect(`/plans/${id}?saved=photo`, 303)
    },
  )

  app.get<{ Params: Params }>(
    `${page}/image`,
    { config: { permission: 'plan:view' } },
    async (request, reply) => {
      const actor = person(request)
      const photo = actor && (await photos.read(actor, request.params.id, request.params.subject, request.id))
      if (!photo) return reply.callNotFound()
      const extension = photo.mediaType === 'image/png' ? 'png' : 'jpg'
      return reply
        .header('cache-control', 'no-store')
        .header('content-type', photo.mediaType)
        .header('content-disposition', `inline; filename="photo.${extension}"`)
        .send(Buffer.from(photo.bytes))
    },
  )

  async function showRemove(
    request: FastifyRequest<{ Params: Params }>,
    reply: FastifyReply,
    errors: Record<string, string> = {},
  ) {
    const actor = person(request)
    const reached =
      actor && (await photos.reachSubject(actor, request.params.id, request.params.subject, 'plan:update'))
    if (!reached?.subject.photo) return reply.callNotFound()
    const base = `/plans/${reached.plan.id}/photos/${reached.subject.key}`
    if (errors.confirm) reply.code(422)
    return reply.render('plans/views/remove.njk', {
      title: `Are you sure you want to remove the photo of ${reached.subject.name}?`,
      hint: 'Nobody will see it again. It is kept with the child’s records. You can add another at any time.',
      action: `${base}/remove`,
      back: base,
      ...(errors.confirm ? fromFieldErrors(errors, ['confirm']) : {}),
    })
  }

  app.get<{ Params: Params }>(`${page}/remove`, { config: { permission: 'plan:update' } }, (request, reply) =>
    showRemove(request, reply),
  )

  app.post<{ Params: Params }>(
    `${page}/remove`,
    { config: { permission: 'plan:update' } },
    async (request, reply) => {
      const actor = person(request)
      if (!actor) return reply.callNotFound()
      const confirm = formFields(request.body).confirm
      if (confirm !== 'yes' && confirm !== 'no')
        return showRemove(request, reply, { confirm: 'Select yes if you want to remove the photo' })
      if (confirm === 'no')
        return reply.redirect(`/plans/${request.params.id}/photos/${request.params.subject}`, 303)
      const removed = await photos.remove(actor, request.params.id, request.params.subject, request.id)
      if (!removed) return reply.callNotFound()
      return reply.redirect(`/plans/${request.params.id}?saved=photo-removed`, 303)
    },
  )
}
