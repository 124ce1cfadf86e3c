import { randomUUID } from 'node:crypto';
import { and, asc, eq, isNotNull, ne, sql } from 'drizzle-orm';
import { appendAudit, syncEntry } from '../audit/write/audit-writer.js';
import { auditedChange } from '../audit/write/audited.js';
import type { Database, Executor, Transaction } from '../db/client.js';
import { conversations, questionnaires, reviewPlans, reviews } from '../db/schema/index.js';
import { assignReviews, type EvaluatorLoad } from '../domain/review-assignment.js';
import { changeReview, requireStatus, updateReview, type ReviewCaller, type ReviewRequest, type ReviewRow } from './review-change.js';
import { createReviews, isOpenReview } from './review-creation.js';
import { Refusal, invalidField, isUniqueViolation } from '../lib/refusal.js';
import { recordReviewEvents } from './review-events.js';
import { agentGroupsOf, evaluatorLoads, evaluatorRefusal, findUser, findUsers, questionnaireEvaluators } from './review-evaluators.js';
import { loadCurrentQuestionnaire, isUsable, type QuestionnaireRow } from './questionnaire-versions.js';

/**
 * Who reviews which conversation, by hand: a particular conversation added to a review (ADD_PARTICULAR_CALL),
 * a review handed to another evaluator, every open review of one evaluator spread over others by workload,
 * and the conversation of a waiting review replaced (REPLACE_CALL).
 */

type ConversationRow = typeof conversations.$inferSelect;

const isGone = (conversation: ConversationRow) => conversation.deletedAt !== null || conversation.externalKey.startsWith('anonymised:');

/** The conversation to review, share-locked so that a deletion waits for (and then sees) the review. */
async function reviewableConversation(tx: Transaction, conversationId: string): Promise<ConversationRow> {
  const [conversation] = await tx.select().from(conversations).where(eq(conversations.id, conversationId)).for('share');
  if (!conversation) throw new Refusal('not-found', 'Conversation not found', `No conversation ${conversationId}`, [{ path: 'conversationId', message: 'not found' }]);
  if (isGone(conversation)) throw new Refusal('conflict', 'Conversation deleted', `Conversation ${conversationId} was deleted or anonymised; it cannot be reviewed`);
  return conversation;
}

async function questionnaireOf(executor: Executor, questionnaireId: string): Promise<QuestionnaireRow> {
  const [questionnaire] = await executor.select().from(questionnaires).where(eq(questionnaires.id, questionnaireId));
  if (!questionnaire) throw new Refusal('conflict', 'Questionnaire missing', `No questionnaire ${questionnaireId}`);
  return questionnaire;
}

async function requireEligibleEvaluator(executor: Executor, evaluatorId: string, questionnaire: QuestionnaireRow, agentUsername: string | null): Promise<void> {
  const refusal = evaluatorRefusal(await findUser(executor, evaluatorId), questionnaire, agentUsername);
  if (refusal) throw invalidField('evaluatorId', refusal);
}

export interface ManualReviewInput {
  conversationId: string;
  questionnaireId: string;
  evaluatorId?: string;
  dueAt?: Date;
}

