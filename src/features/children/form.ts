import { type FormErrors, formErrors, fromFieldErrors } from '../../platform/forms.ts'
import { type ChildDetails, type ChildRecord, childDetails } from './service.ts'

// The add and change form: what the page posts, turned into a child's details or GOV.UK errors.
// The date of birth comes in three boxes and is checked as the Design System's date input asks.

export const FIELD_ORDER = [
  'firstName',
  'lastName',
  'preferredName',
  'dateOfBirth',
  'sex',
  'ethnicity',
  'siblingOf',
]

export type ChildFormValues = {
  firstName: string
  lastName: string
  preferredName: string
  day: string
  month: string
  year: string
  sex: string
  ethnicity: string
  siblingOf: string
  version: string
}

export function formValues(fields: Record<string, string>): ChildFormValues {
  const get = (key: string) => fields[key] ?? ''
  return {
    firstName: get('firstName'),
    lastName: get('lastName'),
    preferredName: get('preferredName'),
    day: get('dateOfBirth-day').trim(),
    month: get('dateOfBirth-month').trim(),
    year: get('dateOfBirth-year').trim(),
    sex: get('sex'),
    ethnicity: get('ethnicity'),
    siblingOf: get('siblingOf'),
    version: get('version'),
  }
}

export function valuesFromRecord(child: ChildRecord): ChildFormValues {
  const [year = '', month = '', day = ''] = child.date_of_birth.split('-')
  return {
    firstName: child.first_name,
    lastName: child.last_name,
    preferredName: child.preferred_name ?? '',
    day: String(Number(day)),
    month: String(Number(month)),
    year,
    sex: child.sex,
    ethnicity: child.ethnicity,
    siblingOf: child.siblings[0]?.id ?? '',
    version: String(child.version),
  }
}

/** The date as ISO text, or the message the date input should show. */
function dateOfBirth(
  values: ChildFormValues,
): { iso: string } | { error: string; part: 'day' | 'month' | 'year' } {
  const { day, month, year } = values
  if (!day && !month && !year) return { error: 'Enter the child’s date of birth', part: 'day' }
  if (!day) return { error: 'Date of birth must include a day', part: 'day' }
  if (!month) return { error: 'Date of birth must include a month', part: 'month' }
  if (!year) return { error: 'Date of birth must include a year', part: 'year' }
  if (!/^\d{1,2}$/.test(day)) return { error: 'Date of birth must be a real date', part: 'day' }
  if (!/^\d{1,2}$/.test(month)) return { error: 'Date of birth must be a real date', part: 'month' }
  if (!/^\d{4}$/.test(year)) return { error: 'Year must include 4 numbers', part: 'year' }
  return { iso: `${year}-${month.padStart(2, '0')}-${day.padStart(2, '0')}` }
}

export type ParsedForm =
  | { ok: true; details: ChildDetails }
  | { ok: false; errors: FormErrors; dateErrorPart: 'day' | 'month' | 'year' | null }

export function parseChildForm(values: ChildFormValues): ParsedForm {
  const date = dateOfBirth(values)
  const result = childDetails.safeParse({
    firstName: values.firstName,
    lastName: values.lastName,
    preferredName: values.preferredName,
    dateOfBirth: 'iso' in date ? date.iso : '0000-00-00',
    sex: values.sex || undefined,
    ethnicity: values.ethnicity || undefined,
    siblingOf: values.siblingOf || null,
  })
  const issues = result.success ? [] : result.error.issues
  const { errors } = formErrors(
    issues.filter((issue) => 'iso' in date || issue.path[0] !== 'dateOfBirth'),
    FIELD_ORDER,
  )
  let dateErrorPart: 'day' | 'month' | 'year' | null = errors.dateOfBirth ? 'day' : null
  if ('error' in date) {
    errors.dateOfBirth = date.error
    dateErrorPart = date.part
  }
  if (result.success && Object.keys(errors).length === 0) return { ok: true, details: result.data }
  const summary = fromFieldErrors(errors, FIELD_ORDER)
  // The summary links to the first box of the date that needs mending.
  summary.errorList = summary.errorList.map((item) =>
    item.href === '#dateOfBirth' ? { ...item, href: `#dateOfBirth-${dateErrorPart ?? 'day'}` } : item,
  )
  return { ok: false, errors: summary, dateErrorPart }
}
