import { defineSignal } from '@temporalio/workflow';

export const REVIEW_FOLLOW_UP_WORKFLOW = 'reviewFollowUp';

export function reviewWorkflowId(reviewId: string): string {
  return `review-${reviewId}`;
}

/**
 * A review changed in PostgreSQL (its row and its review_events outbox, in one transaction): look again.
 * The workflow also looks at every timer, so a lost poke only delays, never loses, what follows.
 */
export const reviewChangedSignal = defineSignal('reviewChanged');

export interface ReviewFollowUpInput {
  reviewId: string;
  /** The last review_events id told to the conversation's lifecycle; carried through continue-as-new. */
  forwardedEventId?: number;
}

export interface ReviewFollowUpResult {
  reviewId: string;
  forwardedEventId: number;
  /** Why the follow-up ended: the review reached a state in which nothing more is due. */
  ended: 'settled' | 'deleted';
}