/** A particular conversation added to a review by hand, with the questionnaire's current version. */
export async function createManualReview(db: Database, request: ReviewRequest, input: ManualReviewInput): Promise<ReviewRow> {
  const { audit, caller } = request;
  const reviewId = randomUUID();
  return auditedChange(
    db,
    {
      ...audit,
      activity: 'ADD_PARTICULAR_CALL',
      description: `Conversation ${input.conversationId} added to a review with questionnaire ${input.questionnaireId}`,
      details: { reviewId, questionnaireId: input.questionnaireId, evaluatorId: input.evaluatorId ?? null, dueAt: input.dueAt?.toISOString() ?? null },
      conversationId: input.conversationId,
    },
    async (tx) => {
      const current = await loadCurrentQuestionnaire(tx, input.questionnaireId);
      if (!current) throw new Refusal('not-found', 'Questionnaire not found', `No questionnaire ${input.questionnaireId}`, [{ path: 'questionnaireId', message: 'not found' }]);
      if (!isUsable(current.questionnaire)) {
        throw new Refusal('conflict', 'Questionnaire not usable', `Questionnaire ${input.questionnaireId} is ${current.questionnaire.retiredAt ? 'retired' : current.questionnaire.state}; only an active one makes reviews`);
      }
      const evaluatorId = input.evaluatorId ?? (caller.roles.includes('evaluator') ? caller.userId : undefined);
      if (evaluatorId === undefined) throw invalidField('evaluatorId', 'name the evaluator who reviews it');
      const conversation = await reviewableConversation(tx, input.conversationId);
      await requireEligibleEvaluator(tx, evaluatorId, current.questionnaire, conversation.agentUsername);
      const created = await createReviews(tx, [
        {
          id: reviewId,
          kind: 'manual',
          questionnaireId: input.questionnaireId,
          questionnaireVersion: current.version.version,
          conversationId: input.conversationId,
          agentUsername: conversation.agentUsername,
          agentGroups: await agentGroupsOf(tx, conversation.agentUsername),
          evaluatorId,
          dueAt: input.dueAt ?? null,
          createdBy: caller.username,
        },
      ]);
      if (created.duplicates.length > 0) {
        throw new Refusal('conflict', 'Already reviewed', `Conversation ${input.conversationId} already has a review with questionnaire ${input.questionnaireId}`);
      }
      if (created.gone.length > 0) throw new Refusal('conflict', 'Conversation deleted', `Conversation ${input.conversationId} was deleted or anonymised`);
      const [review] = await tx.select().from(reviews).where(eq(reviews.id, reviewId));
      return { value: review!, details: { evaluatorId, questionnaireVersion: current.version.version } };
    },
  );
}

/** Evaluators already holding a review of this calibration: it goes to each of them once. */
async function calibrationHolders(executor: Executor, calibrationId: string): Promise<Set<string>> {
  const rows = await executor
    .select({ evaluatorId: reviews.evaluatorId })
    .from(reviews)
    .where(and(eq(reviews.calibrationId, calibrationId), isNotNull(reviews.evaluatorId), ne(reviews.status, 'deleted')));
  return new Set(rows.map((row) => row.evaluatorId!));
}

/** Hands an open review to another eligible evaluator. */
export async function reallocateReview(db: Database, request: ReviewRequest, reviewId: string, input: { evaluatorId: string; reason?: string }): Promise<ReviewRow> {
  const { audit, caller } = request;
  return changeReview(
    db,
    audit,
    reviewId,
    { activity: 'REALLOCATE_EVALUATIONS', description: `Review ${reviewId} reallocated`, details: { evaluatorId: input.evaluatorId, reason: input.reason ?? null } },
    async (tx, review) => {
      requireStatus(review, ['waiting', 'in-progress'], 'reallocated');
      if (review.evaluatorId === input.evaluatorId) throw invalidField('evaluatorId', 'the review is already assigned to this evaluator');
      await requireEligibleEvaluator(tx, input.evaluatorId, await questionnaireOf(tx, review.questionnaireId), review.agentUsername);
      if (review.calibrationId && (await calibrationHolders(tx, review.calibrationId)).has(input.evaluatorId)) {
        throw invalidField('evaluatorId', 'this evaluator already has a review of this calibration');
      }
      const events = [{ step: 'reallocated' as const, actor: caller.username, detail: { from: review.evaluatorId, to: input.evaluatorId, reason: input.reason ?? null } }];
      try {
        return { value: await updateReview(tx, review, { evaluatorId: input.evaluatorId }, events, audit), details: { from: review.evaluatorId } };
      } catch (error) {
        if (isUniqueViolation(error, 'reviews_calibration_evaluator_uq')) throw invalidField('evaluatorId', 'this evaluator already has a review of this calibration');
        throw error;
      }
    },
  );
}

export interface BulkReallocation {
  fromEvaluatorId: string;
  reallocated: { reviewId: string; conversationId: string; evaluatorId: string }[];
  unassigned: { reviewId: string; conversationId: string; reason: string }[];
  /** Reviews this request gave each target (every target of any questionnaire listed, 0 included). */
  assignedPerEvaluator: Record<string, number>;
}

/** The reviews of one batch share who may take them: questionnaire, plan (own-group rule) and calibration. */
const batchKey = (review: ReviewRow) => `${review.questionnaireId}/${review.planId ?? ''}/${review.calibrationId ?? ''}`;

