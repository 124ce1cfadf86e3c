import { allHandlersFinished, condition, continueAsNew, getExternalWorkflowHandle, proxyActivities, setHandler, workflowInfo } from '@temporalio/workflow';
import type { createActivities } from '../activities/index.js';
import { conversationWorkflowId, reviewStepSignal } from './conversation-lifecycle.contract.js';
import { reviewChangedSignal, type ReviewFollowUpInput, type ReviewFollowUpResult } from './review-follow-up.contract.js';

const activities = proxyActivities<ReturnType<typeof createActivities>>({ startToCloseTimeout: '1 minute' });

/** Look again at least this often, so a lost poke delays a step by a day at most. */
export const FOLLOW_UP_WAKE_MS = 24 * 3600 * 1000;

/**
 * One review's durable follow-up: tells the reviewed conversation's lifecycle each step the review's
 * outbox (review_events) holds, reminds before the due time and reports the review overdue after it,
 * surviving restarts. Ends when the review is settled or deleted; a later change starts it again.
 */
export async function reviewFollowUp(input: ReviewFollowUpInput): Promise<ReviewFollowUpResult> {
  const { reviewId } = input;
  let forwardedEventId = input.forwardedEventId ?? 0;
  let poked = false;
  setHandler(reviewChangedSignal, () => void (poked = true));

  for (;;) {
    poked = false;
    const view = await activities.reviewFollowUpView({ reviewId, afterEventId: forwardedEventId });
    for (const { eventId, conversationId, step, detail } of view.lifecycleSteps) {
      try {
        await getExternalWorkflowHandle(conversationWorkflowId(conversationId)).signal(reviewStepSignal, { reviewId, eventId, step, detail });
      } catch {
        // The lifecycle has ended (its conversation was deleted): the audit log and the review's history keep the step.
      }
    }
    if (view.lastEventId > forwardedEventId) {
      forwardedEventId = view.lastEventId;
      await activities.markReviewStepsForwarded({ reviewId, eventId: forwardedEventId });
    }
    if (view.more) continue;
    // A poke that came while looking may carry a step this view missed: look once more before ending.
    if (view.ended && !poked) return { reviewId, forwardedEventId, ended: view.ended };
    if (view.ended) continue;

    const now = Date.now();
    const remindAt = view.remindAt ? Date.parse(view.remindAt) : Number.POSITIVE_INFINITY;
    const dueAt = view.dueAt ? Date.parse(view.dueAt) : Number.POSITIVE_INFINITY;
    if (remindAt <= now || dueAt <= now) {
      // Once overdue, a reminder that the review is due soon has nothing left to say.
      const marked = await activities.markReviewDue({ reviewId, mark: dueAt <= now ? 'overdue' : 'reminder' });
      // Not marked: the review changed meanwhile, or the database's clock is a little behind this one.
      if (!marked) await condition(() => poked, 1000);
      continue;
    }
    await condition(() => poked, Math.max(1, Math.min(remindAt, dueAt, now + FOLLOW_UP_WAKE_MS) - now));
    if (workflowInfo().continueAsNewSuggested) {
      await condition(allHandlersFinished);
      return continueAsNew<typeof reviewFollowUp>({ reviewId, forwardedEventId });
    }
  }
}
