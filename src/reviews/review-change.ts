import { eq, sql } from 'drizzle-orm';
import type { PgUpdateSetSource } from 'drizzle-orm/pg-core';
import { appendOutcome } from '../audit/write/audit-outcome.js';
import { auditedChange, type AuditContext, type AuditedOutcome } from '../audit/write/audited.js';
import type { Database, Transaction } from '../db/client.js';
import { reviews } from '../db/schema/index.js';
import { syncTrainingForReview } from '../training/training-assignments.js';
import { Refusal } from '../lib/refusal.js';
import { recordReviewEvents, type ReviewEventInput } from './review-events.js';
import type { ReviewViewer } from './review-scope.js';

export type ReviewRow = typeof reviews.$inferSelect;

/** Who asks for a review change: the same facts the review scope needs. */
export type ReviewCaller = ReviewViewer;

export interface ReviewRequest {
  audit: AuditContext;
  caller: ReviewCaller;
}

interface ChangeDescription {
  activity: string;
  description: string;
  details?: Record<string, unknown>;
}

/**
 * One change to one review, audited in its transaction on the review's conversation (so the conversation's
 * trace shows it) with `reviewId` in the details. The row is locked for the change; `describe` may pick the
 * activity from the review as it was read before (a finished review's deletion is another activity).
 */
export async function changeReview<T>(
  db: Database,
  audit: AuditContext,
  reviewId: string,
  describe: ChangeDescription | ((before: ReviewRow) => ChangeDescription),
  work: (tx: Transaction, review: ReviewRow) => Promise<AuditedOutcome<T>>,
): Promise<T> {
  const [before] = await db.select().from(reviews).where(eq(reviews.id, reviewId));
  if (!before) {
    const request = typeof describe === 'function' ? undefined : describe;
    if (request) await appendOutcome(db, { ...audit, ...request, result: 'FAIL', details: { reviewId, ...request.details, error: 'not found' } });
    throw new Refusal('not-found', 'Review not found', `No review ${reviewId}`);
  }
  const request = typeof describe === 'function' ? describe(before) : describe;
  return auditedChange(db, { ...audit, ...request, conversationId: before.conversationId, details: { reviewId, ...request.details } }, async (tx) => {
    const [review] = await tx.select().from(reviews).where(eq(reviews.id, reviewId)).for('update');
    return work(tx, review!);
  });
}

export const OPEN_STATUSES: readonly string[] = ['waiting', 'in-progress'];

/** A 409 unless the review is in one of these states. */
export function requireStatus(review: ReviewRow, allowed: readonly ReviewRow['status'][], action: string): void {
  if (allowed.includes(review.status)) return;
  throw new Refusal('conflict', 'Wrong review state', `Review ${review.id} is ${review.status}; only a ${allowed.join(' or ')} review can be ${action}`);
}

/** Only the evaluator a review is assigned to works on it. */
export function requireAssignedEvaluator(review: ReviewRow, caller: ReviewCaller): void {
  if (review.evaluatorId === caller.userId) return;
  throw new Refusal('not-yours', 'Not your review', `Review ${review.id} is assigned to another evaluator`);
}

/** What a review change did, as a training follow-up's cancellation names it. */
function trainingCause(review: ReviewRow, steps: readonly string[]): string {
  const step = steps.find((candidate) => candidate.startsWith('dispute-') || candidate === 'reopened' || candidate === 'deleted' || candidate === 'completed');
  if (step?.startsWith('dispute-')) return `dispute of review ${review.id} ${step.slice('dispute-'.length).replace('-', ' ')}`;
  return step ? `review ${review.id} ${step}` : `review ${review.id} changed`;
}

/**
 * Writes a review's new values and the steps they are, in the change's transaction; when its state, score
 * or tier changed, its training follow-up is brought in line in the same transaction (`audit` is its actor).
 */
export async function updateReview(
  tx: Transaction,
  review: ReviewRow,
  values: PgUpdateSetSource<typeof reviews>,
  events: readonly Omit<ReviewEventInput, 'reviewId' | 'conversationId'>[],
  audit: AuditContext,
): Promise<ReviewRow> {
  const [after] = await tx
    .update(reviews)
    .set({ ...values, updatedAt: sql`now()` })
    .where(eq(reviews.id, review.id))
    .returning();
  await recordReviewEvents(tx, events.map((event) => ({ ...event, reviewId: review.id, conversationId: after!.conversationId })));
  if (after!.status !== review.status || after!.tierName !== review.tierName || after!.scorePercent !== review.scorePercent) {
    await syncTrainingForReview(tx, after!, audit, trainingCause(after!, events.map((event) => event.step)));
  }
  return after!;
}
