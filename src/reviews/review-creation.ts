import { and, inArray, isNull, notLike, sql } from 'drizzle-orm';
import type { Transaction } from '../db/client.js';
import { conversations, reviews } from '../db/schema/index.js';
import { recordReviewEvents } from './review-events.js';

export interface NewReview {
  id: string;
  kind: 'plan' | 'manual' | 'calibration';
  questionnaireId: string;
  questionnaireVersion: number;
  conversationId: string;
  planId?: string | null;
  planRunId?: string | null;
  calibrationId?: string | null;
  agentUsername: string | null;
  agentGroups: readonly string[];
  evaluatorId: string | null;
  dueAt: Date | null;
  remindAt?: Date | null;
  createdBy: string;
}

export interface CreatedReviews {
  created: NewReview[];
  /** Already reviewed with this questionnaire (the database's unique constraint said so). */
  duplicates: string[];
  /** Deleted or anonymised by the time the review was to be made. */
  gone: string[];
}

/**
 * Makes reviews in the caller's transaction, with their `selected` (and `assigned`) steps. The
 * conversations are share-locked first, so a deletion either sees the new review as open or has already
 * left a tombstone that is never reviewed; the unique index, not a check, keeps a conversation from being
 * reviewed twice with one questionnaire.
 */
export async function createReviews(tx: Transaction, rows: readonly NewReview[]): Promise<CreatedReviews> {
  if (rows.length === 0) return { created: [], duplicates: [], gone: [] };
  const ids = [...new Set(rows.map((row) => row.conversationId))];
  const alive = await tx
    .select({ id: conversations.id })
    .from(conversations)
    .where(and(inArray(conversations.id, ids), isNull(conversations.deletedAt), notLike(conversations.externalKey, 'anonymised:%')))
    .for('share');
  const aliveIds = new Set(alive.map((row) => row.id));
  const living = rows.filter((row) => aliveIds.has(row.conversationId));
  const inserted = living.length === 0
    ? []
    : await tx
        .insert(reviews)
        .values(living.map((row) => ({ ...row, agentGroups: [...row.agentGroups], includeInReports: row.kind !== 'calibration' })))
        .onConflictDoNothing()
        .returning({ id: reviews.id });
  const insertedIds = new Set(inserted.map((row) => row.id));
  const created = living.filter((row) => insertedIds.has(row.id));
  await recordReviewEvents(
    tx,
    created.flatMap((row) => [
      { reviewId: row.id, conversationId: row.conversationId, step: 'selected' as const, actor: row.createdBy, detail: { kind: row.kind, questionnaireId: row.questionnaireId, questionnaireVersion: row.questionnaireVersion, planId: row.planId ?? null } },
      ...(row.evaluatorId ? [{ reviewId: row.id, conversationId: row.conversationId, step: 'assigned' as const, actor: row.createdBy, detail: { evaluatorId: row.evaluatorId } }] : []),
    ]),
  );
  return {
    created,
    duplicates: living.filter((row) => !insertedIds.has(row.id)).map((row) => row.conversationId),
    gone: rows.filter((row) => !aliveIds.has(row.conversationId)).map((row) => row.conversationId),
  };
}

/** Open reviews per evaluator: the workload assignment balances. */
export const OPEN_REVIEW_STATUSES = ['waiting', 'in-progress'] as const;
export const isOpenReview = sql`${reviews.status} in ('waiting', 'in-progress')`;
