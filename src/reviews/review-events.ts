import { and, asc, eq, gt } from 'drizzle-orm';
import type { Executor } from '../db/client.js';
import { reviewEvents } from '../db/schema/index.js';
import { enqueueReviewNotifications } from '../notify/review-notifications.js';

/**
 * The steps of a review, as its history shows them and its workflow forwards them. Written in the
 * transaction of the change they record, beside its audit entry.
 */
export const REVIEW_STEPS = [
  'selected',
  'assigned',
  'started',
  'saved',
  'completed',
  'reopened',
  'reallocated',
  'replaced-away',
  'replaced-in',
  'revealed',
  'hidden',
  'included-in-reports',
  'excluded-from-reports',
  'acknowledged',
  'disputed',
  'dispute-accepted',
  'dispute-partially-accepted',
  'dispute-rejected',
  'reminded',
  'overdue',
  'deleted',
] as const;
export type ReviewStepName = (typeof REVIEW_STEPS)[number];

/** Steps the conversation's lifecycle records (the rest stay in the review's own history and the audit log). */
export const LIFECYCLE_REVIEW_STEPS: readonly ReviewStepName[] = [
  'selected',
  'completed',
  'reopened',
  'replaced-away',
  'replaced-in',
  'disputed',
  'dispute-accepted',
  'dispute-partially-accepted',
  'dispute-rejected',
  'deleted',
];

export interface ReviewEventInput {
  reviewId: string;
  conversationId: string;
  step: ReviewStepName;
  actor: string;
  detail?: Record<string, unknown>;
}

export async function recordReviewEvents(executor: Executor, events: readonly ReviewEventInput[]): Promise<void> {
  if (events.length === 0) return;
  const recorded = await executor
    .insert(reviewEvents)
    .values(events.map((event) => ({ ...event, detail: event.detail ?? {} })))
    .returning({ id: reviewEvents.id, reviewId: reviewEvents.reviewId, step: reviewEvents.step });
  await enqueueReviewNotifications(executor, recorded);
}

export type ReviewEvent = typeof reviewEvents.$inferSelect;

/** A review's steps after `afterId`, oldest first, at most `limit`. */
export function reviewEventsAfter(executor: Executor, reviewId: string, afterId: number, limit = 200): Promise<ReviewEvent[]> {
  return executor
    .select()
    .from(reviewEvents)
    .where(and(eq(reviewEvents.reviewId, reviewId), gt(reviewEvents.id, afterId)))
    .orderBy(asc(reviewEvents.id))
    .limit(limit);
}
