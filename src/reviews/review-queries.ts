import { and, eq, getTableColumns, isNull, lt, ne, or, sql, type SQL } from 'drizzle-orm';
import type { Executor } from '../db/client.js';
import { conversations, questionnaires, reviews, users } from '../db/schema/index.js';
import type { ReviewRow } from './review-change.js';
import { isOpenReview } from './review-creation.js';

/** A review with what its view names beside it: the questionnaire's name, the conversation's tombstone, the evaluator. */
export interface ReviewListRow extends ReviewRow {
  questionnaireName: string;
  conversationDeletedAt: Date | null;
  evaluatorUsername: string | null;
  position: ReviewPosition;
}

/** Where a page ended: the last row's due time exactly as PostgreSQL holds it (microseconds) and its id. */
export interface ReviewPosition {
  dueAt: string | null;
  id: string;
}

export interface ReviewFilters {
  status?: string;
  evaluatorId?: string;
  agent?: string;
  questionnaireId?: string;
  planId?: string;
  conversationId?: string;
  overdue?: boolean;
}

const dueAtText = sql<string | null>`to_char(${reviews.dueAt} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

/** Past its due time and not finished. */
export const isOverdue = sql<boolean>`(${isOpenReview} and ${reviews.dueAt} < now())`;

function selectReviews(executor: Executor) {
  return executor
    .select({
      ...getTableColumns(reviews),
      questionnaireName: questionnaires.name,
      conversationDeletedAt: conversations.deletedAt,
      evaluatorUsername: users.username,
      dueAtText,
    })
    .from(reviews)
    .innerJoin(questionnaires, eq(questionnaires.id, reviews.questionnaireId))
    .innerJoin(conversations, eq(conversations.id, reviews.conversationId))
    .leftJoin(users, eq(users.id, reviews.evaluatorId));
}

type SelectedRow = Awaited<ReturnType<ReturnType<typeof selectReviews>['where']>>[number];
const listRowOf = ({ dueAtText: text, ...row }: SelectedRow): ReviewListRow => ({ ...row, position: { dueAt: text, id: row.id } });

function filterConditions(filters: ReviewFilters): (SQL | undefined)[] {
  return [
    // Deleted reviews are kept, but shown only when asked for.
    filters.status ? eq(reviews.status, filters.status) : ne(reviews.status, 'deleted'),
    filters.evaluatorId ? eq(reviews.evaluatorId, filters.evaluatorId) : undefined,
    filters.agent ? eq(reviews.agentUsername, filters.agent) : undefined,
    filters.questionnaireId ? eq(reviews.questionnaireId, filters.questionnaireId) : undefined,
    filters.planId ? eq(reviews.planId, filters.planId) : undefined,
    filters.conversationId ? eq(reviews.conversationId, filters.conversationId) : undefined,
    filters.overdue === undefined ? undefined : filters.overdue ? isOverdue : sql`not ${isOverdue}`,
  ];
}

/** After `position` in the order due time newest first (no due time last), then id. */
function afterPosition(position: ReviewPosition | undefined): SQL | undefined {
  if (!position) return undefined;
  if (position.dueAt === null) return and(isNull(reviews.dueAt), lt(reviews.id, position.id));
  return or(
    sql`(${reviews.dueAt}, ${reviews.id}) < (${position.dueAt}::timestamptz, ${position.id}::uuid)`,
    isNull(reviews.dueAt),
  );
}

/**
 * Keyset-paginated reviews, newest due first: `limit` rows after `after`. `scope` (reviewScope) restricts
 * the viewer to the reviews they may see: an evaluator's queue, an agent's revealed reviews, a supervisor's groups'.
 */
export async function listReviews(
  executor: Executor,
  request: { filters: ReviewFilters; scope: SQL | undefined; after?: ReviewPosition; limit: number },
): Promise<ReviewListRow[]> {
  const rows = await selectReviews(executor)
    .where(and(...filterConditions(request.filters), request.scope, afterPosition(request.after)))
    .orderBy(sql`${reviews.dueAt} desc nulls last`, sql`${reviews.id} desc`)
    .limit(request.limit);
  return rows.map(listRowOf);
}

export async function findReview(executor: Executor, reviewId: string): Promise<ReviewListRow | undefined> {
  const [row] = await selectReviews(executor).where(eq(reviews.id, reviewId));
  return row && listRowOf(row);
}
