import { REVIEW_FOLLOW_UP_WORKFLOW, reviewChangedSignal, reviewWorkflowId } from '../workflows/review-follow-up.contract.js';
import { trainingAssignmentsOfReviews } from '../training/training-follow-up.js';
import type { ApiDeps } from './deps.js';
import { pokeFollowUps } from './follow-up-client.js';
import { pokeTrainingFollowUps } from './training-follow-up-client.js';

/**
 * Tells each review's follow-up workflow that its review changed (src/api/follow-up-client.ts), starting it
 * when it is not running (a new review, or a settled one reopened).
 */
export async function pokeReviewFollowUps(deps: Pick<ApiDeps, 'temporal' | 'db'>, reviewIds: readonly string[]): Promise<void> {
  const followUps = reviewIds.map((reviewId) => ({
    workflowType: REVIEW_FOLLOW_UP_WORKFLOW,
    workflowId: reviewWorkflowId(reviewId),
    changed: reviewChangedSignal,
    input: { reviewId },
  }));
  // A completion, dispute or reopen may have given or cancelled a training follow-up in the same transaction.
  const trainingFollowUps = trainingAssignmentsOfReviews(deps.db, reviewIds).then((assignmentIds) => (assignmentIds.length > 0 ? pokeTrainingFollowUps(deps, assignmentIds) : undefined));
  await pokeFollowUps(deps, 'review follow-up not told', followUps, [trainingFollowUps]);
}
