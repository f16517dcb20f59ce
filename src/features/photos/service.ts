import type { Transaction } from 'kysely'
import type { Db } from '../../db/database.ts'
import type { Database } from '../../db/schema.ts'
import type { PreparedPhoto } from '../../platform/photos.ts'
import { type Ref, readAlone, rowsRead } from '../../platform/reads.ts'
import type { PersonActor as Person } from '../../platform/request-context.ts'
import { recordPlanEvent } from '../plans/events.ts'
import type { PlanHeader, PlanIds, PlansService } from '../plans/service.ts'

// The photos on a plan's front page: the child's, and each adopter's. A photo belongs to its
// subject (the child, or one adopter), not to the plan, so a brother's plan and a later plan show the
// same one; it is reached through a plan, by whoever may read that plan. The newest photo of a
// subject is the one shown. Removing it marks it, and any it replaced, removed: never shown again,
// kept with the record (nothing is hard-deleted by a user).

/** Whose photo: `child`, or an adopter's id (an id, never a name, in the address). */
export type SubjectKey = string

export type PhotoSubject = {
  key: SubjectKey
  type: 'child' | 'adopter'
  id: string
  name: string
  photo: { id: string; description: string; width: number; height: number } | null
}

export const DESCRIPTION_MAX = 250

export function photosService(db: Db, plans: PlansService) {
  /** Whose photos a plan shows: the child, then each adopter of the family, in order. */
  async function peopleOf(
    plan: PlanHeader,
    known?: { id: string; first_name: string; last_name: string }[],
  ): Promise<Omit<PhotoSubject, 'photo'>[]> {
    const adopters = known
      ? known
      : plan.familyId
        ? await db
            .selectFrom('adopters')
            .select(['id', 'first_name', 'last_name'])
            .where('family_id', '=', plan.familyId)
            .orderBy('position')
            .execute()
        : []
    return [
      {
        key: 'child',
        type: 'child' as const,
        id: plan.childId,
        name: `${plan.child.firstName} ${plan.child.lastName}`,
      },
      ...adopters.map((adopter) => ({
        key: adopter.id,
        type: 'adopter' as const,
        id: adopter.id,
        name: `${adopter.first_name} ${adopter.last_name}`,
      })),
    ]
  }

  /**
   * The newest photos first, of the plan's child and of each adopter of its family: `subjectsWith`
   * gives each subject its own. One read, alone or with the plan.
   */
  function photosRead(plan: Pick<PlanIds, 'agencyId' | 'childId' | 'familyId'>) {
    return rowsRead(
      db
        .selectFrom('photos')
        .select(['id', 'subject_type', 'subject_id', 'description', 'width', 'height'])
        .where('agency_id', '=', plan.agencyId)
        .where('removed_at', 'is', null)
        .where((eb) =>
          eb.or([
            eb('subject_id', '=', plan.childId),
            eb(
              'subject_id',
              'in',
              eb
                .selectFrom('adopters')
                .select('adopters.id')
                .where('adopters.family_id', '=', plan.familyId as Ref<string>),
            ),
          ]),
        )
        .orderBy('uploaded_at', 'desc')
        .orderBy('id'),
      (rows) => rows,
    )
  }

  /** Each subject with its newest photo, from what `photosRead` read. */
  function subjectsWith(
    subjects: Omit<PhotoSubject, 'photo'>[],
    photos: {
      id: string
      subject_type: string
      subject_id: string
      description: string
      width: number
      height: number
    }[],
  ): PhotoSubject[] {
    return subjects.map((subject) => {
      const photo = photos.find((row) => row.subject_type === subject.type && row.subject_id === subject.id)
      return {
        ...subject,
        photo: photo
          ? { id: photo.id, description: photo.description, width: photo.width, height: photo.height }
          : null,
      }
    })
  }

  /** The child and each adopter, with their photos; `adopters` when the caller has read them already. */
  async function subjectsOf(
    plan: PlanHeader,
    known?: { id: string; first_name: string; last_name: string }[],
  ): Promise<PhotoSubject[]> {
    const subjects = await peopleOf(plan, known)
    return subjectsWith(subjects, await readAlone(db, photosRead(plan)))
  }

  /** The plan and one of its subjects, if the person may take the action on the plan. */
  async function reachSubject(
    actor: Person,
    planId: string,
    key: SubjectKey,
    action: 'plan:view' | 'plan:update',
  ): Promise<{ plan: PlanHeader; subject: PhotoSubject } | null> {
    const plan = await plans.reach(actor, planId, action)
    if (!plan) return null
    const subject = (await subjectsOf(plan)).find((candidate) => candidate.key === key)
    return subject ? { plan, subject } : null
  }

  function audit(
    what: 'photo-added' | 'photo-removed' | 'photo-viewed',
    actor: Person,
    plan: PlanHeader,
    subject: PhotoSubject,
    photoId: string,
    correlationId: string,
    executor: Db | Transaction<Database> = db,
  ) {
    return recordPlanEvent(executor, actor, plan, what, correlationId, {
      photoOf: subject.type,
      photoId,
    })
  }

  return {
    peopleOf,
    subjectsOf,
    photosRead,
    subjectsWith,
    reachSubject,

    /** Stores a photo already checked and re-encoded by `preparePhoto`; it becomes the one shown. */
    async add(
      actor: Person,
      planId: string,
      key: SubjectKey,
      photo: PreparedPhoto,
      description: string,
      correlationId: string,
    ): Promise<boolean> {
      const reached = await reachSubject(actor, planId, key, 'plan:update')
      if (!reached) return false
      const { plan, subject } = reached
      await db.transaction().execute(async (trx) => {
        const row = await trx
          .insertInto('photos')
          .values({
            agency_id: plan.agencyId,
            subject_type: subject.type,
            subject_id: subject.id,
            media_type: photo.mediaType,
            bytes: photo.bytes,
            sha256: photo.sha256,
            width: photo.width,
            height: photo.height,
            description,
            uploaded_by: actor.userId,
          })
          .returning('id')
          .executeTakeFirstOrThrow()
        await audit('photo-added', actor, plan, subject, row.id, correlationId, trx)
      })
      return true
    },

    /** Removes the subject's photos from view: the one shown and any it replaced. */
    async remove(actor: Person, planId: string, key: SubjectKey, correlationId: string): Promise<boolean> {
      const reached = await reachSubject(actor, planId, key, 'plan:update')
      if (!reached?.subject.photo) return false
      const { plan, subject } = reached
      const photoId = reached.subject.photo.id
      await db.transaction().execute(async (trx) => {
        await trx
          .updateTable('photos')
          .set({ removed_at: new Date(), removed_by: actor.userId })
          .where('agency_id', '=', plan.agencyId)
          .where('subject_type', '=', subject.type)
          .where('subject_id', '=', subject.id)
          .where('removed_at', 'is', null)
          .execute()
        await audit('photo-removed', actor, plan, subject, photoId, correlationId, trx)
      })
      return true
    },

    /** The bytes of the subject's photo, for someone who may read the plan (audited as a view). */
    async read(
      actor: Person,
      planId: string,
      key: SubjectKey,
      correlationId: string,
    ): Promise<{ bytes: Uint8Array; mediaType: string } | null> {
      const reached = await reachSubject(actor, planId, key, 'plan:view')
      if (!reached?.subject.photo) return null
      const row = await db
        .selectFrom('photos')
        .select(['bytes', 'media_type'])
        .where('id', '=', reached.subject.photo.id)
        .executeTakeFirst()
      if (!row) return null
      await audit(
        'photo-viewed',
        actor,
        reached.plan,
        reached.subject,
        reached.subject.photo.id,
        correlationId,
      )
      return { bytes: row.bytes, mediaType: row.media_type }
    },
  }
}

export type PhotosService = ReturnType<typeof photosService>
