import { ApplicationFailure, Context } from '@temporalio/activity';
import { SYSTEM_ACTOR, workflowActor } from '../audit/write/actor.js';
import { markReviewDue, markStepsForwarded, reviewFollowUpView } from '../reviews/review-follow-up.js';
import { FailureType } from '../domain/failures.js';
import { PlanRunRefused, runReviewPlan, type ReviewPlanRunOutcome } from '../reviews/review-plan-runs.js';
import type { ReviewPlanRunInput } from '../workflows/review-plan-run.contract.js';
import type { ActivityDeps } from './deps.js';

function callingWorkflow() {
  const execution = Context.current().info.workflowExecution;
  if (!execution) return { actor: SYSTEM_ACTOR, correlationId: 'review-activity' };
  return { actor: workflowActor(execution.workflowId, execution.runId), correlationId: `${execution.workflowId}/${execution.runId}` };
}

export function reviewActivities({ db }: ActivityDeps) {
  return {
    reviewFollowUpView(input: { reviewId: string; afterEventId: number }) {
      return reviewFollowUpView(db, input.reviewId, input.afterEventId);
    },

    markReviewStepsForwarded(input: { reviewId: string; eventId: number }): Promise<void> {
      return markStepsForwarded(db, input.reviewId, input.eventId);
    },

    async markReviewDue(input: { reviewId: string; mark: 'reminder' | 'overdue' }): Promise<boolean> {
      const { actor, correlationId } = callingWorkflow();
      return markReviewDue(db, input.reviewId, input.mark, actor, correlationId);
    },

    async runReviewPlan(input: ReviewPlanRunInput): Promise<ReviewPlanRunOutcome> {
      const workflow = callingWorkflow();
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
