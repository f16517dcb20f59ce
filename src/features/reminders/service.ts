import type { Db } from '../../db/database.ts'
import { type Reminder, type ReminderKind, reminderText } from '../../plan/reminders.ts'
import { addDays, todayInEngland } from '../../platform/dates.ts'
import type { MailKind } from '../../platform/mail/messages.ts'
import { type QueuedMail, queueMail } from '../../platform/mail/outbox.ts'
import type { Actor } from '../../platform/policy.ts'
import { OPEN_STATUSES, type PlanReminders, type Recipient, recipientsOf, reminderFacts } from './facts.ts'

// Reminders, derived from dates on every read and never stored (docs/adr/0018): each person's
// "things to do" on their home page, a team manager's view of what is overdue across the agency,
// and the sweep that e-mails each reminder to each of its people once. Exactly once, even with
// several app instances sweeping at the same moment, because every e-mail is queued with a dedupe
// key naming the reminder and the person: the outbox's unique key makes the second queueing a no-op.

type Staff = Actor & { kind: 'staff' }

/** A reminder older than this is shown in things to do but not e-mailed: no flood on the first run. */
export const REMINDER_EMAIL_DAYS = 7

/** The mail kind of a reminder: it says only that there is something to do, and links to where. */
export const REMINDER_MAIL_KIND: MailKind = 'something-to-do'

export type ThingToDo = {
  kind: ReminderKind
  planId: string
  childName: string
  text: string
  /** The page where it is done: the plan's reviews, its comments or its review requests. */
  href: string
  since: string
  dueOn: string
  overdue: boolean
}

export type SweepResult = { reminders: number; emails: number; queued: number }

/** Where a reminder is dealt with: ids only in the path. */
export function reminderLink(reminder: Reminder): string {
  switch (reminder.kind) {
    case 'review-due-soon':
    case 'review-overdue':
      return `/plans/${reminder.planId}/reviews`
    case 'comment-unanswered':
      return `/plans/${reminder.planId}/comments`
    case 'review-request-unanswered':
      return `/plans/${reminder.planId}/review-requests`
  }
}

/** Names one reminder to one person: identifiers only, as the outbox requires. */
export function reminderDedupeKey(reminder: Reminder, userId: string): string {
  return `reminder:${reminder.kind}:${reminder.planId}:${reminder.about}:${userId}`
}

function thingToDo(plan: PlanReminders, reminder: Reminder): ThingToDo {
  return {
    kind: reminder.kind,
    planId: plan.planId,
    childName: `${plan.child.firstName} ${plan.child.lastName}`,
    text: reminderText(reminder),
    href: reminderLink(reminder),
    since: reminder.since,
    dueOn: reminder.dueOn,
    overdue: reminder.kind !== 'review-due-soon',
  }
}

// The longest waiting first; then by the date that matters.
const byUrgency = (a: ThingToDo, b: ThingToDo) =>
  a.since === b.since ? a.dueOn.localeCompare(b.dueOn) : a.since.localeCompare(b.since)

export function remindersService(db: Db, clock: () => Date = () => new Date()) {
  const today = () => todayInEngland(clock())

  return {
    today,

    /** This person's things to do: the reminders they are one of the people for. */
    async thingsToDo(actor: Staff): Promise<ThingToDo[]> {
      if (!['social-worker', 'iro', 'team-manager'].includes(actor.role)) return []
      const plans = await reminderFacts(
        db,
        {
          agencyId: actor.agencyId,
          // Workers and IROs are reminded only of their own children; managers of the whole agency.
          ...(actor.role === 'team-manager' ? {} : { caseOf: actor.userId }),
        },
        today(),
      )
      return plans
        .flatMap((plan) =>
          plan.reminders
            .filter((reminder) =>
              recipientsOf(plan, reminder).some((person) => person.userId === actor.userId),
            )
            .map((reminder) => thingToDo(plan, reminder)),
        )
        .sort(byUrgency)
    },

    /** Everything overdue across the agency, whoever it is for: the team manager's view. */
    async overdueInAgency(actor: Staff): Promise<ThingToDo[]> {
      const plans = await reminderFacts(db, { agencyId: actor.agencyId }, today())
      return plans
        .flatMap((plan) => plan.reminders.map((reminder) => thingToDo(plan, reminder)))
        .filter((thing) => thing.overdue)
        .sort(byUrgency)
    },

    /** The plans given, with their next review due date (a caseload's column). */
    async nextReviews(planIds: readonly string[]): Promise<Map<string, string | null>> {
      const plans = await reminderFacts(db, { planIds, statuses: OPEN_STATUSES }, today())
      return new Map(plans.map((plan) => [plan.planId, plan.nextReviewDueOn]))
    },

    /**
     * Queues one e-mail for each reminder and each of its people, across every agency. Reminders
     * that began more than REMINDER_EMAIL_DAYS ago are left to the home pages. Safe to run from any
     * number of instances at once: see the dedupe key.
     */
    async sweep(now: Date = clock()): Promise<SweepResult> {
      const day = todayInEngland(now)
      const from = addDays(day, -REMINDER_EMAIL_DAYS)
      const mails: (QueuedMail & { dedupeKey: string })[] = []
      let reminders = 0
      // One agency at a time: the facts of every plan in the country at once took more memory than
      // the rest of the service (175 MB for 30,000 children); an agency's, a few megabytes.
      const agencies = await db.selectFrom('agencies').select('id').orderBy('id').execute()
      for (const agency of agencies) {
        for (const plan of await reminderFacts(db, { agencyId: agency.id }, day))
          for (const reminder of plan.reminders) {
            if (reminder.since < from) continue
            reminders++
            for (const person of recipientsOf(plan, reminder)) mails.push(mailFor(reminder, person))
          }
      }
      // One order for every instance: two sweeps inserting the same keys wait on each other in turn
      // and never in a circle (no deadlock); the one that waits finds the keys taken and adds nothing.
      mails.sort((a, b) => (a.dedupeKey < b.dedupeKey ? -1 : a.dedupeKey > b.dedupeKey ? 1 : 0))
      const fresh = await notQueuedYet(mails)
      let queued = 0
      if (fresh.length > 0)
        await db.transaction().execute(async (trx) => {
          for (const mail of fresh) if (await queueMail(trx, mail)) queued++
        })
      return { reminders, emails: mails.length, queued }
    },
  }

  function mailFor(reminder: Reminder, person: Recipient): QueuedMail & { dedupeKey: string } {
    return {
      to: person.email,
      kind: REMINDER_MAIL_KIND,
      link: reminderLink(reminder),
      dedupeKey: reminderDedupeKey(reminder, person.userId),
    }
  }

  // Most reminders were queued by an earlier sweep: they are passed over without a write.
  async function notQueuedYet<T extends { dedupeKey: string }>(mails: T[]): Promise<T[]> {
    const queued = new Set<string>()
    for (let start = 0; start < mails.length; start += 500) {
      const keys = mails.slice(start, start + 500).map((mail) => mail.dedupeKey)
      const rows = await db
        .selectFrom('mail_outbox')
        .select('dedupe_key')
        .where('dedupe_key', 'in', keys)
        .execute()
      for (const row of rows) if (row.dedupe_key) queued.add(row.dedupe_key)
    }
    return mails.filter((mail) => !queued.has(mail.dedupeKey))
  }
}

export type RemindersService = ReturnType<typeof remindersService>
