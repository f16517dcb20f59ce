import { type FormErrors, formErrors, fromFieldErrors } from '../../platform/forms.ts'
import { type FamilyDetails, familyDetails } from './service.ts'

// The "add a family" form: the approving agency and one or two adopters, each with a date of birth
// in three boxes. A second adopter left wholly blank is no second adopter.

export type FamilyFormValues = Record<string, string>

const ADOPTER_FIELDS = ['firstName', 'lastName', 'dob-day', 'dob-month', 'dob-year', 'email']
export const FIELD_ORDER = [
  'approvingAgencyId',
  ...[1, 2].flatMap((n) => ADOPTER_FIELDS.map((field) => `adopter${n}-${field}`)),
]

function isoDate(values: FamilyFormValues, prefix: string): string {
  const day = (values[`${prefix}-dob-day`] ?? '').trim()
  const month = (values[`${prefix}-dob-month`] ?? '').trim()
  const year = (values[`${prefix}-dob-year`] ?? '').trim()
  if (!day && !month && !year) return ''
  if (!/^\d{1,2}$/.test(day) || !/^\d{1,2}$/.test(month) || !/^\d{4}$/.test(year)) return 'not-a-date'
  return `${year}-${month.padStart(2, '0')}-${day.padStart(2, '0')}`
}

export type ParsedFamily = { ok: true; details: FamilyDetails } | { ok: false; errors: FormErrors }

export function parseFamilyForm(values: FamilyFormValues): ParsedFamily {
  const present = (n: number) => ADOPTER_FIELDS.some((field) => (values[`adopter${n}-${field}`] ?? '').trim())
  const adopters = [1, 2]
    .filter((n) => n === 1 || present(n))
    .map((n) => ({
      firstName: values[`adopter${n}-firstName`] ?? '',
      lastName: values[`adopter${n}-lastName`] ?? '',
      dateOfBirth: isoDate(values, `adopter${n}`) || undefined,
      email: values[`adopter${n}-email`] ?? '',
    }))
  const result = familyDetails.safeParse({ approvingAgencyId: values.approvingAgencyId ?? '', adopters })
  if (result.success) return { ok: true, details: result.data }
  // Issues come back as ['adopters', 0, 'firstName']: name them as the page's fields.
  const renamed = result.error.issues.map((issue) => {
    if (issue.path[0] !== 'adopters') return issue
    const [, index, field] = issue.path
    const name = field === 'dateOfBirth' ? 'dob-day' : String(field)
    return { ...issue, path: [`adopter${Number(index) + 1}-${name}`] }
  })
  return { ok: false, errors: fromFieldErrors(formErrors(renamed, FIELD_ORDER).errors, FIELD_ORDER) }
}
