import type { FastifyInstance } from 'fastify'
import { PLAN } from '../../plan/definition.ts'
import { type PlanStatus, STATUS_NAMES } from '../../plan/lifecycle.ts'
import { requestedPage } from '../../platform/pagination.ts'
import { can } from '../../platform/policy.ts'
import type { Services } from '../../services.ts'
import type { ThingToDo } from '../reminders/service.ts'
import { HOME_LIST_LIMIT } from './service.ts'

// Each person's home page (issue 5, docs/adr/0018), where signing in lands: what is theirs to do and
// the records they work on, by role. Every "thing to do" links to the page where it is done.

const statusText = (status: string | null) =>
  status ? (STATUS_NAMES[status as PlanStatus] ?? status) : 'No plan yet'

const sectionTitles = Object.fromEntries(
  PLAN.map((section) => [section.key, `${section.number}. ${section.title}`]),
)

const REVIEW_KINDS: readonly string[] = ['review-due-soon', 'review-overdue']

/** A list of things to do, at most HOME_LIST_LIMIT of them, with how many were left out. */
const bounded = (things: ThingToDo[]) => ({
  rows: things.slice(0, HOME_LIST_LIMIT),
  total: things.length,
  more: Math.max(0, things.length - HOME_LIST_LIMIT),
})

export async function homeRoutes(app: FastifyInstance, { services }: { services: Services }) {
  const { home, reminders } = services

  app.get('/home', { config: { permission: 'signed-in' } }, async (request, reply) => {
    const actor = request.actor
    if (actor.kind === 'adopter') {
      const plans = await home.adopterHome(actor, request.id)
      return reply.render('home/views/adopter.njk', {
        title: 'Your home page',
        plans: plans.map((plan) => ({ ...plan, statusText: statusText(plan.status) })),
        sectionTitles,
      })
    }
    if (actor.kind !== 'staff') return reply.callNotFound()
    const page = requestedPage(request.query)
    const caseloadRows = async () => {
      const caseload = await home.caseload(actor, page)
      return {
        ...caseload,
        rows: caseload.rows.map((row) => ({ ...row, statusText: statusText(row.status) })),
      }
    }

    switch (actor.role) {
      case 'social-worker':
        return reply.render('home/views/social-worker.njk', {
          title: 'Your caseload',
          things: bounded(await reminders.thingsToDo(actor)),
          caseload: await caseloadRows(),
        })
      case 'iro': {
        const things = await reminders.thingsToDo(actor)
        return reply.render('home/views/iro.njk', {
          title: 'Your reviews',
          reviews: bounded(things.filter((thing) => REVIEW_KINDS.includes(thing.kind))),
          requests: bounded(things.filter((thing) => thing.kind === 'review-request-unanswered')),
          caseload: await caseloadRows(),
        })
      }
      case 'team-manager':
        return reply.render('home/views/team-manager.njk', {
          title: 'Your team',
          overdue: bounded(await reminders.overdueInAgency(actor)),
          signOff: await home.awaitingSignOff(actor),
          canSeeBarometer: can(actor, 'barometer:view'),
        })
      case 'support-worker': {
        const plans = await home.withSupportTeam(actor, page)
        return reply.render('home/views/support-worker.njk', {
          title: 'Plans with the adoption support team',
          plans,
        })
      }
      case 'panel-member':
      case 'decision-maker':
        return reply.render('home/views/panel.njk', {
          title: 'Plans at panel',
          plans: await home.atPanel(actor),
        })
      default:
        return reply.render('home/views/other.njk', {
          title: 'Home',
          canManageStaff: can(actor, 'staff:manage'),
          canReadAudit: can(actor, 'audit:read'),
          canEditGuidance: can(actor, 'guidance:edit'),
        })
    }
  })
}
