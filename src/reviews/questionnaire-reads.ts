import { and, asc, desc, eq, sql, type SQL } from 'drizzle-orm';
import type { Executor } from '../db/client.js';
import { queryRows } from '../db/query-rows.js';
import { questionnaireVersions, questionnaires, reviewPlans } from '../db/schema/index.js';
import type { QuestionnaireRow, QuestionnaireVersionRow } from './questionnaire-versions.js';

export type QuestionnaireState = 'draft' | 'active' | 'inactive';

/** A questionnaire with its current version and how many reviews were made with any of its versions. */
export interface QuestionnaireRecord {
  questionnaire: QuestionnaireRow;
  version: QuestionnaireVersionRow;
  usedByReviews: number;
}

/**
 * Reviews made with any version of a questionnaire, in two parts that each have an index: the unique index
 * "one review per questionnaire and conversation" covers every kind but calibration, and calibration
 * reviews are found through their calibration. Table names are spelled out: drizzle leaves columns
 * unqualified in a query on one table, where `id` would mean the subquery's own.
 */
const reviewCount = (questionnaireId: SQL) =>
  sql<number>`(
    (select count(*) from reviews r where r.questionnaire_id = ${questionnaireId} and r.kind <> 'calibration')
    + (select count(*) from reviews r join calibrations c on c.id = r.calibration_id where c.questionnaire_id = ${questionnaireId})
  )::int`.mapWith(Number);
const usedByReviews = reviewCount(sql`"questionnaires"."id"`);

const currentVersionJoin = and(eq(questionnaireVersions.questionnaireId, questionnaires.id), eq(questionnaireVersions.version, questionnaires.currentVersion));

/** One questionnaire as its view shows it; undefined when there is none. */
export async function findQuestionnaire(executor: Executor, questionnaireId: string): Promise<QuestionnaireRecord | undefined> {
  const [row] = await executor
    .select({ questionnaire: questionnaires, version: questionnaireVersions, usedByReviews })
    .from(questionnaires)
    .innerJoin(questionnaireVersions, currentVersionJoin)
    .where(eq(questionnaires.id, questionnaireId));
  return row;
}

/** Where a page of the list starts: after this row, in newest-first order. */
export interface QuestionnairePosition {
  at: string;
  id: string;
}

/** Newest first, `limit` rows after `after`; `at` is the row's creation time as a cursor holds it (UTC, microseconds). */
export async function listQuestionnaires(
  executor: Executor,
  query: { state?: QuestionnaireState | undefined; limit: number; after?: QuestionnairePosition | undefined },
): Promise<(QuestionnaireRecord & { at: string })[]> {
  const conditions: SQL[] = [];
  if (query.state) conditions.push(eq(questionnaires.state, query.state));
  if (query.after) conditions.push(sql`(${questionnaires.createdAt}, ${questionnaires.id}) < (${query.after.at}::timestamptz, ${query.after.id}::uuid)`);
  return executor
    .select({
      questionnaire: questionnaires,
      version: questionnaireVersions,
      usedByReviews,
      at: sql<string>`to_char(${questionnaires.createdAt} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`,
    })
    .from(questionnaires)
    .innerJoin(questionnaireVersions, currentVersionJoin)
    .where(and(...conditions))
    .orderBy(desc(questionnaires.createdAt), desc(questionnaires.id))
    .limit(query.limit);
}

/** Every version a questionnaire had, oldest first (without their definitions). */
export async function listQuestionnaireVersions(executor: Executor, questionnaireId: string) {
  return executor
    .select({ version: questionnaireVersions.version, createdAt: questionnaireVersions.createdAt, createdBy: questionnaireVersions.createdBy })
    .from(questionnaireVersions)
    .where(eq(questionnaireVersions.questionnaireId, questionnaireId))
    .orderBy(asc(questionnaireVersions.version));
}

/** What still refers to a questionnaire, and so keeps it from being deleted. */
export async function questionnaireReferences(executor: Executor, questionnaireId: string) {
  const id = sql`${questionnaireId}::uuid`;
  const [counts] = await queryRows<{ used_by_reviews: number; calibrations: number }>(
    executor,
    sql`select ${reviewCount(id)} as used_by_reviews, (select count(*) from calibrations c where c.questionnaire_id = ${id})::int as calibrations`,
  );
  const plans = await executor
    .select({ id: reviewPlans.id, name: reviewPlans.name, enabled: reviewPlans.enabled, removedAt: reviewPlans.removedAt })
    .from(reviewPlans)
    .where(eq(reviewPlans.questionnaireId, questionnaireId))
    .orderBy(asc(reviewPlans.name));
  return { usedByReviews: Number(counts?.used_by_reviews ?? 0), calibrations: Number(counts?.calibrations ?? 0), plans };
}
