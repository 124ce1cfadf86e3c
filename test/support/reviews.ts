import { randomUUID } from 'node:crypto';
import { eq, sql } from 'drizzle-orm';
import { expect } from 'vitest';
import type { Database } from '../../src/db/client.js';
import { questionnaireVersions, questionnaires, reviewDisputes, reviewPlans, reviews } from '../../src/db/schema/index.js';
import { questionnaireDefinitionSchema, scoringTiersSchema, type Answers, type QuestionnaireDefinition } from '../../src/domain/questionnaire.js';
import { scoreReview, type ReviewScore } from '../../src/domain/review-score.js';
import { loadQuestionnaireVersion } from '../../src/reviews/questionnaire-versions.js';
import { contactRecord } from './contact-records.js';
import type { Harness } from './harness.js';
import type { Identity } from './identities.js';
import { uniqueId } from './lifecycle.js';

/**
 * Questionnaires, conversations and reviews made quickly for review tests. Questionnaires and plans are
 * written straight into the database (their own API is tested elsewhere); conversations are captured
 * through POST /v1/contact-records like real ones; reviews are made through POST /v1/reviews.
 */

/**
 * Compliance (weight 60): q1 yes-no, critical fail-all; q2 yes-partial-no; q3 yes-no, N/A allowed.
 * Courtesy (weight 40): q4 scale 1-5; q5 free text, optional. N/A answers are skipped.
 */
export const SAMPLE_DEFINITION = {
  scoring: 'percentage',
  naMethod: 'skip',
  sections: [
    {
      id: 'compliance',
      title: 'Compliance',
      weight: 60,
      questions: [
        { id: 'q1', text: 'Disclosed the recording?', type: 'yes-no', critical: 'fail-all' },
        { id: 'q2', text: 'Checked suitability?', type: 'yes-partial-no' },
        { id: 'q3', text: 'Explained costs of the product?', type: 'yes-no', allowNa: true },
      ],
    },
    {
      id: 'courtesy',
      title: 'Courtesy',
      weight: 40,
      questions: [
        { id: 'q4', text: 'Tone', type: 'scale-1-5' },
        { id: 'q5', text: 'Notes', type: 'free-text', required: false },
      ],
    },
  ],
} as const;

export const SAMPLE_TIERS = [
  { name: 'fail', from: 0, to: 50, needsTraining: true },
  { name: 'needs coaching', from: 50, to: 75, needsTraining: true },
  { name: 'meets', from: 75, to: 90 },
  { name: 'exceeds', from: 90, to: 100 },
];

export interface TestQuestionnaire {
  id: string;
  name: string;
  version: number;
}

/** A questionnaire and its version 1, written straight into the tables (their own API is tested in questionnaires.test.ts). */
export async function insertQuestionnaire(
  db: Database,
  options: { name?: string; evaluatorGroups?: string[]; disputeWindowDays?: number; state?: 'draft' | 'active' | 'inactive'; definition?: unknown; tiers?: unknown } = {},
): Promise<TestQuestionnaire> {
  const id = randomUUID();
  const name = options.name ?? `Quality ${id.slice(0, 8)}`;
  await db.insert(questionnaires).values({
    id,
    name,
    state: options.state ?? 'active',
    evaluatorGroups: options.evaluatorGroups ?? [],
    disputeWindowDays: options.disputeWindowDays ?? 14,
    createdBy: 'review-tests',
  });
  await db.insert(questionnaireVersions).values({
    questionnaireId: id,
    version: 1,
    definition: questionnaireDefinitionSchema.parse(options.definition ?? SAMPLE_DEFINITION),
    tiers: scoringTiersSchema.parse(options.tiers ?? SAMPLE_TIERS),
    createdBy: 'review-tests',
  });
  return { id, name, version: 1 };
}

/** A review plan row (its owner decides disputes unless an arbitrator is named). */
export async function insertPlan(harness: Harness, options: { questionnaireId: string; ownerId: string; arbitratorId?: string; evaluatorGroup?: string }): Promise<string> {
  const id = randomUUID();
  await harness.db.insert(reviewPlans).values({
    id,
    name: `Plan ${id.slice(0, 8)}`,
    questionnaireId: options.questionnaireId,
    period: 'weekly',
    mode: 'per-agent',
    targetPerAgent: 1,
    evaluatorGroup: options.evaluatorGroup ?? 'review-tests',
    dueAfterSeconds: 86_400,
    ownerId: options.ownerId,
    arbitratorId: options.arbitratorId ?? null,
    // Never scheduled: the tests make its reviews themselves.
    enabled: false,
  });
  return id;
}

