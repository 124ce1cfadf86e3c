import { ApplicationFailure } from '@temporalio/activity';
import { markReviewDue, markStepsForwarded, reviewFollowUpView } from '../reviews/review-follow-up.js';
import { FailureType } from '../domain/failures.js';
import { PlanRunRefused, runReviewPlan, type ReviewPlanRunOutcome } from '../reviews/review-plan-runs.js';
import type { ReviewPlanRunInput } from '../workflows/review-plan-run.contract.js';
import { callingWorkflow } from './calling-workflow.js';
import type { ActivityDeps } from './deps.js';

export function reviewActivities({ db }: ActivityDeps) {
  return {
    reviewFollowUpView(input: { reviewId: string; afterEventId: number }) {
      return reviewFollowUpView(db, input.reviewId, input.afterEventId);
    },

    markReviewStepsForwarded(input: { reviewId: string; eventId: number }): Promise<void> {
      return markStepsForwarded(db, input.reviewId, input.eventId);
    },

    async markReviewDue(input: { reviewId: string; mark: 'reminder' | 'overdue' }): Promise<boolean> {
      const { actor, correlationId } = callingWorkflow('review-activity');
      return markReviewDue(db, input.reviewId, input.mark, actor, correlationId);
    },

    async runReviewPlan(input: ReviewPlanRunInput): Promise<ReviewPlanRunOutcome> {
      const workflow = callingWorkflow('review-activity');
      try {
        return await runReviewPlan(db, {
          planId: input.planId,
          periodContaining: input.periodContaining ? new Date(input.periodContaining) : null,
          now: new Date(),
          actor: workflow.actor,
          correlationId: input.requestedBy?.correlationId ?? workflow.correlationId,
          requestedBy: input.requestedBy?.username ?? null,
        });
      } catch (error) {
        // A removed plan or a retired questionnaire stays so: retrying cannot help.
        if (error instanceof PlanRunRefused) throw ApplicationFailure.create({ type: error.reason === 'plan-missing' ? FailureType.NotFound : FailureType.Conflict, message: error.message, nonRetryable: true });
        throw error;
      }
    },
  };
}
