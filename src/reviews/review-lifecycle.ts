import { and, eq, isNull, sql } from 'drizzle-orm';
import type { Database, Transaction } from '../db/client.js';
import { reviewDisputes } from '../db/schema/index.js';
import type { Answers } from '../domain/questionnaire.js';
import { changeReview, requireAssignedEvaluator, requireStatus, updateReview, type ReviewRequest, type ReviewRow } from './review-change.js';
import { Refusal, invalidField } from '../lib/refusal.js';
import { refuseBadAnswers, scoreColumns, scoreSummary, versionOf } from './review-scoring.js';

/**
 * The steps of one review after it was made: start, save a draft, complete (scored on the server), reopen,
 * delete, reveal to the agent and include in reports. Each is one transaction holding the review's row lock,
 * its audit entry under the seed's activity and its step in review_events.
 */

const startedColumns = (review: ReviewRow) => (review.status === 'waiting' ? { status: 'in-progress', startedAt: sql`now()` } : {});
const startedEvents = (review: ReviewRow, actor: string) => (review.status === 'waiting' ? [{ step: 'started' as const, actor }] : []);

export async function startReview(db: Database, request: ReviewRequest, reviewId: string): Promise<ReviewRow> {
  const { audit, caller } = request;
  return changeReview(db, audit, reviewId, { activity: 'START_EVALUATION', description: `Review ${reviewId} started` }, async (tx, review) => {
    requireAssignedEvaluator(review, caller);
    requireStatus(review, ['waiting'], 'started');
    return { value: await updateReview(tx, review, startedColumns(review), startedEvents(review, caller.username), audit) };
  });
}

/** Saves the evaluator's draft (replacing the previous one), checked against the review's own version; starts a waiting review. */
export async function saveAnswers(db: Database, request: ReviewRequest, reviewId: string, answers: Answers): Promise<ReviewRow> {
  const { audit, caller } = request;
  return changeReview(db, audit, reviewId, { activity: 'SAVE_EVALUATION', description: `Draft of review ${reviewId} saved` }, async (tx, review) => {
    requireAssignedEvaluator(review, caller);
    requireStatus(review, ['waiting', 'in-progress'], 'saved (reopen a completed review first)');
    refuseBadAnswers(await versionOf(tx, review), answers, { complete: false });
    const answered = Object.keys(answers).length;
    const value = await updateReview(tx, review, { ...startedColumns(review), answers }, [...startedEvents(review, caller.username), { step: 'saved', actor: caller.username, detail: { answered } }], audit);
    return { value, details: { answered } };
  });
}

/** Completes a review: the given answers over the saved draft, every required question answered, the score computed here. */
export async function completeReview(db: Database, request: ReviewRequest, reviewId: string, answers: Answers | undefined): Promise<ReviewRow> {
  const { audit, caller } = request;
  return changeReview(db, audit, reviewId, { activity: 'COMPLETE_EVALUATION', description: `Review ${reviewId} completed` }, async (tx, review) => {
    requireAssignedEvaluator(review, caller);
    requireStatus(review, ['waiting', 'in-progress'], 'completed');
    const version = await versionOf(tx, review);
    const merged = { ...review.answers, ...answers };
    refuseBadAnswers(version, merged, { complete: true });
    const scored = scoreColumns(version, merged);
    const value = await updateReview(
      tx,
      review,
      { ...startedColumns(review), ...scored, status: 'completed', completedAt: sql`now()`, completedBy: caller.userId },
      [...startedEvents(review, caller.username), { step: 'completed', actor: caller.username, detail: scoreSummary(scored) }],
      audit,
    );
    return { value, details: scoreSummary(scored) };
  });
}

async function hasOpenDispute(tx: Transaction, reviewId: string): Promise<boolean> {
  const [open] = await tx
    .select({ id: reviewDisputes.id })
    .from(reviewDisputes)
    .where(and(eq(reviewDisputes.reviewId, reviewId), isNull(reviewDisputes.resolvedAt)));
  return open !== undefined;
}

/**
 * Opens a completed review again for its assigned evaluator, who alone then changes its answers (save and
 * complete check that). Its score is cleared until it is completed again; refused once scores are frozen.
 */
