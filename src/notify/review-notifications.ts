import { inArray, eq } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { Executor } from '../db/client.js';
import { notificationOutbox, reviewPlans, reviews, users } from '../db/schema/index.js';
import { isNotifiedReviewStep, renderReviewMail, reviewNotificationFor } from '../domain/review-notifications.js';

/** A review step just written to review_events. */
export interface RecordedReviewEvent {
  id: number;
  reviewId: string;
  step: string;
}

interface Person {
  id: string;
  email: string | null;
  timeZone: string;
  disabledAt: Date | null;
}

export function reviewEventKey(eventId: number, recipientUserId: string): string {
  return `review-event:${eventId}:${recipientUserId}`;
}

/**
 * Queues the mails these review steps send, in the caller's transaction: one query for every review's
 * people, one insert; a step queued again (a retried transaction) adds nothing. Users without an email
 * address and disabled users are not mailed.
 */
export async function enqueueReviewNotifications(executor: Executor, events: readonly RecordedReviewEvent[]): Promise<void> {
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
      evaluator: { id: evaluator.id, email: evaluator.email, timeZone: evaluator.timeZone, disabledAt: evaluator.disabledAt },
      agent: { id: agent.id, email: agent.email, timeZone: agent.timeZone, disabledAt: agent.disabledAt },
      owner: { id: owner.id, email: owner.email, timeZone: owner.timeZone, disabledAt: owner.disabledAt },
      arbitrator: { id: arbitrator.id, email: arbitrator.email, timeZone: arbitrator.timeZone, disabledAt: arbitrator.disabledAt },
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
    const people = new Map<string, Person>(
      [review.evaluator, review.agent, review.owner, review.arbitrator].filter((p): p is Person => p !== null).map((p) => [p.id, p]),
    );
    const notification = reviewNotificationFor(event.step, {
      evaluatorId: review.evaluator?.id ?? null,
      agentUserId: review.agent?.id ?? null,
      planOwnerId: review.owner?.id ?? null,
      planArbitratorId: review.arbitrator?.id ?? null,
    });
    for (const recipientId of notification?.recipientUserIds ?? []) {
      const recipient = people.get(recipientId);
      if (!recipient?.email || recipient.disabledAt) continue;
      const mail = renderReviewMail({ kind: notification!.kind, step: event.step, reviewId: event.reviewId, dueAt: review.dueAt, timeZone: recipient.timeZone });
      outbox.push({
        eventKey: reviewEventKey(event.id, recipient.id),
        recipientUserId: recipient.id,
        recipientEmail: recipient.email,
        kind: notification!.kind,
        subject: mail.subject,
        textBody: mail.text,
        htmlBody: mail.html,
      });
    }
  }
  if (outbox.length === 0) return;
  await executor.insert(notificationOutbox).values(outbox).onConflictDoNothing({ target: notificationOutbox.eventKey });
}
