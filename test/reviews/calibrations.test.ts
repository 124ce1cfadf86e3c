import { randomUUID } from 'node:crypto';
import { and, eq, inArray } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { calibrations, reviewEvents, reviews } from '../../src/db/schema/index.js';
import type { Answers } from '../../src/domain/questionnaire.js';
import type { Role } from '../../src/domain/roles.js';
import { reviewScope } from '../../src/reviews/review-scope.js';
import { entriesOf, entryShapes } from '../support/audit-entries.js';
import { createHarness, type Harness } from '../support/harness.js';
import type { Identity } from '../support/identities.js';
import { captureConversations, completeReviewDirectly, insertQuestionnaire, insertReview, THREE_QUESTIONS } from '../support/reviews.js';

let harness: Harness;
beforeAll(async () => {
  harness = await createHarness();
});
afterAll(async () => {
  await harness?.close();
});

/** q1 yes, q2 5, q3 yes: 100 %. */
const ALL_YES: Answers = { q1: { value: 'yes' }, q2: { value: 5 }, q3: { value: 'yes' } };
/** q1 no (0), q2 3 (0.5), q3 partial (0.5): s1 25 %, s2 50 %, so 37.5 %. */
const HALF_HEARTED: Answers = { q1: { value: 'no' }, q2: { value: 3 }, q3: { value: 'partial' } };
/** q1 yes, q2 5, q3 partial: s1 100 %, s2 50 %, so 75 %. */
const WEAK_CLOSE: Answers = { q1: { value: 'yes' }, q2: { value: 5 }, q3: { value: 'partial' } };

/** An agent with a captured conversation, three evaluators, a manager and an active questionnaire, all new. */
async function scenario() {
  const suffix = randomUUID().slice(0, 8);
  const desk = `calibration-desk-${suffix}`;
  const agent = await harness.identityFor('agent', { username: `agent-${suffix}`, groupNames: [desk] });
  const manager = await harness.identityFor('cc-manager');
  const evaluators = [
    await harness.identityFor('evaluator', { username: `eva-a-${suffix}` }),
    await harness.identityFor('evaluator', { username: `eva-b-${suffix}` }),
    await harness.identityFor('evaluator', { username: `eva-c-${suffix}` }),
  ];
  const questionnaire = await insertQuestionnaire(harness.db, { name: `Calibration ${suffix}`, definition: THREE_QUESTIONS });
  const [conversationId] = await captureConversations(harness, [agent.username]);
  const send = (evaluatorIds: string[], extra: Record<string, unknown> = {}) =>
    harness.as(manager.token).http('POST', '/v1/calibrations', { conversationId, questionnaireId: questionnaire.id, evaluatorIds, ...extra });
  return { suffix, desk, agent, manager, evaluators, questionnaire, conversationId: conversationId!, send };
}

type Scenario = Awaited<ReturnType<typeof scenario>>;

const viewerOf = (identity: Identity, roles: Role[], supervisedGroups: string[] = []) => ({ userId: identity.userId, username: identity.username, roles, supervisedGroups });

/** The calibration reviews of one calibration, by evaluator. */
async function reviewsByEvaluator(calibrationId: string): Promise<Map<string, string>> {
  const rows = await harness.db.select({ id: reviews.id, evaluatorId: reviews.evaluatorId }).from(reviews).where(eq(reviews.calibrationId, calibrationId));
  return new Map(rows.map((row) => [row.evaluatorId!, row.id]));
}

/** Sends a calibration to the evaluators and completes the reviews of those given answers. */
async function calibrate(s: Scenario, takes: [Identity, Answers | null][]): Promise<string> {
  const sent = await s.send(takes.map(([evaluator]) => evaluator.userId));
  expect(sent.status).toBe(201);
  const byEvaluator = await reviewsByEvaluator(sent.body.calibrationId);
  for (const [evaluator, answers] of takes) if (answers) await completeReviewDirectly(harness.db, byEvaluator.get(evaluator.userId)!, answers);
  return sent.body.calibrationId as string;
}

