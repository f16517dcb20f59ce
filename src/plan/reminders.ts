import { addDays, formatDate } from '../platform/dates.ts'
import { REVIEW_DUE_SOON_DAYS } from './reviews.ts'
import { addWorkingDays } from './working-days.ts'

// Reminders are derived from dates already recorded, never from a flag someone must remember to
// set: the next review's due date (src/plan/reviews.ts), when a comment or a review request was made
// and whether it has been answered. The same rules give each person's "things to do" and the
// e-mails; an e-mail is sent once for each reminder and person (the outbox's dedupe key).

/** Days a worker has to answer an adopter's comment before it is a reminder. */
export const COMMENT_ANSWER_WORKING_DAYS = 5
/** Days the worker, IRO and team manager have to answer an adopters' request for a review. */
export const REVIEW_REQUEST_ANSWER_WORKING_DAYS = 5

export type ReminderKind =
  | 'review-due-soon'
  | 'review-overdue'
  | 'comment-unanswered'
  | 'review-request-unanswered'
export type Audience = 'worker' | 'iro' | 'team-manager'

export type ReminderFacts = {
  planId: string
  /** The next review's due date; null when none is due (not placed, or the schedule has stopped). */
  nextReviewDueOn: string | null
  comments: readonly { id: string; madeOn: string; answered: boolean }[]
  reviewRequests: readonly { id: string; madeOn: string; answered: boolean }[]
}

export type Reminder = {
  kind: ReminderKind
  planId: string
  /** What it is about, as an identifier: the review's due date, or the comment's or request's id. */
  about: string
  /** The day it became a reminder. */
  since: string
  audience: readonly Audience[]
  /** The date that matters, for the words. */
  dueOn: string
}

export function remindersFor(facts: ReminderFacts, today: string): Reminder[] {
  const reminders: Reminder[] = []
  const due = facts.nextReviewDueOn
  if (due && due < today) {
    reminders.push({
      kind: 'review-overdue',
      planId: facts.planId,
      about: due,
      since: addDays(due, 1),
      audience: ['worker', 'iro', 'team-manager'],
      dueOn: due,
    })
  } else if (due && addDays(due, -REVIEW_DUE_SOON_DAYS) <= today) {
    reminders.push({
      kind: 'review-due-soon',
      planId: facts.planId,
      about: due,
      since: addDays(due, -REVIEW_DUE_SOON_DAYS),
      audience: ['worker', 'iro'],
      dueOn: due,
    })
  }
  for (const comment of facts.comments) {
    const by = addWorkingDays(comment.madeOn, COMMENT_ANSWER_WORKING_DAYS)
    if (!comment.answered && by < today)
      reminders.push({
        kind: 'comment-unanswered',
        planId: facts.planId,
        about: comment.id,
        since: addDays(by, 1),
        audience: ['worker'],
        dueOn: by,
      })
  }
  for (const request of facts.reviewRequests) {
    const by = addWorkingDays(request.madeOn, REVIEW_REQUEST_ANSWER_WORKING_DAYS)
    if (!request.answered && by < today)
      reminders.push({
        kind: 'review-request-unanswered',
        planId: facts.planId,
        about: request.id,
        since: addDays(by, 1),
        audience: ['worker', 'iro', 'team-manager'],
        dueOn: by,
      })
  }
  return reminders
}

/** What a reminder asks for, in words, for a list of things to do (the child's name comes beside it). */
export function reminderText(reminder: Reminder): string {
  switch (reminder.kind) {
    case 'review-overdue':
      return `Review overdue: it was due by ${formatDate(reminder.dueOn)}`
    case 'review-due-soon':
      return `Review due by ${formatDate(reminder.dueOn)}`
    case 'comment-unanswered':
      return `An adopter’s comment is unanswered: it needed an answer by ${formatDate(reminder.dueOn)}`
    case 'review-request-unanswered':
      return `The adopters asked for a review and have had no answer: it was due by ${formatDate(reminder.dueOn)}`
  }
}
