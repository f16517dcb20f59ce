import { addMonths } from '../platform/dates.ts'

// After the adoption order (Adoption Support Services Regulations 2005, reg 7): the placing
// authority stays responsible for assessing and providing adoption support for three years,
// wherever the family lives; then the local authority where the family lives takes over (financial
// support agreed before the order stays with the placing authority). Derived from the order's date,
// never stored, so correcting the date corrects it.

export const PLACING_AUTHORITY_YEARS = 3

/** The day the placing authority's responsibility ends: the third anniversary of the order. */
export function placingAuthorityResponsibilityEnds(orderOn: string): string {
  // By months, so that an order made on 29 February ends on 28 February, never on 1 March.
  return addMonths(orderOn, PLACING_AUTHORITY_YEARS * 12)
}
