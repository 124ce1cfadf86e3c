import { randomUUID } from 'node:crypto';
import { and, asc, eq, inArray, ne } from 'drizzle-orm';
import type { Executor, Transaction } from '../db/client.js';
import { calibrations, conversations, questionnaires, reviews, users } from '../db/schema/index.js';
import type { Answers } from '../domain/questionnaire.js';
import type { ReviewScore } from '../domain/review-score.js';
import { FailureType } from '../domain/failures.js';
import { isUsable, loadCurrentQuestionnaire, loadQuestionnaireVersion } from './questionnaire-versions.js';
import { createReviews } from './review-creation.js';
import { calibrationSpread, type QuestionSpread, type TotalSpread } from '../domain/calibration-spread.js';

/**
 * Calibration: one conversation and questionnaire sent blind to several evaluators. Each gets an
 * ordinary review of kind `calibration` (never in an agent's reports, and seen only by its evaluator),
 * completed through the ordinary review routes; the calibration compares them.
 */
export interface CalibrationRequest {
  conversationId: string;
  questionnaireId: string;
  evaluatorIds: readonly string[];
  dueAt: Date | null;
  /** Who sends it (a username), as the reviews' history names them. */
  createdBy: string;
}

/** A field of the request and what is wrong with it (`evaluatorIds.2`, `questionnaireId`). */
export interface CalibrationProblem {
  field: string;
  message: string;
}

export interface CreatedCalibration {
  calibrationId: string;
  questionnaireId: string;
  questionnaireVersion: number;
  conversationId: string;
  reviews: { reviewId: string; evaluatorId: string; username: string }[];
}

export type CalibrationOutcome =
  | { ok: true; calibration: CreatedCalibration }
  | { ok: false; failure: FailureType; detail: string; problems: CalibrationProblem[] };

const refused = (failure: FailureType, problems: CalibrationProblem[]): CalibrationOutcome => ({
  ok: false,
  failure,
  detail: problems.map((problem) => `${problem.field}: ${problem.message}`).join('; '),
  problems,
});

type EvaluatorRow = Pick<typeof users.$inferSelect, 'id' | 'username' | 'roles' | 'groupNames' | 'disabledAt'>;

/** Why this user cannot take part, or null. */
function evaluatorProblem(user: EvaluatorRow | undefined, agentUsername: string | null, evaluatorGroups: readonly string[]): string | null {
  if (!user) return 'no such user';
  if (user.disabledAt !== null) return `${user.username} is disabled`;
  if (!user.roles.includes('evaluator')) return `${user.username} does not have the evaluator role`;
  if (agentUsername !== null && user.username === agentUsername) return `${user.username} is the conversation's agent; nobody reviews their own conversation`;
  if (evaluatorGroups.length > 0 && !user.groupNames.some((group) => evaluatorGroups.includes(group))) {
    return `${user.username} is in none of the questionnaire's evaluator groups (${evaluatorGroups.join(', ')})`;
  }
  return null;
}

/**
 * Makes the calibration and one review per evaluator in the caller's transaction, with the questionnaire's
 * current version. Refuses (changing nothing) when the conversation is gone, the questionnaire cannot be
 * used, or an evaluator may not take part.
 */
