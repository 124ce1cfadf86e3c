import { setHandler } from '@temporalio/workflow';
import { RETENTION_RELEVANT_REVIEW_STEPS, reviewStepSignal, type ConversationLifecycleState } from '../conversation-lifecycle.contract.js';
import { bumpRetention } from './retention-loop.js';
import { recordStep } from './steps.js';

/**
 * The conversation's reviews, as their follow-up workflows tell them: selection, completion, disputes.
 * An open review keeps the conversation (the retention decision reads it from PostgreSQL); a step that
 * opens or closes one re-plans retention at once.
 */
export function registerReviewHandlers(state: ConversationLifecycleState): void {
  setHandler(reviewStepSignal, ({ reviewId, eventId, step, detail }) => {
    if (state.stage === 'deleted') return;
    const seen = (state.reviewStepsSeen ??= {});
    if ((seen[reviewId] ?? 0) >= eventId) return;
    seen[reviewId] = eventId;
    recordStep(state, `review-${step}`, { reviewId, ...detail });
    if (RETENTION_RELEVANT_REVIEW_STEPS.includes(step)) bumpRetention(state);
  });
}
