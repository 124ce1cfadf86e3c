import { randomUUID } from 'node:crypto';
import { and, asc, eq, sql } from 'drizzle-orm';
import { appendAudit, syncEntry } from '../audit/write/audit-writer.js';
import { auditedChange, type AuditContext } from '../audit/write/audited.js';
import type { Database, Executor } from '../db/client.js';
import { trainingAssignments, trainingAttempts, trainingPacks } from '../db/schema/index.js';
import type { QuizAnswers } from '../domain/training-pack.js';
import { quizAnswerProblems, quizForTrainee, scoreQuiz, type TraineeQuiz } from '../domain/training-quiz.js';
import { assignmentTiming, type AssignmentRow } from './training-assignments.js';
import { Refusal, isUniqueViolation, refuseProblems } from '../lib/refusal.js';
import { recordTrainingEvents, type TrainingEventInput } from './training-events.js';
import { loadTrainingPackVersion } from './training-pack-reads.js';

/**
 * The trainee's side of an assignment: what they study and the quiz without its answers, and submissions
 * scored here on the server. A pass completes the assignment; a fail gives it again with a new due time
 * while attempts are left, and marks it failed (its supervisors are mailed) on the last one.
 */

export type AttemptRow = typeof trainingAttempts.$inferSelect;

export interface TraineeView {
  assignment: AssignmentRow;
  instructions: string;
  referenceConversationId: string | null;
  presentation: { sha256: string; fileName: string; mediaType: string; sizeBytes: number }[];
  quiz: TraineeQuiz;
  attempts: Pick<AttemptRow, 'number' | 'scorePercent' | 'passed' | 'submittedAt'>[];
}

export function attemptsOf(executor: Executor, assignmentId: string) {
  return executor
    .select({ number: trainingAttempts.number, scorePercent: trainingAttempts.scorePercent, passed: trainingAttempts.passed, submittedAt: trainingAttempts.submittedAt })
    .from(trainingAttempts)
    .where(eq(trainingAttempts.assignmentId, assignmentId))
    .orderBy(asc(trainingAttempts.number));
}

/** The assignment as its trainee sees it: the version it was given, with the quiz's correct answers removed. */
export async function traineeView(executor: Executor, assignment: AssignmentRow): Promise<TraineeView> {
  const version = (await loadTrainingPackVersion(executor, assignment.packId, assignment.packVersion))!;
  return {
    assignment,
    instructions: version.definition.instructions,
    referenceConversationId: version.definition.referenceConversationId,
    presentation: version.definition.presentation,
    quiz: quizForTrainee(version.definition.quiz),
    attempts: await attemptsOf(executor, assignment.id),
  };
}

export interface AttemptOutcome {
  assignment: AssignmentRow;
  attempt: AttemptRow;
  attemptsLeft: number;
  /** Only once the assignment is passed or failed: which questions were right and what the correct options are. */
  solution?: { questionId: string; correct: boolean; correctOptionIds: string[] }[];
}

const closedConflict = (row: AssignmentRow) => new Refusal('conflict', 'Training assignment closed', `Training assignment ${row.id} is ${row.status}; it takes no more attempts`);
const doubleSubmit = (assignmentId: string) =>
  new Refusal('conflict', 'Attempt already submitted', `Another attempt of training assignment ${assignmentId} was submitted at the same time; reload it and submit again if attempts are left`);

/**
 * One submission (TRAINING_QUIZ_SUBMIT; the last failure also TRAINING_FAILED). The attempt's number is
 * claimed by a conditional update on the assignment's attempt count, so of two submissions racing for one
 * number one wins and the other is a 409 (the unique index on (assignment, number) stands behind it).
 * `expectedNumber`, when given, must be the number the trainee believes they submit.
 */
