import type { z } from 'zod'

// GOV.UK error messages: one message per field, a summary that links to each field, and what the
// person typed kept so they only mend what was wrong.

export type FieldErrors = Record<string, string>

export type FormErrors = {
  errors: FieldErrors
  errorList: { text: string; href: string }[]
}

/** The first message for each field, in the order the fields appear on the page. */
export function formErrors(issues: readonly z.core.$ZodIssue[], fieldOrder: readonly string[]): FormErrors {
  const errors: FieldErrors = {}
  for (const issue of issues) {
    const field = String(issue.path[0] ?? '')
    if (field && !(field in errors)) errors[field] = issue.message
  }
  return fromFieldErrors(errors, fieldOrder)
}

export function fromFieldErrors(errors: FieldErrors, fieldOrder: readonly string[]): FormErrors {
  const ordered = [
    ...fieldOrder.filter((field) => field in errors),
    ...Object.keys(errors).filter((f) => !fieldOrder.includes(f)),
  ]
  return { errors, errorList: ordered.map((field) => ({ text: errors[field] as string, href: `#${field}` })) }
}

/** A form body as plain strings: anything else a client sent (arrays, objects) is dropped. */
export function formFields(body: unknown): Record<string, string> {
  const fields: Record<string, string> = {}
  if (body && typeof body === 'object') {
    for (const [key, value] of Object.entries(body)) {
      if (typeof value === 'string') fields[key] = value
    }
  }
  return fields
}

/**
 * A whole number a page sent back in a hidden field (the version a form was shown at): digits only
 * and small enough for an integer column, else null. `Number('NaN')`, `'1.5'` or `'1e30'` would
 * otherwise reach the database and fail there as a 500.
 */
export function wholeNumber(value: string | undefined): number | null {
  return value !== undefined && /^\s*\d{1,9}\s*$/.test(value) ? Number(value) : null
}
