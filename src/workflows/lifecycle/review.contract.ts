import { defineSignal } from '@temporalio/workflow';

/**
 * A step of one of the conversation's reviews (selected, completed, dispute resolved, ...), told by the
 * review's own workflow from its outbox (review_events). `eventId` orders them and makes a repeat a no-op.
 */
export interface ReviewStep {
  reviewId: string;
  eventId: number;
  step: string;
  detail: Record<string, unknown>;
}
export const reviewStepSignal = defineSignal<[ReviewStep]>('reviewStep');

/** Review steps that can change whether an open review keeps the conversation, so retention is re-planned. */
export const RETENTION_RELEVANT_REVIEW_STEPS: readonly string[] = ['selected', 'completed', 'reopened', 'deleted', 'replaced-away', 'replaced-in'];