export async function submitAttempt(
  db: Database,
  assignmentId: string,
  input: { answers: QuizAnswers; expectedNumber?: number | undefined },
  trainee: { userId: string },
  audit: AuditContext,
): Promise<AttemptOutcome> {
  const [seen] = await db.select().from(trainingAssignments).where(eq(trainingAssignments.id, assignmentId));
  if (!seen) throw new Refusal('not-found', 'Training assignment not found', `No training assignment ${assignmentId}`);
  return auditedChange(
    db,
    { ...audit, activity: 'TRAINING_QUIZ_SUBMIT', description: `Quiz of training assignment ${assignmentId} submitted`, conversationId: seen.conversationId, details: { assignmentId, packId: seen.packId } },
    async (tx) => {
      if (seen.assigneeUserId !== trainee.userId) throw new Refusal('not-yours', 'Not your training', `Training assignment ${assignmentId} is assigned to someone else`);
      if (seen.status !== 'assigned') throw closedConflict(seen);
      const number = seen.attemptsUsed + 1;
      if (input.expectedNumber !== undefined && input.expectedNumber !== number) throw doubleSubmit(assignmentId);
      const version = (await loadTrainingPackVersion(tx, seen.packId, seen.packVersion))!;
      const quiz = version.definition.quiz;
      refuseProblems('Invalid answers', quizAnswerProblems(quiz, input.answers));
      const score = scoreQuiz(quiz, input.answers);
      const last = !score.passed && number >= seen.attemptsAllowed;
      const [pack] = await tx.select().from(trainingPacks).where(eq(trainingPacks.id, seen.packId));
      const timing = assignmentTiming(pack!, new Date());
      const outcome = score.passed ? { status: 'passed', completedAt: sql`now()` } : last ? { status: 'failed', completedAt: sql`now()` } : { ...timing, remindedAt: null, overdueAt: null };
      const [claimed] = await tx
        .update(trainingAssignments)
        .set({ attemptsUsed: number, ...outcome, updatedAt: sql`now()` })
        .where(and(eq(trainingAssignments.id, assignmentId), eq(trainingAssignments.status, 'assigned'), eq(trainingAssignments.attemptsUsed, seen.attemptsUsed)))
        .returning();
      if (!claimed) throw doubleSubmit(assignmentId);
      let attempt: AttemptRow;
      try {
        [attempt] = (await tx
          .insert(trainingAttempts)
          .values({ id: randomUUID(), assignmentId, number, answers: input.answers, scorePercent: score.scorePercent, passed: score.passed, submittedBy: audit.actor.username })
          .returning()) as [AttemptRow];
      } catch (error) {
        if (isUniqueViolation(error, 'training_attempts_number_uq')) throw doubleSubmit(assignmentId);
        throw error;
      }
      const base = { assignmentId, conversationId: seen.conversationId, actor: audit.actor.username };
      const scored = { attempt: number, scorePercent: score.scorePercent, passMarkPercent: quiz.passMarkPercent };
      const events: TrainingEventInput[] = score.passed
        ? [{ ...base, step: 'passed', detail: scored }]
        : last
          ? [{ ...base, step: 'failed', detail: { ...scored, attemptsAllowed: seen.attemptsAllowed } }]
          : [
              { ...base, step: 'attempt-failed', detail: { ...scored, attemptsLeft: seen.attemptsAllowed - number } },
              { ...base, step: 'reassigned', detail: { attempt: number + 1, dueAt: claimed.dueAt.toISOString() } },
            ];
      await recordTrainingEvents(tx, events);
      if (last) {
        await appendAudit(tx, [
          syncEntry({
            activity: 'TRAINING_FAILED',
            result: 'OK',
            actor: audit.actor,
            correlationId: audit.correlationId,
            conversationId: seen.conversationId,
            description: `Training assignment ${assignmentId} failed: ${number} of ${seen.attemptsAllowed} attempts used without passing`,
            details: { assignmentId, packId: seen.packId, ...scored, attemptsAllowed: seen.attemptsAllowed },
          }),
        ]);
      }
      const finished = claimed.status !== 'assigned';
      const solution = finished
        ? score.perQuestion.map((question) => ({ ...question, correctOptionIds: quiz.questions.find((candidate) => candidate.id === question.questionId)!.correct }))
        : undefined;
      return {
        value: { assignment: claimed, attempt, attemptsLeft: finished ? 0 : claimed.attemptsAllowed - claimed.attemptsUsed, ...(solution ? { solution } : {}) },
        details: { ...scored, passed: score.passed, status: claimed.status },
      };
    },
  );
}