/** Captures one conversation of this agent; answers its id. */
export async function captureConversation(harness: Harness, agentUsername: string): Promise<string> {
  const captured = await harness.http('POST', '/v1/contact-records', contactRecord({ Agent: { Username: agentUsername } }));
  expect(captured.status, JSON.stringify(captured.body)).toBeLessThan(300);
  const conversationId = captured.body.results[0].conversationId as string | null;
  expect(conversationId, JSON.stringify(captured.body)).toBeTruthy();
  return conversationId!;
}

/** POST /v1/reviews as `as` (a quality manager, supervisor or evaluator); expects it to be made. */
export async function createReview(
  harness: Harness,
  as: Identity,
  body: { conversationId: string; questionnaireId: string; evaluatorId?: string; dueAt?: string },
): Promise<any> {
  const created = await harness.as(as.token).http('POST', '/v1/reviews', body);
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  return created.body;
}

/** Answers for SAMPLE_DEFINITION: q1 yes, q2 partial, q3 N/A, q4 3 score 0.6 × 75 + 0.4 × 50 = 65 % ("needs coaching"). */
export const NEEDS_COACHING_ANSWERS = {
  q1: { value: 'yes' },
  q2: { value: 'partial' },
  q3: { na: true },
  q4: { value: 3 },
};

/** A completed, revealed review of `agent`'s conversation, made by a quality manager and scored by `evaluator`. */
export async function revealedReview(
  harness: Harness,
  people: { manager: Identity; evaluator: Identity; agent: Identity },
  options: { questionnaireId: string; answers?: Record<string, unknown> },
): Promise<any> {
  const conversationId = await captureConversation(harness, people.agent.username);
  const review = await createReview(harness, people.manager, { conversationId, questionnaireId: options.questionnaireId, evaluatorId: people.evaluator.userId });
  const completed = await harness.as(people.evaluator.token).http('POST', `/v1/reviews/${review.id}/complete`, { answers: options.answers ?? NEEDS_COACHING_ANSWERS });
  expect(completed.status, JSON.stringify(completed.body)).toBe(200);
  const revealed = await harness.as(people.manager.token).http('PUT', `/v1/reviews/${review.id}/reveal`, { revealed: true });
  expect(revealed.status, JSON.stringify(revealed.body)).toBe(200);
  return revealed.body;
}

/** A small valid questionnaire: one section, two yes/no questions, tiers fail / meets. */
export const SIMPLE_QUESTIONNAIRE = {
  definition: {
    scoring: 'percentage',
    naMethod: 'skip',
    sections: [
      {
        id: 'conduct',
        title: 'Conduct',
        weight: 100,
        questions: [
          { id: 'greeting', text: 'Did the agent identify themselves and the firm?', type: 'yes-no' },
          { id: 'suitability', text: 'Was suitability checked before advice?', type: 'yes-no' },
        ],
      },
    ],
  },
  tiers: [
    { name: 'fail', from: 0, to: 50, needsTraining: true },
    { name: 'meets', from: 50, to: 100 },
  ],
};

/** Creates an active questionnaire through the API as this manager; `overrides` replace top-level fields. */
export async function activeQuestionnaire(harness: Harness, manager: Identity, overrides: Record<string, unknown> = {}): Promise<string> {
  const answer = await harness.as(manager.token).http('POST', '/v1/questionnaires', { name: uniqueId('questionnaire'), ...SIMPLE_QUESTIONNAIRE, state: 'active', ...overrides });
  expect(answer.status, JSON.stringify(answer.body)).toBe(201);
  return answer.body.id as string;
}

/**
 * Review rows written straight into the tables, for tests of what reads reviews (calibrations, reports)
 * without depending on the review routes.
 */

/** Two equal sections: q1 yes/no and q2 a 1-5 scale in s1, q3 yes/partial/no in s2; percentage scoring, N/A skipped. */
export const THREE_QUESTIONS: QuestionnaireDefinition = questionnaireDefinitionSchema.parse({
  scoring: 'percentage',
  naMethod: 'skip',
  sections: [
    {
      id: 's1',
      title: 'Opening',
      weight: 50,
      questions: [
        { id: 'q1', text: 'Greeted the customer by name', type: 'yes-no' },
        { id: 'q2', text: 'Explained the product risks', type: 'scale-1-5' },
      ],
    },
    { id: 's2', title: 'Closing', weight: 50, questions: [{ id: 'q3', text: 'Confirmed the order back', type: 'yes-partial-no' }] },
  ],
});

