import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import { z } from 'zod'
import { renderDocumentHtml } from '../../documents/html.ts'
import { DOCUMENT_VARIANTS, type DocumentVariant } from '../../documents/model.ts'
import { sendProblem } from '../../platform/errors.ts'
import type { Services } from '../../services.ts'
import type { DocumentFormat, DocumentOutcome } from './service.ts'

// A plan version as documents (issue 6, ADR 0019): a page listing them, the print page (HTML, no
// JavaScript) and the PDF and Word files, on the web and in the API. The address names the plan by
// its id, the variant and the format; the version and the review are numbers: nothing personal.

const FILE = /^(full|birth-family|review)(?:\.(pdf|docx))?$/

const MEDIA_TYPES = {
  pdf: 'application/pdf',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
} as const

export const VARIANT_NAMES: Record<DocumentVariant, string> = {
  full: 'The whole plan, for the panel and the adopters',
  'birth-family':
    'Support offered to the birth family: section 4 and a page to sign, with nothing about the adopters',
  review: 'A review’s record, before and after',
}

const count = z.coerce.number().int().min(1).max(1_000_000)
const query = z.object({ version: count.optional(), review: count.optional() })

/** The file's name: the variant and the version, never a name (it lands in someone's downloads). */
const fileName = (variant: DocumentVariant, version: number, review: number | undefined, extension: string) =>
  `adoption-support-plan-v${version}-${variant}${variant === 'review' && review ? `-${review}` : ''}.${extension}`

// The renderers (pdfkit, docx, the fonts: about 30 MB) are loaded on the first download, not at
// start: most instances make few documents, and the memory is the service's for every request.
async function fileBytes(outcome: Extract<DocumentOutcome, { outcome: 'ok' }>, format: 'pdf' | 'docx') {
  if (format === 'pdf') return (await import('../../documents/pdf.ts')).renderPdf(outcome.build.model)
  return (await import('../../documents/docx.ts')).renderDocx(outcome.build.model)
}

/**
 * The file, `no-store`. A PDF opened from a page shows in the browser's own viewer (`inline`; the
 * pages' links that say "download" carry the `download` attribute); anything else is saved.
 */
function sendFile(
  reply: FastifyReply,
  outcome: Extract<DocumentOutcome, { outcome: 'ok' }>,
  format: 'pdf' | 'docx',
  bytes: Buffer,
  options: { review: number | undefined; inline: boolean },
) {
  const name = fileName(outcome.build.model.variant, outcome.version, options.review, format)
  const disposition = options.inline && format === 'pdf' ? 'inline' : 'attachment'
  return reply
    .header('cache-control', 'no-store')
    .header('content-type', MEDIA_TYPES[format])
    .header('content-disposition', `${disposition}; filename="${name}"`)
    .header('x-content-hash', outcome.build.model.contentHash)
    .send(bytes)
}

export async function documentRoutes(app: FastifyInstance, { services }: { services: Services }) {
  const { documents, plans } = services

  const person = (request: FastifyRequest) => {
    const actor = request.actor
    return actor.kind === 'staff' || actor.kind === 'adopter' ? actor : null
  }

  app.get<{ Params: { id: string } }>(
    '/plans/:id/documents',
    { config: { permission: 'plan:view' } },
    async (request, reply) => {
      const actor = person(request)
      const asked = query.safeParse(request.query)
      if (!actor || !asked.success) return reply.callNotFound()
      const found = await plans.versions(actor, request.params.id)
      if (!found) return reply.callNotFound()
      const number = asked.data.version ?? found.versions[0]?.number
      const chosen = found.versions.find((version) => version.number === number)
      if (found.versions.length > 0 && !chosen) return reply.callNotFound()
      // The reviews a version holds are in its content: read (and audited) only when there is one.
      const opened = chosen ? await plans.version(actor, found.plan.id, chosen.number, request.id) : null
      const reviews = opened?.version.content.reviews ?? []
      return reply.render('documents/views/documents.njk', {
        title: 'Documents of this plan',
        plan: found.plan,
        versions: found.versions,
        chosen,
        reviews: reviews.map((review, index) => ({
          number: index + 1,
          heldOn: review.heldOn,
        })),
        variantNames: VARIANT_NAMES,
      })
    },
  )

  app.get<{ Params: { id: string; file: string } }>(
    '/plans/:id/documents/:file',
    { config: { permission: 'plan:view' } },
    async (request, reply) => {
      const actor = person(request)
      const file = FILE.exec(request.params.file)
      const asked = query.safeParse(request.query)
      if (!actor || !file || !asked.success) return reply.callNotFound()
      const variant = file[1] as DocumentVariant
      const format = (file[2] ?? 'html') as DocumentFormat
      const outcome = await documents.document(
        actor,
        { planId: request.params.id, variant, format, ...asked.data },
        request.id,
      )
      if (outcome.outcome !== 'ok') return reply.callNotFound()
      if (format === 'html') {
        return reply.header('cache-control', 'no-store').render('documents/views/print.njk', {
          title: outcome.build.model.title,
          plan: outcome.plan,
          version: outcome.version,
          variant,
          review: asked.data.review,
          document: renderDocumentHtml(outcome.build.model),
        })
      }
      return sendFile(reply, outcome, format, await fileBytes(outcome, format), {
        review: asked.data.review,
        inline: true,
      })
    },
  )
}

const MESSAGES = {
  'not-found': 'There is no such resource, or it is not yours to see.',
  'no-version': 'This plan has no version yet: documents are made from versions.',
  'no-review': 'This version of the plan has no such review.',
} as const

export async function documentsApi(app: FastifyInstance, { services }: { services: Services }) {
  const api = app.withTypeProvider<ZodTypeProvider>()
  const { documents } = services
  const files = DOCUMENT_VARIANTS.flatMap((variant) => [`${variant}.pdf`, `${variant}.docx`])

  api.get(
    '/plans/:id/documents/:file',
    {
      config: { permission: 'plan:view' },
      schema: {
        tags: ['plans'],
        summary:
          'A version of the plan as a PDF or Word document: the whole plan, the birth family’s part, or a review',
        params: z.object({ id: z.string().max(64), file: z.enum(files as [string, ...string[]]) }),
        querystring: query,
      },
    },
    async (request, reply) => {
      const actor = request.actor
      if (actor.kind !== 'staff' && actor.kind !== 'adopter') return reply.callNotFound()
      const [variant, format] = request.params.file.split('.') as [DocumentVariant, 'pdf' | 'docx']
      const outcome = await documents.document(
        actor,
        { planId: request.params.id, variant, format, ...request.query },
        request.id,
      )
      if (outcome.outcome !== 'ok') return sendProblem(reply, 404, 'Not Found', MESSAGES[outcome.outcome])
      return sendFile(reply, outcome, format, await fileBytes(outcome, format), {
        review: request.query.review,
        inline: false,
      })
    },
  )
}
