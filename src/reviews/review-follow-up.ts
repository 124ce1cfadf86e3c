import { and, eq, inArray, isNull, lte, sql } from 'drizzle-orm';
import { appendAudit, syncEntry } from '../audit/write/audit-writer.js';
import type { Actor } from '../audit/write/actor.js';
import type { Database } from '../db/client.js';
import { reviewDisputes, reviewPlans, reviews } from '../db/schema/index.js';
import { LIFECYCLE_REVIEW_STEPS, recordReviewEvents, reviewEventsAfter } from './review-events.js';
import { OPEN_REVIEW_STATUSES } from './review-creation.js';

/** What the conversation's lifecycle records of a step: ids and outcomes, never answers or comments. */
const LIFECYCLE_DETAIL_KEYS = ['kind', 'questionnaireId', 'questionnaireVersion', 'planId', 'scorePercent', 'tierName', 'needsTraining', 'failed', 'resolution', 'scoreBefore', 'scoreAfter', 'disputeId', 'toConversationId', 'fromConversationId'];

export interface LifecycleReviewStep {
  eventId: number;
  conversationId: string;
  step: string;
  detail: Record<string, unknown>;
}

/** What a review's follow-up workflow needs to decide its next wake. Plain data with ISO times. */
export interface ReviewFollowUpView {
  /** Steps to tell conversations' lifecycles, oldest first. */
  lifecycleSteps: LifecycleReviewStep[];
  lastEventId: number;
  /** More steps wait beyond this page. */
  more: boolean;
  remindAt: string | null;
  dueAt: string | null;
  /** settled: completed with no open dispute; deleted: removed. Either way nothing more is due. */
  ended: 'settled' | 'deleted' | null;
}

const iso = (date: Date | null) => date?.toISOString() ?? null;
const EVENT_PAGE = 200;

/**
 * The review's state is read before its steps: every step that led to that state is committed before it,
 * so a follow-up that ends on a settled review has seen all of them. Starts after the last step already
 * told (`forwarded_event_id`), so a restarted follow-up repeats nothing.
 */
export async function reviewFollowUpView(db: Database, reviewId: string, afterEventId: number): Promise<ReviewFollowUpView> {
  const [review] = await db.select().from(reviews).where(eq(reviews.id, reviewId));
  if (!review) return { lifecycleSteps: [], lastEventId: afterEventId, more: false, remindAt: null, dueAt: null, ended: 'deleted' };
  const [openDispute] = await db.select({ id: reviewDisputes.id }).from(reviewDisputes).where(and(eq(reviewDisputes.reviewId, reviewId), isNull(reviewDisputes.resolvedAt)));
  const after = Math.max(afterEventId, review.forwardedEventId);
  const page = await reviewEventsAfter(db, reviewId, after, EVENT_PAGE);
  const open = (OPEN_REVIEW_STATUSES as readonly string[]).includes(review.status);
  return {
    lifecycleSteps: page
      .filter((event) => (LIFECYCLE_REVIEW_STEPS as readonly string[]).includes(event.step))
      .map((event) => ({
        eventId: event.id,
        conversationId: event.conversationId,
        step: event.step,
        detail: Object.fromEntries(Object.entries(event.detail).filter(([key]) => LIFECYCLE_DETAIL_KEYS.includes(key))),
      })),
    lastEventId: page.at(-1)?.id ?? after,
    more: page.length === EVENT_PAGE,
    remindAt: open && review.remindedAt === null && review.overdueAt === null ? iso(review.remindAt) : null,
    dueAt: open && review.overdueAt === null ? iso(review.dueAt) : null,
    ended: review.status === 'deleted' ? 'deleted' : review.status === 'completed' && !openDispute ? 'settled' : null,
  };
}

/** Records how far the lifecycle has been told; never moves back. */
export async function markStepsForwarded(db: Database, reviewId: string, eventId: number): Promise<void> {
  await db.update(reviews).set({ forwardedEventId: sql`greatest(${reviews.forwardedEventId}, ${eventId})` }).where(eq(reviews.id, reviewId));
}

type DueMark = 'reminder' | 'overdue';

/**
 * Marks a review reminded or overdue once: a conditional update, so a retried activity does nothing. The
 * step it records is what the notification outbox reads (evaluator and plan owner are told).
 */
export async function markReviewDue(db: Database, reviewId: string, mark: DueMark, actor: Actor, correlationId: string): Promise<boolean> {
  return db.transaction(async (tx) => {
    const column = mark === 'reminder' ? reviews.remindedAt : reviews.overdueAt;
    const dueColumn = mark === 'reminder' ? reviews.remindAt : reviews.dueAt;
    const [marked] = await tx
      .update(reviews)
      .set(mark === 'reminder' ? { remindedAt: sql`now()` } : { overdueAt: sql`now()` })
      .where(and(eq(reviews.id, reviewId), isNull(column), lte(dueColumn, sql`now()`), inArray(reviews.status, [...OPEN_REVIEW_STATUSES])))
      .returning();
    if (!marked) return false;
    const [plan] = marked.planId ? await tx.select({ ownerId: reviewPlans.ownerId }).from(reviewPlans).where(eq(reviewPlans.id, marked.planId)) : [];
    const detail = { dueAt: iso(marked.dueAt), evaluatorId: marked.evaluatorId, planId: marked.planId, planOwnerId: plan?.ownerId ?? null };
    await recordReviewEvents(tx, [{ reviewId, conversationId: marked.conversationId, step: mark === 'reminder' ? 'reminded' : 'overdue', actor: actor.username, detail }]);
    await appendAudit(tx, [
      syncEntry({
        activity: mark === 'reminder' ? 'REVIEW_REMINDER' : 'REVIEW_OVERDUE',
        result: 'OK',
        actor,
        description: mark === 'reminder' ? `Review ${reviewId} is due at ${detail.dueAt}` : `Review ${reviewId} is overdue since ${detail.dueAt}`,
        details: { reviewId, ...detail },
        correlationId,
        conversationId: marked.conversationId,
      }),
    ]);
    return true;
  });
}
