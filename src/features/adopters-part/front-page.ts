import { can, type Resource } from '../../platform/policy.ts'
import { groupRead, type ReadValue } from '../../platform/reads.ts'
import type { PersonActor } from '../../platform/request-context.ts'
import type { Services } from '../../services.ts'
import type { PlanIds } from '../plans/service.ts'
import { agreedVersionRead } from './acknowledgements.ts'

/** What the front page reads of the adopters' part and the meetings, with the plan (one query). */
export function adoptersPartRead(services: Services, plan: PlanIds) {
  const { comments, reviewRequests, acknowledgements, views } = services.adoptersPart
  return groupRead({
    agreed: agreedVersionRead(services.db, plan.id),
    acknowledged: acknowledgements.acknowledgementsRead(plan.id),
    requests: reviewRequests.requestsRead(plan.id),
    comments: comments.countsRead(plan.id),
    ownViews: views.latestRead(plan.id),
    meetings: services.meetings.meetingsRead(plan.id),
  })
}

/**
 * What the plan's front page shows of the adopters' part and the planning meetings, and what this
 * person may do there: the staff see the comments waiting, the adopters' own views, who has
 * acknowledged which version, the review requests and the meetings; the adopters see their way in.
 */
export function adoptersPartOnFrontPage(
  actor: PersonActor,
  access: Resource,
  read: ReadValue<ReturnType<typeof adoptersPartRead>>,
) {
  const { agreed, acknowledged, requests, comments, ownViews, meetings } = read
  return {
    adoptersPart: {
      isAdopter: actor.kind === 'adopter',
      comments,
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