describe('sending a calibration', () => {
  it('gives each of three evaluators their own calibration review of the current version, kept out of reports, audited', async () => {
    const s = await scenario();
    const dueAt = new Date(Date.now() + 3 * 86_400_000).toISOString();
    const sent = await s.send(s.evaluators.map((evaluator) => evaluator.userId), { dueAt });
    expect(sent.status).toBe(201);
    const { calibrationId } = sent.body;
    expect(sent.body).toMatchObject({ conversationId: s.conversationId, questionnaireId: s.questionnaire.id, questionnaireVersion: 1 });
    expect(sent.body.reviews.map((review: { username: string }) => review.username).sort()).toEqual(s.evaluators.map((evaluator) => evaluator.username).sort());

    const [calibration] = await harness.db.select().from(calibrations).where(eq(calibrations.id, calibrationId));
    expect(calibration).toMatchObject({ conversationId: s.conversationId, questionnaireId: s.questionnaire.id, questionnaireVersion: 1, createdBy: s.manager.username });
    const made = await harness.db.select().from(reviews).where(eq(reviews.calibrationId, calibrationId));
    expect(made).toHaveLength(3);
    for (const review of made) {
      expect(review).toMatchObject({ kind: 'calibration', status: 'waiting', includeInReports: false, questionnaireVersion: 1, agentUsername: s.agent.username, agentGroups: [s.desk] });
      expect(review.dueAt?.toISOString()).toBe(dueAt);
    }
    expect(new Set(made.map((review) => review.evaluatorId))).toEqual(new Set(s.evaluators.map((evaluator) => evaluator.userId)));
    const steps = await harness.db.select({ step: reviewEvents.step }).from(reviewEvents).where(inArray(reviewEvents.reviewId, made.map((review) => review.id)));
    expect(steps.map((row) => row.step).sort()).toEqual(['assigned', 'assigned', 'assigned', 'selected', 'selected', 'selected']);

    expect(await entryShapes(harness.db, sent)).toEqual(['CALIBRATION_CREATE:SYNC:OK']);
    const [entry] = await entriesOf(harness.db, sent);
    expect(entry!.conversationId).toBe(s.conversationId);
    expect(entry!.details).toMatchObject({ calibrationId, evaluatorIds: s.evaluators.map((evaluator) => evaluator.userId) });
    expect((entry!.details as { evaluators: { username: string }[] }).evaluators.map((evaluator) => evaluator.username).sort()).toEqual(
      s.evaluators.map((evaluator) => evaluator.username).sort(),
    );
  });

  it('keeps evaluators blind: each sees only their own calibration review, a supervisor of the agent none', async () => {
    const s = await scenario();
    const calibrationId = await calibrate(s, s.evaluators.map((evaluator) => [evaluator, null]));
    const byEvaluator = await reviewsByEvaluator(calibrationId);
    const listed = async (token: string) => {
      const answer = await harness.as(token).http('GET', `/v1/reviews?conversationId=${s.conversationId}`);
      expect(answer.status).toBe(200);
      return answer.body.items.map((item: { id: string }) => item.id);
    };
    for (const evaluator of s.evaluators) expect(await listed(evaluator.token)).toEqual([byEvaluator.get(evaluator.userId)]);
    const supervisor = await harness.identityFor('supervisor', { supervisedGroups: [s.desk] });
    expect(await listed(supervisor.token)).toEqual([]);
    expect((await listed(s.manager.token)).sort()).toEqual([...byEvaluator.values()].sort());

    // The same through the one scope condition every review listing and route uses.
    const visibleTo = async (viewer: ReturnType<typeof viewerOf>) =>
      (await harness.db.select({ id: reviews.id }).from(reviews).where(and(eq(reviews.calibrationId, calibrationId), reviewScope(viewer)))).map((row) => row.id);
    for (const evaluator of s.evaluators) expect(await visibleTo(viewerOf(evaluator, ['evaluator']))).toEqual([byEvaluator.get(evaluator.userId)]);
    expect(await visibleTo(viewerOf(supervisor, ['supervisor'], [s.desk]))).toEqual([]);
    expect(await visibleTo(viewerOf(s.agent, ['agent']))).toEqual([]);
  });

  it('refuses an evaluator who is the conversation’s agent or no evaluator, naming each, and writes nothing', async () => {
    const s = await scenario();
    const ownAgent = await harness.identityFor(['agent', 'evaluator'], { username: `own-${s.suffix}` });
    const [ownConversation] = await captureConversations(harness, [ownAgent.username]);
    const notEvaluator = await harness.identityFor('supervisor');
    const refused = await harness.as(s.manager.token).http('POST', '/v1/calibrations', {
      conversationId: ownConversation,
      questionnaireId: s.questionnaire.id,
      evaluatorIds: [s.evaluators[0]!.userId, ownAgent.userId, notEvaluator.userId],
    });
    expect(refused.status).toBe(422);
    expect(refused.body.errors.map((error: { field: string }) => error.field)).toEqual(['evaluatorIds.1', 'evaluatorIds.2']);
    expect(refused.body.errors[0].message).toContain('own conversation');
    expect(refused.body.errors[1].message).toContain('evaluator role');
    expect(await harness.db.select().from(calibrations).where(eq(calibrations.conversationId, ownConversation!))).toEqual([]);
    expect(await harness.db.select().from(reviews).where(eq(reviews.conversationId, ownConversation!))).toEqual([]);
    expect(await entryShapes(harness.db, refused)).toEqual(['CALIBRATION_CREATE:SYNC:FAIL']);
  });

  it('refuses a disabled evaluator, one listed twice, fewer than two, a questionnaire not active, and a past due time', async () => {
    const s = await scenario();
    const [first, second] = s.evaluators;
    expect((await harness.http('POST', `/v1/users/${second!.userId}/disable`, { reason: 'left the team' })).status).toBe(200);
    const disabled = await s.send([first!.userId, second!.userId]);
    expect(disabled.status).toBe(422);
    expect(disabled.body.errors).toEqual([expect.objectContaining({ field: 'evaluatorIds.1', message: expect.stringContaining('disabled') })]);

    const twice = await s.send([first!.userId, s.evaluators[2]!.userId, first!.userId]);
    expect(twice.status).toBe(422);
    expect(twice.body.errors.map((error: { field: string }) => error.field)).toEqual(['evaluatorIds.2']);
    expect((await s.send([first!.userId])).body.errors[0].field).toBe('evaluatorIds');

    const draft = await insertQuestionnaire(harness.db, { state: 'draft' });
    const notActive = await harness.as(s.manager.token).http('POST', '/v1/calibrations', { conversationId: s.conversationId, questionnaireId: draft.id, evaluatorIds: [first!.userId, s.evaluators[2]!.userId] });
    expect(notActive.status).toBe(422);
    expect(notActive.body.errors).toEqual([expect.objectContaining({ field: 'questionnaireId', message: expect.stringContaining('draft') })]);

    const past = await s.send([first!.userId, s.evaluators[2]!.userId], { dueAt: new Date(Date.now() - 60_000).toISOString() });
    expect(past.status).toBe(422);
    expect(past.body.errors[0].field).toBe('dueAt');
  });
});

