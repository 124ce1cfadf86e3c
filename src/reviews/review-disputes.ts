import { randomUUID } from 'node:crypto';
import { and, eq, isNull, sql } from 'drizzle-orm';
import type { PgUpdateSetSource } from 'drizzle-orm/pg-core';
import type { Database, Executor, Transaction } from '../db/client.js';
import { questionnaires, reviewDisputes, reviewPlans, reviews } from '../db/schema/index.js';
import type { Answers } from '../domain/questionnaire.js';
import { changeReview, requireStatus, updateReview, type ReviewCaller, type ReviewRequest, type ReviewRow } from './review-change.js';
import { Refusal, invalidField, isUniqueViolation } from '../lib/refusal.js';
import { refuseBadAnswers, scoreColumns, versionOf } from './review-scoring.js';

/**
 * The agent's answer to a revealed review (acknowledge, or dispute with a comment and suggested answers)
 * within the questionnaire's window, and the dispute's resolution by the plan's arbitrator or owner:
 * accepting changes answers and recomputes the score, never sets it; rejecting freezes the scores.
 */

export type DisputeRow = typeof reviewDisputes.$inferSelect;
export const DISPUTE_RESOLUTIONS = ['accepted', 'partially-accepted', 'rejected'] as const;
export type DisputeResolution = (typeof DISPUTE_RESOLUTIONS)[number];

const DAY_MS = 86_400_000;

/** The review's dispute tallies (reports count from them, not from review_disputes), moved with the change they count. */
const DISPUTE_OPENED: PgUpdateSetSource<typeof reviews> = { disputesOpened: sql`${reviews.disputesOpened} + 1` };
const DISPUTE_RESOLVED: Record<DisputeResolution, PgUpdateSetSource<typeof reviews>> = {
  accepted: { disputesAccepted: sql`${reviews.disputesAccepted} + 1` },
  'partially-accepted': { disputesPartiallyAccepted: sql`${reviews.disputesPartiallyAccepted} + 1` },
  rejected: { disputesRejected: sql`${reviews.disputesRejected} + 1` },
};

function requireOwnAgent(review: ReviewRow, caller: ReviewCaller): void {
  if (review.agentUsername !== null && review.agentUsername === caller.username) return;
  throw new Refusal('not-yours', 'Not your review', `Review ${review.id} is of another agent's conversation`);
}

/** When the agent's window to acknowledge or dispute closes: the questionnaire's days after the review was revealed. */
async function windowClosesAt(executor: Executor, review: ReviewRow): Promise<Date> {
  requireStatus(review, ['completed'], 'answered by its agent');
  if (review.revealedAt === null) throw new Refusal('conflict', 'Not revealed', `Review ${review.id} has not been revealed to its agent`);
  const [questionnaire] = await executor.select({ days: questionnaires.disputeWindowDays }).from(questionnaires).where(eq(questionnaires.id, review.questionnaireId));
  return new Date(review.revealedAt.getTime() + (questionnaire?.days ?? 0) * DAY_MS);
}

async function requireWindowOpen(executor: Executor, review: ReviewRow): Promise<void> {
  const closesAt = await windowClosesAt(executor, review);
  if (Date.now() > closesAt.getTime()) {
    throw new Refusal('conflict', 'Window closed', `The window to acknowledge or dispute review ${review.id} closed at ${closesAt.toISOString()}`);
  }
}

async function openDisputeOf(executor: Executor, reviewId: string): Promise<DisputeRow | undefined> {
  const [open] = await executor.select().from(reviewDisputes).where(and(eq(reviewDisputes.reviewId, reviewId), isNull(reviewDisputes.resolvedAt)));
  return open;
}

export async function acknowledgeReview(db: Database, request: ReviewRequest, reviewId: string, comment: string | undefined): Promise<ReviewRow> {
  const { audit, caller } = request;
  return changeReview(db, audit, reviewId, { activity: 'REVIEW_ACKNOWLEDGE', description: `Review ${reviewId} acknowledged by its agent`, details: { comment: comment ?? null } }, async (tx, review) => {
    requireOwnAgent(review, caller);
    await requireWindowOpen(tx, review);
    if (review.acknowledgedAt !== null) throw new Refusal('conflict', 'Already acknowledged', `Review ${reviewId} was acknowledged at ${review.acknowledgedAt.toISOString()}`);
    if (await openDisputeOf(tx, reviewId)) throw new Refusal('conflict', 'Dispute open', `Review ${reviewId} has an open dispute`);
    const value = await updateReview(tx, review, { acknowledgedAt: sql`now()` }, [{ step: 'acknowledged', actor: caller.username, detail: { comment: comment ?? null } }], audit);
    return { value };
  });
}

