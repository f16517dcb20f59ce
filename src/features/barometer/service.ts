import type { Db } from '../../db/database.ts'
import { recordAudit } from '../../platform/audit.ts'
import { pageWindow } from '../../platform/pagination.ts'
import type { Actor } from '../../platform/policy.ts'
import { barometerFigures, barometerTotals } from './figures.ts'

// The Barometer's figures for a team manager's own agency: a page of plans at a time with the
// agency's totals, or every plan as a file.

type Staff = Actor & { kind: 'staff' }

export function barometerService(db: Db) {
  const ordered = (agencyId: string) =>
    barometerFigures(db, agencyId).orderBy('lastName').orderBy('firstName').orderBy('planId')

  return {
    async page(actor: Staff, requested: number) {
      const totals = await barometerTotals(db, actor.agencyId).executeTakeFirstOrThrow()
      const window = pageWindow(Number(totals.plans), requested)
      const rows = await ordered(actor.agencyId).limit(window.limit).offset(window.offset).execute()
      return { totals, rows, page: window.page, pages: window.pages }
    },

    /** Every plan, for the download; the download is audited, as it names the agency's children. */
    async all(actor: Staff, correlationId: string) {
      await recordAudit(db, {
        what: 'barometer-downloaded',
        who: actor.userId,
        agencyId: actor.agencyId,
        subjectType: 'agency',
        subjectId: actor.agencyId,
        correlationId,
      })
      return ordered(actor.agencyId).execute()
    },
  }
}
