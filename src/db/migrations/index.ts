import type { Migration } from 'kysely/migration'
import * as foundation from './0001-foundation.ts'
import * as access from './0002-access.ts'
import * as families from './0005-families.ts'
import * as mailOutbox from './0006-mail-outbox.ts'
import * as singleSignOn from './0007-single-sign-on.ts'
import * as plans from './0008-plans.ts'
import * as guidancePerAgency from './0009-guidance-per-agency.ts'
import * as photoDescriptions from './0010-photo-descriptions.ts'
import * as lifecycle from './0011-lifecycle.ts'
import * as birthFamilySignOff from './0012-birth-family-sign-off.ts'
import * as reviews from './0013-reviews.ts'
import * as adoptersPart from './0014-adopters-part.ts'
import * as auditAppend from './0015-audit-append.ts'
import * as nationalScale from './0016-national-scale.ts'

// Every migration, in order. Names are permanent: they are recorded in the database. 0003 and 0004
// were never released; the numbers stay unused rather than be taken out of order.
export const migrations: Record<string, Migration> = {
  '0001-foundation': foundation,
  '0002-access': access,
  '0005-families': families,
  '0006-mail-outbox': mailOutbox,
  '0007-single-sign-on': singleSignOn,
  '0008-plans': plans,
  '0009-guidance-per-agency': guidancePerAgency,
  '0010-photo-descriptions': photoDescriptions,
  '0011-lifecycle': lifecycle,
  '0012-birth-family-sign-off': birthFamilySignOff,
  '0013-reviews': reviews,
  '0014-adopters-part': adoptersPart,
  '0015-audit-append': auditAppend,
  '0016-national-scale': nationalScale,
}