async function excludesOwnGroup(executor: Executor, planId: string | null): Promise<boolean> {
  if (planId === null) return false;
  const [plan] = await executor.select({ excludeOwnGroup: reviewPlans.excludeOwnGroup }).from(reviewPlans).where(eq(reviewPlans.id, planId));
  return plan?.excludeOwnGroup ?? false;
}

/**
 * Every open review of one evaluator (typically one who was disabled), spread over the targets by open
 * workload: the given evaluators, or every enabled evaluator of each review's questionnaire. Each target must
 * be an enabled evaluator; a review nobody eligible may take stays and is reported.
 */
export async function reallocateEvaluatorReviews(db: Database, request: ReviewRequest, input: { fromEvaluatorId: string; toEvaluatorIds?: readonly string[] }): Promise<BulkReallocation> {
  const { audit, caller } = request;
  const { fromEvaluatorId } = input;
  return auditedChange(
    db,
    { ...audit, activity: 'REALLOCATE_EVALUATIONS', description: `Open reviews of evaluator ${fromEvaluatorId} reallocated`, details: { fromEvaluatorId, toEvaluatorIds: input.toEvaluatorIds ?? null } },
    async (tx) => {
      if (!(await findUser(tx, fromEvaluatorId))) throw invalidField('fromEvaluatorId', 'no such user');
      const named = input.toEvaluatorIds ? await namedTargets(tx, input.toEvaluatorIds, fromEvaluatorId) : undefined;
      const open = await tx
        .select()
        .from(reviews)
        .where(and(eq(reviews.evaluatorId, fromEvaluatorId), isOpenReview))
        .orderBy(sql`${reviews.dueAt} asc nulls last`, asc(reviews.id))
        .for('update');

      const result: BulkReallocation = { fromEvaluatorId, reallocated: [], unassigned: [], assignedPerEvaluator: {} };
      const loads = new Map<string, EvaluatorLoad>();
      const batches = new Map<string, ReviewRow[]>();
      for (const review of open) batches.set(batchKey(review), [...(batches.get(batchKey(review)) ?? []), review]);
      for (const batch of batches.values()) {
        const first = batch[0]!;
        const questionnaire = await questionnaireOf(tx, first.questionnaireId);
        const candidates = (named ?? (await questionnaireEvaluators(tx, questionnaire))).filter(
          (user) => user.id !== fromEvaluatorId && evaluatorRefusal(user, questionnaire, null) === null,
        );
        const holders = first.calibrationId ? await calibrationHolders(tx, first.calibrationId) : new Set<string>();
        const fresh = candidates.filter((user) => !loads.has(user.id));
        for (const load of await evaluatorLoads(tx, fresh)) loads.set(load.id, load);
        const evaluators = candidates.filter((user) => !holders.has(user.id)).map((user) => loads.get(user.id)!);
        const plan = assignReviews(
          batch.map((review) => ({ key: review.id, agent: review.agentUsername, agentGroups: review.agentGroups })),
          evaluators,
          { excludeOwnGroup: await excludesOwnGroup(tx, first.planId) },
        );
        const byId = new Map(batch.map((review) => [review.id, review]));
        for (const { key, evaluatorId } of plan.assignments) {
          const review = byId.get(key)!;
          await updateReview(tx, review, { evaluatorId }, [{ step: 'reallocated', actor: caller.username, detail: { from: fromEvaluatorId, to: evaluatorId, reason: 'bulk reallocation' } }], audit);
          result.reallocated.push({ reviewId: key, conversationId: review.conversationId, evaluatorId });
        }
        for (const { key, reason } of plan.unassigned) result.unassigned.push({ reviewId: key, conversationId: byId.get(key)!.conversationId, reason });
        for (const [evaluatorId, given] of Object.entries(plan.assignedPerEvaluator)) {
          result.assignedPerEvaluator[evaluatorId] = (result.assignedPerEvaluator[evaluatorId] ?? 0) + given;
          // Later batches balance against what this request already gave.
          loads.get(evaluatorId)!.openReviews += given;
        }
      }
      return {
        value: result,
        details: { open: open.length, reallocated: result.reallocated.length, unassigned: result.unassigned.length, assignedPerEvaluator: result.assignedPerEvaluator, reviewIds: open.map((review) => review.id) },
      };
    },
  );
}