export async function disputeReview(
  db: Database,
  request: ReviewRequest,
  reviewId: string,
  input: { comment: string; suggestedAnswers?: Answers },
): Promise<DisputeRow> {
  const { audit, caller } = request;
  const suggestedAnswers = input.suggestedAnswers ?? {};
  return changeReview(
    db,
    audit,
    reviewId,
    { activity: 'REVIEW_DISPUTE', description: `Review ${reviewId} disputed by its agent`, details: { comment: input.comment, suggested: Object.keys(suggestedAnswers) } },
    async (tx, review) => {
      requireOwnAgent(review, caller);
      if (!input.comment.trim()) throw invalidField('comment', 'a dispute needs a comment');
      await requireWindowOpen(tx, review);
      if (review.acknowledgedAt !== null) throw new Refusal('conflict', 'Already acknowledged', `Review ${reviewId} was acknowledged; it can no longer be disputed`);
      if (review.scoresFrozenAt !== null) throw new Refusal('conflict', 'Scores frozen', `Review ${reviewId}'s scores were frozen when a dispute was rejected`);
      if (await openDisputeOf(tx, reviewId)) throw new Refusal('conflict', 'Dispute open', `Review ${reviewId} already has an open dispute`);
      refuseBadAnswers(await versionOf(tx, review), suggestedAnswers, { complete: false, prefix: 'suggestedAnswers' });
      const id = randomUUID();
      try {
        await tx.insert(reviewDisputes).values({ id, reviewId, openedBy: caller.username, comment: input.comment, suggestedAnswers });
      } catch (error) {
        if (isUniqueViolation(error, 'review_disputes_open_uq')) throw new Refusal('conflict', 'Dispute open', `Review ${reviewId} already has an open dispute`);
        throw error;
      }
      await updateReview(tx, review, DISPUTE_OPENED, [{ step: 'disputed', actor: caller.username, detail: { disputeId: id } }], audit);
      const [dispute] = await tx.select().from(reviewDisputes).where(eq(reviewDisputes.id, id));
      return { value: dispute!, details: { disputeId: id } };
    },
  );
}

/** Plan reviews are decided by the plan's arbitrator, or its owner when it names none; other reviews by any quality manager (the permission table). */
async function requireResolver(tx: Transaction, review: ReviewRow, caller: ReviewCaller): Promise<void> {
  if (review.planId === null) return;
  const [plan] = await tx.select({ ownerId: reviewPlans.ownerId, arbitratorId: reviewPlans.arbitratorId }).from(reviewPlans).where(eq(reviewPlans.id, review.planId));
  const resolverId = plan?.arbitratorId ?? plan?.ownerId;
  if (resolverId === caller.userId) return;
  const who = plan?.arbitratorId ? "the plan's arbitrator" : "the plan's owner";
  throw new Refusal('not-yours', 'Not your dispute', `Disputes of review ${review.id} are decided by ${who}`);
}

export async function resolveDispute(
  db: Database,
  request: ReviewRequest,
  reviewId: string,
  disputeId: string,
  input: { resolution: DisputeResolution; comment: string; answers?: Answers },
): Promise<{ review: ReviewRow; dispute: DisputeRow }> {
  const { audit, caller } = request;
  const step = `dispute-${input.resolution}` as const;
  return changeReview(
    db,
    audit,
    reviewId,
    { activity: 'REVIEW_DISPUTE_RESOLVE', description: `Dispute ${disputeId} of review ${reviewId} ${input.resolution}`, details: { disputeId, resolution: input.resolution, comment: input.comment } },
    async (tx, review) => {
      const [dispute] = await tx.select().from(reviewDisputes).where(and(eq(reviewDisputes.id, disputeId), eq(reviewDisputes.reviewId, reviewId))).for('update');
      if (!dispute) throw new Refusal('not-found', 'Dispute not found', `Review ${reviewId} has no dispute ${disputeId}`);
      await requireResolver(tx, review, caller);
      if (dispute.resolvedAt !== null) throw new Refusal('conflict', 'Dispute resolved', `Dispute ${disputeId} was ${dispute.resolution} at ${dispute.resolvedAt.toISOString()}`);
      requireStatus(review, ['completed'], 'changed by a dispute');
      if (input.resolution === 'partially-accepted' && input.answers === undefined) throw invalidField('answers', 'a partial acceptance names the answers it changes');

      const scoreBefore = review.scorePercent;
      const tally = DISPUTE_RESOLVED[input.resolution];
      let after = review;
      if (input.resolution === 'rejected') {
        after = await updateReview(tx, review, { scoresFrozenAt: sql`now()`, ...tally }, [{ step, actor: caller.username, detail: { disputeId, scoreBefore, scoreAfter: scoreBefore } }], audit);
      } else {
        const changes = input.resolution === 'accepted' ? dispute.suggestedAnswers : input.answers!;
        const version = await versionOf(tx, review);
        refuseBadAnswers(version, changes, { complete: false });
        const merged = { ...review.answers, ...changes };
        refuseBadAnswers(version, merged, { complete: true });
        const scored = scoreColumns(version, merged);
        after = await updateReview(tx, review, { ...scored, ...tally }, [{ step, actor: caller.username, detail: { disputeId, changed: Object.keys(changes), scoreBefore, scoreAfter: scored.scorePercent } }], audit);
      }
      const [resolved] = await tx
        .update(reviewDisputes)
        .set({ resolution: input.resolution, resolutionComment: input.comment, resolvedBy: caller.username, resolvedAt: sql`now()`, scoreBefore, scoreAfter: after.scorePercent })
        .where(eq(reviewDisputes.id, disputeId))
        .returning();
      return { value: { review: after, dispute: resolved! }, details: { scoreBefore, scoreAfter: after.scorePercent, tierName: after.tierName } };
    },
  );
}

export async function disputesOf(executor: Executor, reviewId: string): Promise<DisputeRow[]> {
  return executor.select().from(reviewDisputes).where(eq(reviewDisputes.reviewId, reviewId)).orderBy(reviewDisputes.openedAt, reviewDisputes.id);
}
