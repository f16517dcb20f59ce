import type { Db } from '../../db/database.ts'
import { type BuildOutcome, buildDocument, type DocumentPhoto } from '../../documents/build.ts'
import type { DocumentVariant } from '../../documents/model.ts'
import type { PersonActor as Person } from '../../platform/request-context.ts'
import type { PhotosService } from '../photos/service.ts'
import type { PlanHeader, PlansService } from '../plans/service.ts'

// Documents of a plan version (issue 6, ADR 0019): which version, whose photos, and the audit of
// every download. A version never changes, so the same request gives the same document.

export type DocumentFormat = 'html' | 'pdf' | 'docx'

export type DocumentRequest = {
  planId: string
  variant: DocumentVariant
  format: DocumentFormat
  /** A version's number; the latest when not given. */
  version?: number
  /** The review variant's review, 1 for the first; the latest when not given. */
  review?: number
}

export type DocumentOutcome =
  | { outcome: 'not-found' }
  | { outcome: 'no-version'; plan: PlanHeader }
  | { outcome: 'no-review'; plan: PlanHeader; version: number }
  | { outcome: 'ok'; plan: PlanHeader; version: number; build: Extract<BuildOutcome, { ok: true }> }

export function documentsService(db: Db, plans: PlansService, photos: PhotosService) {
  async function latestVersionOf(planId: string): Promise<number | null> {
    const row = await db
      .selectFrom('plan_versions')
      .select((eb) => eb.fn.max('number').as('latest'))
      .where('plan_id', '=', planId)
      .executeTakeFirst()
    return row?.latest ?? null
  }

  /**
   * The photos the plan showed when the version was taken: for each of the child and the adopters,
   * the newest photo uploaded before then and not removed by then.
   */
  async function photosAt(plan: PlanHeader, at: Date): Promise<DocumentPhoto[]> {
    const subjects = await photos.peopleOf(plan)
    const rows = await db
      .selectFrom('photos')
      .select(['subject_type', 'subject_id', 'media_type', 'bytes', 'width', 'height', 'description'])
      .where('agency_id', '=', plan.agencyId)
      .where(
        'subject_id',
        'in',
        subjects.map((subject) => subject.id),
      )
      .where('uploaded_at', '<=', at)
      .where((eb) => eb.or([eb('removed_at', 'is', null), eb('removed_at', '>', at)]))
      .orderBy('uploaded_at', 'desc')
      .orderBy('id')
      .execute()
    return subjects.flatMap((subject) => {
      const row = rows.find(
        (candidate) => candidate.subject_type === subject.type && candidate.subject_id === subject.id,
      )
      if (!row) return []
      return [
        {
          subject: subject.type,
          name: subject.name,
          description: row.description,
          mediaType: row.media_type,
          bytes: row.bytes,
          width: row.width,
          height: row.height,
        },
      ]
    })
  }

  return {
    /**
     * The document's model, for whoever may read the plan; audited as a download of that document
     * (which variant, version and format), never as the words in it.
     */
    async document(actor: Person, request: DocumentRequest, correlationId: string): Promise<DocumentOutcome> {
      const plan = await plans.reach(actor, request.planId, 'plan:view')
      if (!plan) return { outcome: 'not-found' }
      const number = request.version ?? (await latestVersionOf(plan.id))
      if (number === null) return { outcome: 'no-version', plan }
      const found = await plans.version(actor, plan.id, number, correlationId, true, {
        what: 'plan-document-downloaded',
        details: {
          variant: request.variant,
          format: request.format,
          version: number,
          ...(request.review ? { review: request.review } : {}),
        },
      })
      if (!found) return { outcome: 'not-found' }
      const { version } = found
      const build = buildDocument({
        variant: request.variant,
        version: { number: version.number, hash: version.hash, takenAt: version.takenAt },
        snapshot: version.content,
        photos: request.variant === 'full' ? await photosAt(plan, version.takenAt) : [],
        review: request.review,
      })
      if (!build.ok) return { outcome: 'no-review', plan, version: number }
      return { outcome: 'ok', plan, version: number, build }
    },
  }
}

export type DocumentsService = ReturnType<typeof documentsService>