/** Captures one conversation per agent username (in one batch) and returns their ids in order. */
export async function captureConversations(harness: Harness, agentUsernames: readonly string[]): Promise<string[]> {
  const answer = await harness.http('POST', '/v1/contact-records', agentUsernames.map((username) => contactRecord({ Agent: { Username: username } })));
  expect(answer.status).toBe(200);
  const results = answer.body.results as { status: string; conversationId: string }[];
  expect(results.map((result) => result.status)).toEqual(agentUsernames.map(() => 'created'));
  return results.map((result) => result.conversationId);
}

export interface CompletedReviewFixture {
  questionnaireId: string;
  conversationId: string;
  agentUsername: string;
  agentGroups: string[];
  evaluatorId?: string | null;
  percent: number | null;
  tierName?: string | null;
  needsTraining?: boolean;
  failed?: boolean;
  completedAt: Date;
  kind?: 'plan' | 'manual' | 'calibration';
  status?: 'waiting' | 'in-progress' | 'completed' | 'deleted';
  includeInReports?: boolean;
  planId?: string | null;
}

/** A review row as the review routes leave it once completed (or in another status, to prove it is left out). */
export async function insertReview(db: Database, fixture: CompletedReviewFixture): Promise<string> {
  const id = randomUUID();
  const status = fixture.status ?? 'completed';
  await db.insert(reviews).values({
    id,
    kind: fixture.kind ?? 'plan',
    questionnaireId: fixture.questionnaireId,
    questionnaireVersion: 1,
    conversationId: fixture.conversationId,
    planId: fixture.planId ?? null,
    agentUsername: fixture.agentUsername,
    agentGroups: fixture.agentGroups,
    evaluatorId: fixture.evaluatorId ?? null,
    status,
    scorePercent: fixture.percent,
    tierName: fixture.tierName ?? null,
    needsTraining: fixture.needsTraining ?? false,
    failed: fixture.failed ?? false,
    includeInReports: fixture.includeInReports ?? true,
    createdBy: 'test-fixture',
    completedAt: status === 'completed' || status === 'deleted' ? fixture.completedAt : null,
    deletedAt: status === 'deleted' ? fixture.completedAt : null,
    deleteReason: status === 'deleted' ? 'test fixture' : null,
  });
  return id;
}

/** Completes a review as POST /v1/reviews/{id}/complete would: the score computed from the answers and its version. */
export async function completeReviewDirectly(db: Database, reviewId: string, answers: Answers): Promise<ReviewScore> {
  const [review] = await db.select().from(reviews).where(eq(reviews.id, reviewId));
  if (!review) throw new Error(`no review ${reviewId}`);
  const version = await loadQuestionnaireVersion(db, review.questionnaireId, review.questionnaireVersion);
  if (!version) throw new Error(`no version ${review.questionnaireVersion} of ${review.questionnaireId}`);
  const score = scoreReview(version.definition, version.tiers, answers);
  await db
    .update(reviews)
    .set({
      status: 'completed',
      answers,
      score,
      scorePercent: score.percent,
      tierName: score.tier?.name ?? null,
      needsTraining: score.tier?.needsTraining ?? false,
      failed: score.failed,
      completedAt: new Date(),
      completedBy: review.evaluatorId,
    })
    .where(eq(reviews.id, reviewId));
  return score;
}

/**
 * A dispute of a review; resolved when `resolution` is given, open otherwise. The review's dispute tallies
 * move with it in one transaction, as review-disputes.ts moves them (reports count from the tallies).
 */
export async function insertDispute(db: Database, reviewId: string, openedBy: string, resolution: 'accepted' | 'partially-accepted' | 'rejected' | null): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.insert(reviewDisputes).values({
      id: randomUUID(),
      reviewId,
      openedBy,
      comment: 'I disagree with this score',
      resolution,
      resolvedBy: resolution ? 'test-fixture' : null,
      resolvedAt: resolution ? new Date() : null,
    });
    await tx
      .update(reviews)
      .set({
        disputesOpened: sql`${reviews.disputesOpened} + 1`,
        ...(resolution === 'accepted' ? { disputesAccepted: sql`${reviews.disputesAccepted} + 1` } : {}),
        ...(resolution === 'partially-accepted' ? { disputesPartiallyAccepted: sql`${reviews.disputesPartiallyAccepted} + 1` } : {}),
        ...(resolution === 'rejected' ? { disputesRejected: sql`${reviews.disputesRejected} + 1` } : {}),
      })
      .where(eq(reviews.id, reviewId));
  });
}
