import type { Config } from './config.ts'
import type { Db } from './db/database.ts'
import { accounts } from './features/accounts/service.ts'
import { adoptersPartService } from './features/adopters-part/service.ts'
import { allocationsService } from './features/allocations/service.ts'
import { auditService } from './features/audit/service.ts'
import { barometerService } from './features/barometer/service.ts'
import { birthFamilyService } from './features/birth-family/service.ts'
import { childrenService } from './features/children/service.ts'
import { documentsService } from './features/documents/service.ts'
import { familiesService } from './features/families/service.ts'
import { guidanceService } from './features/guidance/service.ts'
import { homeService } from './features/home/service.ts'
import { invitationsService } from './features/invitations/service.ts'
import { meetingsService } from './features/meetings/service.ts'
import { photosService } from './features/photos/service.ts'
import { lifecycleService } from './features/plans/lifecycle.ts'
import { plansService } from './features/plans/service.ts'
import { remindersService } from './features/reminders/service.ts'
import { reviewsService } from './features/reviews/service.ts'
import { signInService } from './features/sign-in/service.ts'
import { singleSignOn } from './features/single-sign-on/service.ts'
import { staffService } from './features/staff/service.ts'
import { queueMail } from './platform/mail/outbox.ts'
import { sessionStore } from './platform/sessions.ts'

// Composition by plain functions: the database in, every service out. Tests build the same.
export function services(
  db: Db,
  config: Pick<Config, 'sessionIdleMinutes' | 'env' | 'sessionSecret' | 'serviceUrl'>,
) {
  const accountsService = accounts(db)
  const plans = plansService(db)
  const reminders = remindersService(db)
  const photos = photosService(db, plans)
  return {
    db,
    accounts: accountsService,
    sessions: sessionStore(db, config.sessionIdleMinutes),
    signIn: signInService(db, accountsService),
    singleSignOn: singleSignOn(db, config),
    children: childrenService(db),
    allocations: allocationsService(db),
    staff: staffService(db),
    families: familiesService(db),
    plans,
    photos,
    documents: documentsService(db, plans, photos),
    lifecycle: lifecycleService(db, plans),
    reviews: reviewsService(db, plans),
    birthFamily: birthFamilyService(db, plans, config.sessionSecret),
    guidance: guidanceService(db),
    audit: auditService(db),
    adoptersPart: adoptersPartService(db, plans),
    meetings: meetingsService(db, plans),
    barometer: barometerService(db),
    reminders,
    home: homeService(db, reminders),
    invitations: invitationsService(db, async (trx, message) => {
      await queueMail(trx, message)
    }),
  }
}

export type Services = ReturnType<typeof services>