describe('calibration results', () => {
  it('shows after 2 of 3 completed each evaluator’s answers and score and the deviation per question and in total', async () => {
    const s = await scenario();
    const [a, b, c] = s.evaluators as [Identity, Identity, Identity];
    const calibrationId = await calibrate(s, [
      [a, ALL_YES],
      [b, HALF_HEARTED],
      [c, null],
    ]);
    const auditor = await harness.identityFor('auditor');
    const result = await harness.as(auditor.token).http('GET', `/v1/calibrations/${calibrationId}`);
    expect(result.status).toBe(200);
    expect(result.body).toMatchObject({ calibrationId, conversationId: s.conversationId, evaluators: 3, completed: 2, questionnaire: { id: s.questionnaire.id, version: 1 } });

    const take = (evaluator: Identity) => result.body.reviews.find((review: { evaluator: { id: string } }) => review.evaluator.id === evaluator.userId);
    expect(take(a)).toMatchObject({ status: 'completed', answers: ALL_YES, score: { percent: 100 } });
    expect(take(b)).toMatchObject({ status: 'completed', answers: HALF_HEARTED, score: { percent: 37.5, tier: { name: 'fail' } } });
    expect(take(c)).toMatchObject({ status: 'waiting', answers: null, score: null });

    // Total: 100 and 37.5, mean 68.75; each 31.25 points from it; range 62.5. The open review counts in none.
    const total = result.body.total;
    expect({ mean: total.mean, meanAbsoluteDeviation: total.meanAbsoluteDeviation, range: total.range }).toEqual({ mean: 68.75, meanAbsoluteDeviation: 31.25, range: 62.5 });
    const percentOf = (evaluator: Identity) => total.percents.find((entry: { evaluatorId: string }) => entry.evaluatorId === evaluator.userId);
    expect(percentOf(a)).toMatchObject({ percent: 100, deviation: 31.25 });
    expect(percentOf(b)).toMatchObject({ percent: 37.5, deviation: -31.25 });
    expect(percentOf(c)).toMatchObject({ percent: null, deviation: null });

    // q1: fractions 1 and 0, mean 50 %, 50 points off each, range 100; q2: 1 and 0.5 (a 3 on 1-5); q3: 1 and 0.5.
    const question = (id: string) => result.body.questions.find((entry: { questionId: string }) => entry.questionId === id);
    expect(question('q1')).toMatchObject({ mean: 50, meanAbsoluteDeviation: 50, range: 100 });
    expect(question('q2')).toMatchObject({ mean: 75, meanAbsoluteDeviation: 25, range: 50 });
    expect(question('q3')).toMatchObject({ mean: 75, meanAbsoluteDeviation: 25, range: 50 });
    const fractionsOf = (id: string) => Object.fromEntries(question(id).fractions.map((entry: { evaluatorId: string; fraction: number | null }) => [entry.evaluatorId, entry.fraction]));
    expect(fractionsOf('q2')).toEqual({ [a.userId]: 1, [b.userId]: 0.5, [c.userId]: null });

    expect(await entryShapes(harness.db, result)).toEqual(['EVALUATION_REPORT:SYNC:OK']);
    const [entry] = await entriesOf(harness.db, result);
    expect(entry!.conversationId).toBe(s.conversationId);
    expect(entry!.details).toMatchObject({ report: 'calibration', calibrationId, completed: 2, evaluators: 3 });

    const missing = await harness.as(auditor.token).http('GET', `/v1/calibrations/${randomUUID()}`);
    expect(missing.status).toBe(404);
    expect(await entryShapes(harness.db, missing)).toEqual(['EVALUATION_REPORT:SYNC:FAIL']);
  });

  it('never counts calibration reviews in review reports, even one marked to be included', async () => {
    const s = await scenario();
    const calibrationId = await calibrate(s, [
      [s.evaluators[0]!, ALL_YES],
      [s.evaluators[1]!, HALF_HEARTED],
    ]);
    await harness.db.update(reviews).set({ includeInReports: true }).where(eq(reviews.calibrationId, calibrationId));
    // A plan review of the same agent and questionnaire shows the report would count what it may.
    const [planned] = await captureConversations(harness, [s.agent.username]);
    await insertReview(harness.db, { questionnaireId: s.questionnaire.id, conversationId: planned!, agentUsername: s.agent.username, agentGroups: [s.desk], percent: 90, tierName: 'exceeds', completedAt: new Date() });

    const range = `from=${encodeURIComponent(new Date(Date.now() - 3_600_000).toISOString())}&to=${encodeURIComponent(new Date(Date.now() + 3_600_000).toISOString())}`;
    for (const groupBy of ['agent', 'evaluator', 'questionnaire']) {
      const report = await harness.as(s.manager.token).http('GET', `/v1/review-reports?groupBy=${groupBy}&questionnaireId=${s.questionnaire.id}&${range}`);
      expect(report.status).toBe(200);
      expect(report.body.rows.map((row: { reviews: number; averagePercent: number }) => [row.reviews, row.averagePercent]), groupBy).toEqual([[1, 90]]);
    }
  });

  it('reports each evaluator’s alignment: mean absolute deviation from each calibration’s mean', async () => {
    const from = new Date(Date.now() - 60_000).toISOString();
    const s = await scenario();
    const [a, b, c] = s.evaluators as [Identity, Identity, Identity];
    // First: a 100, b 37.5 (mean 68.75), c open. Second: a 100, b 75, c 100 (mean 91.67).
    await calibrate(s, [
      [a, ALL_YES],
      [b, HALF_HEARTED],
      [c, null],
    ]);
    await calibrate(s, [
      [a, ALL_YES],
      [b, WEAK_CLOSE],
      [c, ALL_YES],
    ]);
    const to = new Date(Date.now() + 60_000).toISOString();
    const report = await harness.as(s.manager.token).http('GET', `/v1/review-reports/calibration?from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`);
    expect(report.status).toBe(200);
    const rowOf = (evaluator: Identity) => report.body.evaluators.find((row: { evaluator: { id: string } }) => row.evaluator.id === evaluator.userId);
    // a: (31.25 + 8.33) / 2; b: (31.25 + 16.67) / 2; c: only the second, 8.33.
    expect(rowOf(a)).toMatchObject({ calibrations: 2, completed: 2, compared: 2, meanAbsoluteDeviation: 19.79, maxDeviation: 31.25 });
    expect(rowOf(b)).toMatchObject({ calibrations: 2, completed: 2, compared: 2, meanAbsoluteDeviation: 23.96, maxDeviation: 31.25 });
    expect(rowOf(c)).toMatchObject({ calibrations: 2, completed: 1, compared: 1, meanAbsoluteDeviation: 8.33, maxDeviation: 8.33 });
    expect(await entryShapes(harness.db, report)).toEqual(['EVALUATION_REPORT:SYNC:OK']);
  });
});
