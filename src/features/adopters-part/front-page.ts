import { can, type Resource } from '../../platform/policy.ts'
import type { PersonActor } from '../../platform/request-context.ts'
import type { Services } from '../../services.ts'
import type { PlanHeader } from '../plans/service.ts'
import { agreedVersion } from './acknowledgements.ts'

/**
 * What the plan's front page shows of the adopters' part and the planning meetings, and what this
 * person may do there: the staff see the comments waiting, the adopters' own views, who has
 * acknowledged which version, the review requests and the meetings; the adopters see their way in.
 */
export async function adoptersPartOnFrontPage(
  services: Services,
  actor: PersonActor,
  plan: PlanHeader,
  access: Resource,
) {
  const { comments, reviewRequests, acknowledgements, views } = services.adoptersPart
  const [agreed, acknowledged, requests, commentCounts, ownViews, meetings] = await Promise.all([
    agreedVersion(services.db, plan.id),
    acknowledgements.acknowledgementsOf(plan.id),
    reviewRequests.requestsOf(plan.id),
    comments.counts(plan.id),
    views.latest(plan.id),
    services.meetings.meetingsOf(plan.id),
  ])
  return {
    adoptersPart: {
      isAdopter: actor.kind === 'adopter',
      comments: commentCounts,
      ownViews,
      agreed,
      acknowledged,
      acknowledgedByMe: acknowledged.some(
        (given) => given.userId === actor.userId && given.version === agreed?.number,
      ),
      requests,
      unansweredRequests: requests.filter((request) => !request.answeredAt),
      meetings,
      can: {
        comment: can(actor, 'plan:comment', access),
        giveViews: can(actor, 'plan:give-views', access),
        askReview: can(actor, 'plan:ask-review', access),
        acknowledge: agreed !== null && can(actor, 'plan:acknowledge', access),
        answerRequests: can(actor, 'plan:answer-review-request', access),
        recordMeeting: can(actor, 'plan:record-meeting', access),
      },
    },
  }
}
