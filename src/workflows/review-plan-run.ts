import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import { ParentClosePolicy, proxyActivities, startChild } from '@temporalio/workflow';
import type { createActivities } from '../activities/index.js';
import { reviewWorkflowId } from './review-follow-up.contract.js';
import { reviewFollowUp } from './review-follow-up.js';
import type { ReviewPlanRunInput, ReviewPlanRunResult } from './review-plan-run.contract.js';

const activities = proxyActivities<ReturnType<typeof createActivities>>({ startToCloseTimeout: '5 minutes' });

const FOLLOW_UP_BATCH = 100;

/**
 * One run of a review plan: selects and assigns in one transaction (a re-run of the period adds nothing
 * twice), then starts each review's follow-up. The follow-ups outlive the run.
 */
export async function reviewPlanRun(input: ReviewPlanRunInput): Promise<ReviewPlanRunResult> {
  const outcome = await activities.runReviewPlan(input);
  let followUpsStarted = 0;
  for (let index = 0; index < outcome.reviewIds.length; index += FOLLOW_UP_BATCH) {
    const batch = outcome.reviewIds.slice(index, index + FOLLOW_UP_BATCH);
    const started = await Promise.allSettled(
      batch.map((reviewId) =>
        startChild(reviewFollowUp, { workflowId: reviewWorkflowId(reviewId), args: [{ reviewId }], parentClosePolicy: ParentClosePolicy.ABANDON }),
      ),
    );
    for (const result of started) {
      if (result.status === 'fulfilled') followUpsStarted += 1;
      // Started by an earlier run of this period: it is running already.
      else if (!(result.reason instanceof WorkflowExecutionAlreadyStartedError)) throw result.reason;
    }
  }
  return { planId: input.planId, runId: outcome.runId, periodStart: outcome.periodStart, periodEnd: outcome.periodEnd, created: outcome.created, followUpsStarted };
}