/** Evaluators named as targets: each must be an enabled evaluator other than the one whose reviews move. */
async function namedTargets(tx: Transaction, ids: readonly string[], fromEvaluatorId: string) {
  const found = new Map((await findUsers(tx, ids)).map((user) => [user.id, user]));
  ids.forEach((id, index) => {
    const user = found.get(id);
    const field = `toEvaluatorIds.${index}`;
    if (id === fromEvaluatorId) throw invalidField(field, 'the reviews are moved away from this evaluator');
    if (!user) throw invalidField(field, 'no such user');
    if (!user.roles.includes('evaluator')) throw invalidField(field, `${user.username} is not an evaluator`);
    if (user.disabledAt !== null) throw invalidField(field, `${user.username} is disabled`);
  });
  return [...found.values()];
}

const REVIEW_PER_QUESTIONNAIRE_UQ = 'reviews_questionnaire_conversation_uq';

/**
 * Replaces the conversation of a waiting review. Both conversations' histories show it: 'replaced-away' on
 * the old one, 'replaced-in' on the new one, and an audit entry on each.
 */
export async function replaceConversation(db: Database, request: ReviewRequest, reviewId: string, input: { conversationId: string; reason?: string }): Promise<ReviewRow> {
  const { audit, caller } = request;
  const reason = input.reason ?? null;
  return changeReview(
    db,
    audit,
    reviewId,
    { activity: 'REPLACE_CALL', description: `Conversation of review ${reviewId} replaced by ${input.conversationId}`, details: { newConversationId: input.conversationId, reason } },
    async (tx, review) => {
      requireStatus(review, ['waiting'], 'given another conversation');
      if (review.kind === 'calibration') throw new Refusal('conflict', 'Calibration review', 'A calibration reviews one conversation; make a new calibration instead');
      if (review.conversationId === input.conversationId) throw invalidField('conversationId', 'the review already has this conversation');
      const conversation = await reviewableConversation(tx, input.conversationId);
      const evaluator = review.evaluatorId === null ? undefined : await findUser(tx, review.evaluatorId);
      if (evaluator && evaluator.username === conversation.agentUsername) throw invalidField('conversationId', `the assigned evaluator ${evaluator.username} is the agent of this conversation`);
      const taken = await tx
        .select({ id: reviews.id })
        .from(reviews)
        .where(and(eq(reviews.questionnaireId, review.questionnaireId), eq(reviews.conversationId, input.conversationId), ne(reviews.kind, 'calibration')));
      const alreadyReviewed = () => new Refusal('conflict', 'Already reviewed', `Conversation ${input.conversationId} already has a review with this questionnaire`);
      if (taken.length > 0) throw alreadyReviewed();
      const previous = review.conversationId;
      const values = { conversationId: input.conversationId, agentUsername: conversation.agentUsername, agentGroups: await agentGroupsOf(tx, conversation.agentUsername) };
      let value: ReviewRow;
      try {
        value = await updateReview(tx, review, values, [], audit);
      } catch (error) {
        if (isUniqueViolation(error, REVIEW_PER_QUESTIONNAIRE_UQ)) throw alreadyReviewed();
        throw error;
      }
      await recordSwap(tx, { review, previous, next: input.conversationId, reason, caller, audit: request.audit });
      return { value, details: { previousConversationId: previous } };
    },
  );
}

async function recordSwap(tx: Transaction, swap: { review: ReviewRow; previous: string; next: string; reason: string | null; caller: ReviewCaller; audit: ReviewRequest['audit'] }): Promise<void> {
  const { review, previous, next, reason, caller } = swap;
  await recordReviewEvents(tx, [
    { reviewId: review.id, conversationId: previous, step: 'replaced-away', actor: caller.username, detail: { newConversationId: next, reason } },
    { reviewId: review.id, conversationId: next, step: 'replaced-in', actor: caller.username, detail: { previousConversationId: previous, reason } },
  ]);
  // The change's own entry is on the old conversation; this one puts the review in the new one's trace.
  await appendAudit(tx, [
    syncEntry({
      ...swap.audit,
      activity: 'REPLACE_CALL',
      result: 'OK',
      description: `Conversation ${next} replaces ${previous} in review ${review.id}`,
      details: { reviewId: review.id, previousConversationId: previous, reason },
      conversationId: next,
    }),
  ]);
}
