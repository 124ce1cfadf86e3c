import type { Executor } from '../db/client.js';
import { OPEN_STATUSES } from './review-change.js';
import { disputesOf, type DisputeRow } from './review-disputes.js';
import { findReview, type ReviewListRow } from './review-queries.js';

/**
 * A review as its readers see it. The conversation is named with its tombstone: a review outlives the
 * deletion of its conversation and says so, instead of linking to nothing.
 */

const iso = (date: Date | null) => (date ? date.toISOString() : null);

export function reviewSummary(row: ReviewListRow, now = new Date()) {
  const open = OPEN_STATUSES.includes(row.status);
  return {
    id: row.id,
    kind: row.kind,
    status: row.status,
    questionnaire: { id: row.questionnaireId, version: row.questionnaireVersion, name: row.questionnaireName },
    conversation: { id: row.conversationId, deleted: row.conversationDeletedAt !== null, deletedAt: iso(row.conversationDeletedAt) },
    planId: row.planId,
    calibrationId: row.calibrationId,
    agent: { username: row.agentUsername, groups: row.agentGroups },
    evaluator: row.evaluatorId ? { id: row.evaluatorId, username: row.evaluatorUsername } : null,
    scorePercent: row.scorePercent,
    tier: row.tierName === null ? null : { name: row.tierName, needsTraining: row.needsTraining },
    needsTraining: row.needsTraining,
    failed: row.failed,
    dueAt: iso(row.dueAt),
    overdue: open && row.dueAt !== null && row.dueAt.getTime() < now.getTime(),
    createdAt: row.createdAt.toISOString(),
    startedAt: iso(row.startedAt),
    completedAt: iso(row.completedAt),
    revealedAt: iso(row.revealedAt),
    acknowledgedAt: iso(row.acknowledgedAt),
    includeInReports: row.includeInReports,
    scoresFrozen: row.scoresFrozenAt !== null,
    deletedAt: iso(row.deletedAt),
  };
}

export function disputeView(dispute: DisputeRow) {
  return {
    id: dispute.id,
    openedBy: dispute.openedBy,
    openedAt: dispute.openedAt.toISOString(),
    comment: dispute.comment,
    suggestedAnswers: dispute.suggestedAnswers,
    resolution: dispute.resolution,
    resolutionComment: dispute.resolutionComment,
    resolvedBy: dispute.resolvedBy,
    resolvedAt: iso(dispute.resolvedAt),
    scoreBefore: dispute.scoreBefore,
    scoreAfter: dispute.scoreAfter,
  };
}

export function reviewView(row: ReviewListRow, disputes: readonly DisputeRow[], now = new Date()) {
  return {
    ...reviewSummary(row, now),
    answers: row.answers,
    score: row.score,
    completedBy: row.completedBy,
    scoresFrozenAt: iso(row.scoresFrozenAt),
    deleteReason: row.deleteReason,
    disputes: disputes.map(disputeView),
  };
}

export type ReviewSummary = ReturnType<typeof reviewSummary>;
export type ReviewView = ReturnType<typeof reviewView>;

/** One review's whole view, or undefined when there is no such review. */
export async function loadReviewView(executor: Executor, reviewId: string): Promise<ReviewView | undefined> {
  const row = await findReview(executor, reviewId);
  if (!row) return undefined;
  return reviewView(row, await disputesOf(executor, reviewId));
}