export async function createCalibration(tx: Transaction, request: CalibrationRequest): Promise<CalibrationOutcome> {
  const [conversation] = await tx
    .select({ id: conversations.id, agentUsername: conversations.agentUsername, deletedAt: conversations.deletedAt, externalKey: conversations.externalKey })
    .from(conversations)
    .where(eq(conversations.id, request.conversationId));
  if (!conversation) return refused(FailureType.InvalidInput, [{ field: 'conversationId', message: `no conversation ${request.conversationId}` }]);
  if (conversation.deletedAt !== null || conversation.externalKey.startsWith('anonymised:')) {
    return refused(FailureType.ConversationDisposed, [{ field: 'conversationId', message: `conversation ${request.conversationId} was deleted or anonymised` }]);
  }

  const current = await loadCurrentQuestionnaire(tx, request.questionnaireId);
  if (!current) return refused(FailureType.InvalidInput, [{ field: 'questionnaireId', message: `no questionnaire ${request.questionnaireId}` }]);
  if (!isUsable(current.questionnaire)) {
    const state = current.questionnaire.retiredAt ? 'retired' : current.questionnaire.state;
    return refused(FailureType.InvalidInput, [{ field: 'questionnaireId', message: `questionnaire ${current.questionnaire.name} is ${state}; only an active one can be used` }]);
  }

  const found = await tx
    .select({ id: users.id, username: users.username, roles: users.roles, groupNames: users.groupNames, disabledAt: users.disabledAt })
    .from(users)
    .where(inArray(users.id, [...request.evaluatorIds]));
  const byId = new Map(found.map((user) => [user.id, user]));
  const problems = request.evaluatorIds.flatMap((evaluatorId, index) => {
    const message = evaluatorProblem(byId.get(evaluatorId), conversation.agentUsername, current.questionnaire.evaluatorGroups);
    return message ? [{ field: `evaluatorIds.${index}`, message }] : [];
  });
  if (problems.length > 0) return refused(FailureType.InvalidInput, problems);

  const [agent] = conversation.agentUsername
    ? await tx.select({ groupNames: users.groupNames }).from(users).where(eq(users.username, conversation.agentUsername))
    : [];
  const calibrationId = randomUUID();
  const version = current.version.version;
  await tx.insert(calibrations).values({ id: calibrationId, questionnaireId: request.questionnaireId, questionnaireVersion: version, conversationId: conversation.id, createdBy: request.createdBy });
  const rows = request.evaluatorIds.map((evaluatorId) => ({
    id: randomUUID(),
    kind: 'calibration' as const,
    questionnaireId: request.questionnaireId,
    questionnaireVersion: version,
    conversationId: conversation.id,
    calibrationId,
    agentUsername: conversation.agentUsername,
    agentGroups: agent?.groupNames ?? [],
    evaluatorId,
    dueAt: request.dueAt,
    createdBy: request.createdBy,
  }));
  const created = await createReviews(tx, rows);
  if (created.gone.length > 0) {
    return refused(FailureType.ConversationDisposed, [{ field: 'conversationId', message: `conversation ${request.conversationId} was deleted meanwhile` }]);
  }
  return {
    ok: true,
    calibration: {
      calibrationId,
      questionnaireId: request.questionnaireId,
      questionnaireVersion: version,
      conversationId: conversation.id,
      reviews: created.created.map((row) => ({ reviewId: row.id, evaluatorId: row.evaluatorId!, username: byId.get(row.evaluatorId!)!.username })),
    },
  };
}

export interface CalibrationTakeView {
  reviewId: string;
  evaluator: { id: string; username: string; fullName: string };
  status: string;
  completedAt: Date | null;
  /** Only once completed: a draft is the evaluator's own until they complete it. */
  answers: Answers | null;
  score: ReviewScore | null;
}

export interface CalibrationResult {
  calibrationId: string;
  conversationId: string;
  questionnaire: { id: string; name: string; version: number };
  createdBy: string;
  createdAt: Date;
  evaluators: number;
  completed: number;
  reviews: CalibrationTakeView[];
  questions: QuestionSpread[];
  total: TotalSpread;
}

/** The calibration (conversation id only, to audit a read before its result), or undefined. */
export async function findCalibration(executor: Executor, calibrationId: string) {
  const [row] = await executor.select().from(calibrations).where(eq(calibrations.id, calibrationId));
  return row;
}

/** Each evaluator's answers and score, and how far they lie apart; deleted reviews are left out. */
export async function calibrationResult(executor: Executor, calibration: typeof calibrations.$inferSelect): Promise<CalibrationResult> {
  const [version, [questionnaire], takes] = await Promise.all([
    loadQuestionnaireVersion(executor, calibration.questionnaireId, calibration.questionnaireVersion),
    executor.select({ name: questionnaires.name }).from(questionnaires).where(eq(questionnaires.id, calibration.questionnaireId)),
    executor
      .select({ review: reviews, username: users.username, fullName: users.fullName })
      .from(reviews)
      .innerJoin(users, eq(users.id, reviews.evaluatorId))
      .where(and(eq(reviews.calibrationId, calibration.id), ne(reviews.status, 'deleted')))
      .orderBy(asc(users.username)),
  ]);
  if (!version) throw new Error(`questionnaire ${calibration.questionnaireId} has no version ${calibration.questionnaireVersion}`);
  const views = takes.map(({ review, username, fullName }): CalibrationTakeView => {
    const completed = review.status === 'completed';
    return {
      reviewId: review.id,
      evaluator: { id: review.evaluatorId!, username, fullName },
      status: review.status,
      completedAt: review.completedAt,
      answers: completed ? review.answers : null,
      score: completed ? review.score : null,
    };
  });
  const spread = calibrationSpread(
    version.definition,
    views.map((view) => ({ reviewId: view.reviewId, evaluatorId: view.evaluator.id, completed: view.status === 'completed', score: view.score })),
  );
  return {
    calibrationId: calibration.id,
    conversationId: calibration.conversationId,
    questionnaire: { id: calibration.questionnaireId, name: questionnaire?.name ?? '', version: calibration.questionnaireVersion },
    createdBy: calibration.createdBy,
    createdAt: calibration.createdAt,
    evaluators: views.length,
    completed: views.filter((view) => view.status === 'completed').length,
    reviews: views,
    ...spread,
  };
}
