import { defineSignal } from '@temporalio/workflow';
import type { FollowUpInput, FollowUpResult } from './follow-up.contract.js';

export const REVIEW_FOLLOW_UP_WORKFLOW = 'reviewFollowUp';

export function reviewWorkflowId(reviewId: string): string {
  return `review-${reviewId}`;
}

/**
 * A review changed in PostgreSQL (its row and its review_events outbox, in one transaction): look again.
 * The workflow also looks at every timer, so a lost poke only delays, never loses, what follows.
 */
export const reviewChangedSignal = defineSignal('reviewChanged');

export type ReviewFollowUpInput = FollowUpInput<'reviewId'>;

export type ReviewFollowUpResult = FollowUpResult<'reviewId', 'settled' | 'deleted'>;
