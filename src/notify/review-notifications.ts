import { inArray, eq } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { Executor } from '../db/client.js';
import { notificationOutbox, reviewPlans, reviews, users } from '../db/schema/index.js';
import { isNotifiedReviewStep, renderReviewMail, reviewNotificationFor } from '../domain/review-notifications.js';
import { outboxRowsFor, queueOutboxRows, recipientColumns, type MailRecipient } from './delivery.js';

/** A review step just written to review_events. */
export interface RecordedReviewEvent {
  id: number;
  reviewId: string;
  step: string;
}

export function reviewEventKey(eventId: number, recipientUserId: string): string {
  return `review-event:${eventId}:${recipientUserId}`;
}

/**
 * Queues the mails these review steps send, in the caller's transaction: one query for every review's
 * people, one insert; a step queued again (a retried transaction) adds nothing. Users without an email
 * address and disabled users are not mailed; a daily-digest recipient's row waits for their digest time.
 */
export async function enqueueReviewNotifications(
  executor: Executor,
  events: readonly RecordedReviewEvent[],
  now: Date = new Date(),
): Promise<void> {
  const notified = events.filter((event) => isNotifiedReviewStep(event.step));
  if (notified.length === 0) return;
  const evaluator = alias(users, 'evaluator');
  const agent = alias(users, 'agent');
  const owner = alias(users, 'owner');
  const arbitrator = alias(users, 'arbitrator');
  const rows = await executor
    .select({
      reviewId: reviews.id,
      dueAt: reviews.dueAt,
      evaluator: recipientColumns(evaluator),
      agent: recipientColumns(agent),
      owner: recipientColumns(owner),
      arbitrator: recipientColumns(arbitrator),
    })
    .from(reviews)
    .leftJoin(evaluator, eq(evaluator.id, reviews.evaluatorId))
    .leftJoin(agent, eq(agent.username, reviews.agentUsername))
    .leftJoin(reviewPlans, eq(reviewPlans.id, reviews.planId))
    .leftJoin(owner, eq(owner.id, reviewPlans.ownerId))
    .leftJoin(arbitrator, eq(arbitrator.id, reviewPlans.arbitratorId))
    .where(inArray(reviews.id, [...new Set(notified.map((event) => event.reviewId))]));
  const byReview = new Map(rows.map((row) => [row.reviewId, row]));

  const outbox: (typeof notificationOutbox.$inferInsert)[] = [];
  for (const event of notified) {
    const review = byReview.get(event.reviewId);
    if (!review) continue;
    const people = new Map<string, MailRecipient>(
      [review.evaluator, review.agent, review.owner, review.arbitrator].filter((p): p is MailRecipient => p !== null).map((p) => [p.id, p]),
    );
    const notification = reviewNotificationFor(event.step, {
      evaluatorId: review.evaluator?.id ?? null,
      agentUserId: review.agent?.id ?? null,
      planOwnerId: review.owner?.id ?? null,
      planArbitratorId: review.arbitrator?.id ?? null,
    });
    if (!notification) continue;
    outbox.push(
      ...outboxRowsFor(
        notification.recipientUserIds.map((id) => people.get(id)),
        notification.kind,
        (recipientId) => reviewEventKey(event.id, recipientId),
        (recipient) => renderReviewMail({ kind: notification.kind, step: event.step, reviewId: event.reviewId, dueAt: review.dueAt, timeZone: recipient.timeZone }),
        now,
      ),
    );
  }
  await queueOutboxRows(executor, outbox);
}
