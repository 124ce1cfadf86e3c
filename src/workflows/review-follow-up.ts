import { proxyActivities } from '@temporalio/workflow';
import type { createActivities } from '../activities/index.js';
import { reviewStepSignal } from './conversation-lifecycle.contract.js';
import { followUpWorkflow } from './follow-up-loop.js';
import { REVIEW_FOLLOW_UP_WORKFLOW, reviewChangedSignal, type ReviewFollowUpInput, type ReviewFollowUpResult } from './review-follow-up.contract.js';

const activities = proxyActivities<ReturnType<typeof createActivities>>({ startToCloseTimeout: '1 minute' });

/** Look again at least this often, so a lost poke delays a step by a day at most. */
export const FOLLOW_UP_WAKE_MS = 24 * 3600 * 1000;

/**
 * One review's durable follow-up (src/workflows/follow-up-loop.ts): tells the reviewed conversation's
 * lifecycle each step the review's outbox (review_events) holds, reminds the evaluator before the due time
 * and reports the review overdue after it. Ends when the review is settled or deleted; a later change
 * starts it again.
 */
export const reviewFollowUp: (input: ReviewFollowUpInput) => Promise<ReviewFollowUpResult> = followUpWorkflow(REVIEW_FOLLOW_UP_WORKFLOW, 'reviewId', (reviewId) => ({
  changed: reviewChangedSignal,
  view: (afterEventId) => activities.reviewFollowUpView({ reviewId, afterEventId }),
  lifecycleSignal: reviewStepSignal,
  lifecyclePayload: ({ eventId, step, detail }) => ({ reviewId, eventId, step, detail }),
  markForwarded: (eventId) => activities.markReviewStepsForwarded({ reviewId, eventId }),
  markDue: (mark) => activities.markReviewDue({ reviewId, mark }),
  wakeMs: FOLLOW_UP_WAKE_MS,
}));
