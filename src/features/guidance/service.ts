import { z } from 'zod'
import type { Db } from '../../db/database.ts'
import { HINT_PLACES, type HintPlace, type Hints, hintPlace } from '../../plan/guidance.ts'
import { recordAudit } from '../../platform/audit.ts'
import { type Actor, can } from '../../platform/policy.ts'
import { type Read, type Ref, readAlone, rowsRead } from '../../platform/reads.ts'

// The hints beside the plan's questions, as each agency words them (ADR 0010): the definition's
// default unless the agency wrote its own. Team managers and administrators change them; every
// change is audited with the wording before and after.

type Staff = Actor & { kind: 'staff' }

export const HINT_MAX = 500

/** One paragraph under a label: spaces and line breaks run together, as the page shows them. */
const hintText = z
  .string()
  .transform((text) => text.replace(/\s+/g, ' ').trim())
  .pipe(
    z
      .string()
      .min(1, 'Enter the hint, or choose to use the default wording')
      .max(HINT_MAX, `The hint must be ${HINT_MAX} characters or fewer`),
  )

export type HintView = HintPlace & { hint: string | null; own: boolean }

export type HintChange =
  | { outcome: 'saved' }
  | { outcome: 'invalid'; error: string }
  | { outcome: 'not-found' }

export function guidanceService(db: Db) {
  function hintsRead(agencyId: Ref<string>): Read<Hints> {
    return rowsRead(
      db.selectFrom('guidance').select(['path', 'hint']).where('agency_id', '=', agencyId),
      (rows) => {
        const own = new Map(rows.map((row) => [row.path, row.hint]))
        const hints: Hints = {}
        for (const place of HINT_PLACES) {
          const hint = own.get(place.path) ?? place.defaultHint
          if (hint) hints[place.path] = hint
        }
        return hints
      },
    )
  }

  async function ownWording(agencyId: string): Promise<Map<string, string>> {
    const rows = await db
      .selectFrom('guidance')
      .select(['path', 'hint'])
      .where('agency_id', '=', agencyId)
      .execute()
    return new Map(rows.map((row) => [row.path, row.hint]))
  }

  /** Writes the agency's wording for a place, or removes it (`null`) so the default shows again. */
  async function write(actor: Staff, place: HintPlace, hint: string | null, correlationId: string) {
    await db.transaction().execute(async (trx) => {
      const before = await trx
        .selectFrom('guidance')
        .select('hint')
        .where('agency_id', '=', actor.agencyId)
        .where('path', '=', place.path)
        .forUpdate()
        .executeTakeFirst()
      if ((before?.hint ?? null) === hint) return
      if (hint === null) {
        await trx
          .deleteFrom('guidance')
          .where('agency_id', '=', actor.agencyId)
          .where('path', '=', place.path)
          .execute()
      } else {
        const row = { hint, updated_by: actor.userId, updated_at: new Date() }
        await trx
          .insertInto('guidance')
          .values({ agency_id: actor.agencyId, path: place.path, ...row })
          .onConflict((conflict) => conflict.columns(['agency_id', 'path']).doUpdateSet(row))
          .execute()
      }
      await recordAudit(trx, {
        what: 'guidance-changed',
        who: actor.userId,
        agencyId: actor.agencyId,
        subjectType: 'guidance',
        subjectId: place.path,
        correlationId,
        details: { before: before?.hint ?? null, after: hint },
      })
    })
  }

  /** The place, if the actor may change its agency's wording of it. */
  function editable(actor: Staff, path: string): HintPlace | null {
    const place = hintPlace(path)
    return place && can(actor, 'guidance:edit', { agencyId: actor.agencyId }) ? place : null
  }

  return {
    /** What the agency's plan pages show: path → text, for every place that has a hint. */
    hintsFor: (agencyId: string): Promise<Hints> => readAlone(db, hintsRead(agencyId)),

    /** The same, to read with a plan (its agency's). */
    hintsRead,

    /** Every place, in the plan's order, with the hint the agency shows there and whose wording it is. */
    async list(actor: Staff): Promise<HintView[]> {
      const own = await ownWording(actor.agencyId)
      return HINT_PLACES.map((place) => view(place, own.get(place.path)))
    },

    async place(actor: Staff, path: string): Promise<HintView | null> {
      const place = editable(actor, path)
      if (!place) return null
      return view(place, (await ownWording(actor.agencyId)).get(place.path))
    },

    /** The agency's own wording; the default's own words are the default, not the agency's. */
    async change(actor: Staff, path: string, text: string, correlationId: string): Promise<HintChange> {
      const place = editable(actor, path)
      if (!place) return { outcome: 'not-found' }
      const parsed = hintText.safeParse(text)
      if (!parsed.success) return { outcome: 'invalid', error: parsed.error.issues[0]?.message ?? '' }
      const hint = parsed.data === place.defaultHint ? null : parsed.data
      await write(actor, place, hint, correlationId)
      return { outcome: 'saved' }
    },

    async useDefault(actor: Staff, path: string, correlationId: string): Promise<HintChange> {
      const place = editable(actor, path)
      if (!place) return { outcome: 'not-found' }
      await write(actor, place, null, correlationId)
      return { outcome: 'saved' }
    },
  }
}

function view(place: HintPlace, own: string | undefined): HintView {
  return { ...place, hint: own ?? place.defaultHint, own: own !== undefined }
}

export type GuidanceService = ReturnType<typeof guidanceService>
