import type { Migration } from 'kysely/migration'
import * as foundation from './0001-foundation.ts'
import * as access from './0002-access.ts'
import * as families from './0005-families.ts'

// Every migration, in order. Names are permanent: they are recorded in the database.
export const migrations: Record<string, Migration> = {
  '0001-foundation': foundation,
  '0002-access': access,
  '0005-families': families,
}
