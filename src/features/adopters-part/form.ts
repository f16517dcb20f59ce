import { z } from 'zod'

// The adopters' part's forms are mostly one box of text: checked here, with GOV.UK's messages.

/** Comments, replies, answers and reasons: long enough to say what matters, short enough to read. */
export const TEXT_MAX = 2000
/** The adopters' views of the plan, in their own words. */
export const VIEWS_MAX = 5000
export const NAME_MAX = 200

export type TextCheck = { value: string } | { error: string }

/** The text typed, trimmed, or the message to show beside its box. */
export function checkText(
  raw: string | undefined,
  messages: { missing: string; tooLong: string },
  max = TEXT_MAX,
): TextCheck {
  // Windows line endings count once, as the character count on the page counts them.
  const value = (raw ?? '').replaceAll('\r\n', '\n').trim()
  if (!value) return { error: messages.missing }
  if (value.length > max) return { error: messages.tooLong }
  return { value }
}

export const isRecordId = (value: string) => z.uuid().safeParse(value).success
