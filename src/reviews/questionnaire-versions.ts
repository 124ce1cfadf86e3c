import { and, eq } from 'drizzle-orm';
import type { Executor } from '../db/client.js';
import { questionnaireVersions, questionnaires } from '../db/schema/index.js';

export type QuestionnaireRow = typeof questionnaires.$inferSelect;
export type QuestionnaireVersionRow = typeof questionnaireVersions.$inferSelect;

/** One version exactly as it was when reviews were scored with it. */
export async function loadQuestionnaireVersion(executor: Executor, questionnaireId: string, version: number): Promise<QuestionnaireVersionRow | undefined> {
  const [row] = await executor
    .select()
    .from(questionnaireVersions)
    .where(and(eq(questionnaireVersions.questionnaireId, questionnaireId), eq(questionnaireVersions.version, version)));
  return row;
}

/** A questionnaire with its current version; undefined when there is none. The caller decides what its state allows. */
export async function loadCurrentQuestionnaire(executor: Executor, questionnaireId: string): Promise<{ questionnaire: QuestionnaireRow; version: QuestionnaireVersionRow } | undefined> {
  const [row] = await executor
    .select({ questionnaire: questionnaires, version: questionnaireVersions })
    .from(questionnaires)
    .innerJoin(questionnaireVersions, and(eq(questionnaireVersions.questionnaireId, questionnaires.id), eq(questionnaireVersions.version, questionnaires.currentVersion)))
    .where(eq(questionnaires.id, questionnaireId));
  return row;
}

/** Whether reviews may be made with it now: active and not retired. */
export const isUsable = (questionnaire: QuestionnaireRow) => questionnaire.state === 'active' && questionnaire.retiredAt === null;
