import type { Db } from '../../db/database.ts'
import { type Actor, PLAN_STATUSES_SHARED_WITH_ADOPTERS } from '../../platform/policy.ts'
import type { PlansService } from '../plans/service.ts'
import { acknowledgementsService } from './acknowledgements.ts'
import { commentsService } from './comments.ts'
import { ownViewsService } from './own-views.ts'
import { reviewRequestsService } from './review-requests.ts'

// The adopters' part of the plan (ADR 0016): their comments and the answers, their own views, their
// acknowledgement of the agreed version and their requests for a review.

type Adopter = Actor & { kind: 'adopter' }

export function adoptersPartService(db: Db, plans: PlansService) {
  return {
    comments: commentsService(db, plans),
    reviewRequests: reviewRequestsService(db, plans),
    acknowledgements: acknowledgementsService(db, plans),
    views: ownViewsService(db, plans),

    /** The plans the worker has shared with this adopter's family, by the child's name. */
    sharedWith(actor: Adopter) {
      return db
        .selectFrom('plans')
        .innerJoin('children', 'children.id', 'plans.child_id')
        .select([
          'plans.id',
          'plans.status',
          'children.first_name as firstName',
          'children.last_name as lastName',
        ])
        .where('plans.family_id', '=', actor.familyId)
        .where('plans.status', 'in', [...PLAN_STATUSES_SHARED_WITH_ADOPTERS])
        .orderBy('children.date_of_birth')
        .execute()
    },
  }
}

export type AdoptersPartService = ReturnType<typeof adoptersPartService>