export async function reopenReview(db: Database, request: ReviewRequest, reviewId: string, reason: string): Promise<ReviewRow> {
  const { audit, caller } = request;
  return changeReview(db, audit, reviewId, { activity: 'REOPEN_EVALUATION', description: `Review ${reviewId} reopened`, details: { reason } }, async (tx, review) => {
    requireStatus(review, ['completed'], 'reopened');
    if (review.scoresFrozenAt !== null) {
      throw new Refusal('conflict', 'Scores frozen', `Review ${reviewId}'s scores were frozen when a dispute was rejected at ${review.scoresFrozenAt.toISOString()}`);
    }
    if (await hasOpenDispute(tx, reviewId)) throw new Refusal('conflict', 'Dispute open', `Review ${reviewId} has an open dispute; resolve it instead`);
    const previous = scoreSummary(review);
    const value = await updateReview(
      tx,
      review,
      { status: 'in-progress', score: null, scorePercent: null, tierName: null, needsTraining: false, failed: false, completedAt: null, completedBy: null },
      [{ step: 'reopened', actor: caller.username, detail: { reason, previous } }],
      audit,
    );
    return { value, details: { previous } };
  });
}

/**
 * Soft-deletes a review: its row, answers and history stay. A finished review is the seed's
 * DELETE_FINISHED_EVALUATION and needs a reason.
 */
export async function deleteReview(db: Database, request: ReviewRequest, reviewId: string, reason: string | undefined): Promise<ReviewRow> {
  const { audit, caller } = request;
  const finished = (review: ReviewRow) => review.status === 'completed';
  return changeReview(
    db,
    audit,
    reviewId,
    (before) => ({
      activity: finished(before) ? 'DELETE_FINISHED_EVALUATION' : 'DELETE_EVALUATION',
      description: `${finished(before) ? 'Finished review' : 'Review'} ${reviewId} deleted`,
      details: { reason: reason ?? null },
    }),
    async (tx, review) => {
      if (review.status === 'deleted') throw new Refusal('conflict', 'Wrong review state', `Review ${reviewId} is already deleted`);
      if (finished(review) && !reason) throw invalidField('reason', 'a finished review is deleted only with a reason');
      const value = await updateReview(tx, review, { status: 'deleted', deletedAt: sql`now()`, deleteReason: reason ?? null }, [
        { step: 'deleted', actor: caller.username, detail: { reason: reason ?? null, previousStatus: review.status } },
      ], audit);
      return { value, details: { previousStatus: review.status } };
    },
  );
}

/** Shows a completed review to its agent (from then on the dispute window runs), or hides it again. */
export async function setRevealed(db: Database, request: ReviewRequest, reviewId: string, revealed: boolean): Promise<ReviewRow> {
  const { audit, caller } = request;
  const description = `Review ${reviewId} ${revealed ? 'revealed to' : 'hidden from'} its agent`;
  return changeReview(db, audit, reviewId, { activity: 'REVEAL_TO_AGENT_CHANGED', description, details: { revealed } }, async (tx, review) => {
    if (revealed) {
      requireStatus(review, ['completed'], 'revealed');
      if (review.kind === 'calibration') throw new Refusal('conflict', 'Calibration review', 'Calibration reviews are never shown to agents');
    } else if (await hasOpenDispute(tx, reviewId)) {
      throw new Refusal('conflict', 'Dispute open', `Review ${reviewId} has an open dispute; it stays visible to its agent`);
    }
    const changed = revealed === (review.revealedAt === null);
    if (!changed) return { value: review, details: { changed } };
    const value = await updateReview(tx, review, { revealedAt: revealed ? sql`now()` : null }, [{ step: revealed ? 'revealed' : 'hidden', actor: caller.username }], audit);
    return { value, details: { changed } };
  });
}

export async function setIncludedInReports(db: Database, request: ReviewRequest, reviewId: string, included: boolean): Promise<ReviewRow> {
  const { audit, caller } = request;
  const description = `Review ${reviewId} ${included ? 'included in' : 'excluded from'} reports`;
  return changeReview(db, audit, reviewId, { activity: 'INCLUDE_IN_REPORTS_CHANGED', description, details: { included } }, async (tx, review) => {
    if (included && review.kind === 'calibration') throw new Refusal('conflict', 'Calibration review', 'Calibration reviews never count in reports');
    const changed = review.includeInReports !== included;
    if (!changed) return { value: review, details: { changed } };
    const value = await updateReview(tx, review, { includeInReports: included }, [{ step: included ? 'included-in-reports' : 'excluded-from-reports', actor: caller.username }], audit);
    return { value, details: { changed } };
  });
}
