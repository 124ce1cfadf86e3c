import { randomUUID } from 'node:crypto';
import { eq, sql } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { reviews } from '../../src/db/schema/index.js';
import { createReviews } from '../../src/reviews/review-creation.js';
import { entriesOf } from '../support/audit-entries.js';
import { createHarness, type HttpAnswer } from '../support/harness.js';
import type { Identity } from '../support/identities.js';
import { uniqueId } from '../support/lifecycle.js';
import { captureConversation, insertPlan, insertQuestionnaire, revealedReview } from '../support/reviews.js';

const harness = await createHarness();
afterAll(async () => {
  await harness?.close();
});

/** Q1 yes, q2 no, q3 N/A, q4 1: compliance 50 %, courtesy 0 %: 0.6 × 50 = 30 % ("fail"). */
const FAILING_ANSWERS = { q1: { value: 'yes' }, q2: { value: 'no' }, q3: { na: true }, q4: { value: 1 } };

async function people(questionnaire?: { disputeWindowDays?: number }) {
  const evaluatorGroup = uniqueId('evaluators');
  return {
    agent: await harness.identityFor('agent', { groupNames: [uniqueId('desk')] }),
    evaluator: await harness.identityFor('evaluator', { groupNames: [evaluatorGroup] }),
    manager: await harness.identityFor('cc-manager'),
    questionnaire: await insertQuestionnaire(harness.db, { evaluatorGroups: [evaluatorGroup], ...questionnaire }),
  };
}
type People = Awaited<ReturnType<typeof people>>;

const as = (identity: Identity) => harness.as(identity.token);
const fields = (answer: HttpAnswer) => ((answer.body.errors ?? []) as { field: string }[]).map((error) => error.field);
const reveal = (p: People, answers = FAILING_ANSWERS) => revealedReview(harness, p, { questionnaireId: p.questionnaire.id, answers });

async function auditedOn(answer: HttpAnswer, activity: string, conversationId: string, reviewId: string) {
  const entry = (await entriesOf(harness.db, answer)).find((candidate) => candidate.activity === activity);
  expect(entry, activity).toBeDefined();
  expect(entry).toMatchObject({ result: 'OK', conversationId, details: expect.objectContaining({ reviewId }) });
}

async function steps(reviewId: string): Promise<string[]> {
  const history = await harness.http('GET', `/v1/reviews/${reviewId}/history`);
  return history.body.items.map((item: { step: string }) => item.step);
}

/** A completed, revealed review made by a plan, as a plan run would have made it. */
async function planReview(p: People, planId: string) {
  const conversationId = await captureConversation(harness, p.agent.username);
  const id = randomUUID();
  await harness.db.transaction((tx) =>
    createReviews(tx, [
      { id, kind: 'plan', planId, questionnaireId: p.questionnaire.id, questionnaireVersion: 1, conversationId, agentUsername: p.agent.username, agentGroups: [], evaluatorId: p.evaluator.userId, dueAt: null, createdBy: 'plan-run' },
    ]),
  );
  expect((await as(p.evaluator).http('POST', `/v1/reviews/${id}/complete`, { answers: FAILING_ANSWERS })).status).toBe(200);
  expect((await as(p.manager).http('PUT', `/v1/reviews/${id}/reveal`, { revealed: true })).status).toBe(200);
  return { id, conversationId };
}

describe('acknowledgement', () => {
  it('is given once by the review’s own agent, and then the review can no longer be disputed', async () => {
    const p = await people();
    const review = await reveal(p);

    expect((await as(await harness.identityFor('agent')).http('POST', `/v1/reviews/${review.id}/acknowledgement`, {})).status).toBe(404);
    const overseer = await harness.identityFor(['agent', 'compliance-analyst']);
    const notYours = await as(overseer).http('POST', `/v1/reviews/${review.id}/acknowledgement`, {});
    expect(notYours.status).toBe(403);
    expect(notYours.body.title).toBe('Not your review');

    const acknowledged = await as(p.agent).http('POST', `/v1/reviews/${review.id}/acknowledgement`, { comment: 'Fair enough' });
    expect(acknowledged.status, JSON.stringify(acknowledged.body)).toBe(200);
    expect(acknowledged.body.acknowledgedAt).not.toBeNull();
    await auditedOn(acknowledged, 'REVIEW_ACKNOWLEDGE', review.conversation.id, review.id);

    expect((await as(p.agent).http('POST', `/v1/reviews/${review.id}/acknowledgement`, {})).status).toBe(409);
    const late = await as(p.agent).http('POST', `/v1/reviews/${review.id}/disputes`, { comment: 'On second thought' });
    expect(late.status).toBe(409);
    expect(late.body.title).toBe('Already acknowledged');
  });
});

describe('a dispute', () => {
  it('needs a comment and answers that fit the version, and is one at a time', async () => {
    const p = await people();
    const review = await reveal(p);

    const noComment = await as(p.agent).http('POST', `/v1/reviews/${review.id}/disputes`, { suggestedAnswers: { q2: { value: 'yes' } } });
    expect(noComment.status).toBe(422);
    expect(fields(noComment)).toEqual(['comment']);
    const blank = await as(p.agent).http('POST', `/v1/reviews/${review.id}/disputes`, { comment: '   ' });
    expect(fields(blank)).toEqual(['comment']);
    const unknownQuestion = await as(p.agent).http('POST', `/v1/reviews/${review.id}/disputes`, { comment: 'q7 was fine', suggestedAnswers: { q7: { value: 'yes' }, q4: { value: 9 } } });
    expect(unknownQuestion.status).toBe(422);
    expect(fields(unknownQuestion).sort()).toEqual(['suggestedAnswers.q4', 'suggestedAnswers.q7']);

    const disputed = await as(p.agent).http('POST', `/v1/reviews/${review.id}/disputes`, { comment: 'I did check suitability', suggestedAnswers: { q2: { value: 'yes' } } });
    expect(disputed.status, JSON.stringify(disputed.body)).toBe(201);
    expect(disputed.body).toMatchObject({ openedBy: p.agent.username, comment: 'I did check suitability', suggestedAnswers: { q2: { value: 'yes' } }, resolution: null });
    await auditedOn(disputed, 'REVIEW_DISPUTE', review.conversation.id, review.id);

    const second = await as(p.agent).http('POST', `/v1/reviews/${review.id}/disputes`, { comment: 'And another thing' });
    expect(second.status).toBe(409);
    expect((await as(p.agent).http('POST', `/v1/reviews/${review.id}/acknowledgement`, {})).status).toBe(409);
    const read = await as(p.agent).http('GET', `/v1/reviews/${review.id}`);
    expect(read.body.disputes).toHaveLength(1);
    expect(read.body.disputes[0]).toMatchObject({ id: disputed.body.id, resolution: null });
    expect((await steps(review.id)).at(-1)).toBe('disputed');
  });

  it('partially accepted: the answers change and the score is recomputed from them', async () => {
    const p = await people();
    const review = await reveal(p);
    expect(review).toMatchObject({ scorePercent: 30, tier: { name: 'fail' } });
    const disputed = await as(p.agent).http('POST', `/v1/reviews/${review.id}/disputes`, { comment: 'Suitability and tone were fine', suggestedAnswers: { q2: { value: 'yes' }, q4: { value: 5 } } });
    const resolution = `/v1/reviews/${review.id}/disputes/${disputed.body.id}/resolution`;

    const withoutAnswers = await as(p.manager).http('POST', resolution, { resolution: 'partially-accepted', comment: 'Partly right' });
    expect(withoutAnswers.status).toBe(422);
    expect(fields(withoutAnswers)).toEqual(['answers']);

    const resolved = await as(p.manager).http('POST', resolution, { resolution: 'partially-accepted', comment: 'Suitability yes; tone average', answers: { q2: { value: 'yes' }, q4: { value: 3 } } });
    expect(resolved.status, JSON.stringify(resolved.body)).toBe(200);
    // Compliance 100 %, courtesy 50 %: 0.6 × 100 + 0.4 × 50 = 80 %.
    expect(resolved.body.review).toMatchObject({ scorePercent: 80, tier: { name: 'meets', needsTraining: false }, needsTraining: false, answers: { q2: { value: 'yes' }, q4: { value: 3 } } });
    expect(resolved.body.review.score.percent).toBe(80);
    expect(resolved.body.dispute).toMatchObject({ resolution: 'partially-accepted', resolvedBy: p.manager.username, scoreBefore: 30, scoreAfter: 80 });
    await auditedOn(resolved, 'REVIEW_DISPUTE_RESOLVE', review.conversation.id, review.id);
    expect((await steps(review.id)).slice(-2)).toEqual(['disputed', 'dispute-partially-accepted']);

    expect((await as(p.manager).http('POST', resolution, { resolution: 'rejected', comment: 'twice' })).status).toBe(409);
    const [row] = await harness.db.select({ scorePercent: reviews.scorePercent, tierName: reviews.tierName }).from(reviews).where(eq(reviews.id, review.id));
    expect(row).toEqual({ scorePercent: 80, tierName: 'meets' });
  });

  it('rejected: the scores are frozen, so the review can be neither reopened nor disputed again', async () => {
    const p = await people();
    const review = await reveal(p);
    const disputed = await as(p.agent).http('POST', `/v1/reviews/${review.id}/disputes`, { comment: 'Unfair' });
    const rejected = await as(p.manager).http('POST', `/v1/reviews/${review.id}/disputes/${disputed.body.id}/resolution`, { resolution: 'rejected', comment: 'The recording is clear' });
    expect(rejected.status, JSON.stringify(rejected.body)).toBe(200);
    expect(rejected.body.review).toMatchObject({ scoresFrozen: true, scorePercent: 30 });
    expect(rejected.body.dispute).toMatchObject({ resolution: 'rejected', scoreBefore: 30, scoreAfter: 30 });

    const reopened = await as(p.manager).http('POST', `/v1/reviews/${review.id}/reopen`, { reason: 'try again' });
    expect(reopened.status).toBe(409);
    expect(reopened.body.title).toBe('Scores frozen');
    const again = await as(p.agent).http('POST', `/v1/reviews/${review.id}/disputes`, { comment: 'Still unfair' });
    expect(again.status).toBe(409);
    expect(again.body.title).toBe('Scores frozen');
  });

  it('is refused once the questionnaire’s window after the reveal has closed', async () => {
    const p = await people({ disputeWindowDays: 1 });
    const review = await reveal(p);
    await harness.db.update(reviews).set({ revealedAt: sql`now() - interval '2 days'` }).where(eq(reviews.id, review.id));

    const disputed = await as(p.agent).http('POST', `/v1/reviews/${review.id}/disputes`, { comment: 'Unfair' });
    expect(disputed.status).toBe(409);
    expect(disputed.body.title).toBe('Window closed');
    const acknowledged = await as(p.agent).http('POST', `/v1/reviews/${review.id}/acknowledgement`, {});
    expect(acknowledged.status).toBe(409);
    expect(acknowledged.body.title).toBe('Window closed');
  });
});

describe('who decides a dispute', () => {
  it("is the plan's owner, or its arbitrator when it names one; accepting applies the agent's suggested answers", async () => {
    const p = await people();
    const owner = await harness.identityFor('cc-manager');
    const arbitrator = await harness.identityFor('compliance-analyst');

    const ownedPlan = await insertPlan(harness, { questionnaireId: p.questionnaire.id, ownerId: owner.userId });
    const owned = await planReview(p, ownedPlan);
    const dispute = await as(p.agent).http('POST', `/v1/reviews/${owned.id}/disputes`, { comment: 'All fine', suggestedAnswers: { q2: { value: 'yes' }, q4: { value: 5 } } });
    expect(dispute.status, JSON.stringify(dispute.body)).toBe(201);
    const ownedResolution = `/v1/reviews/${owned.id}/disputes/${dispute.body.id}/resolution`;
    const byOther = await as(p.manager).http('POST', ownedResolution, { resolution: 'accepted', comment: 'ok' });
    expect(byOther.status).toBe(403);
    expect(byOther.body.title).toBe('Not your dispute');
    const accepted = await as(owner).http('POST', ownedResolution, { resolution: 'accepted', comment: 'Agreed' });
    expect(accepted.status, JSON.stringify(accepted.body)).toBe(200);
    expect(accepted.body.review).toMatchObject({ scorePercent: 100, tier: { name: 'exceeds' }, answers: { q2: { value: 'yes' }, q4: { value: 5 } } });
    expect(accepted.body.dispute).toMatchObject({ resolution: 'accepted', scoreBefore: 30, scoreAfter: 100 });

    const arbitratedPlan = await insertPlan(harness, { questionnaireId: p.questionnaire.id, ownerId: owner.userId, arbitratorId: arbitrator.userId });
    const arbitrated = await planReview(p, arbitratedPlan);
    const second = await as(p.agent).http('POST', `/v1/reviews/${arbitrated.id}/disputes`, { comment: 'Unfair' });
    const arbitratedResolution = `/v1/reviews/${arbitrated.id}/disputes/${second.body.id}/resolution`;
    expect((await as(owner).http('POST', arbitratedResolution, { resolution: 'rejected', comment: 'no' })).status).toBe(403);
    const decided = await as(arbitrator).http('POST', arbitratedResolution, { resolution: 'rejected', comment: 'No' });
    expect(decided.status, JSON.stringify(decided.body)).toBe(200);
    await auditedOn(decided, 'REVIEW_DISPUTE_RESOLVE', arbitrated.conversationId, arbitrated.id);
    expect((await steps(arbitrated.id)).at(-1)).toBe('dispute-rejected');
  });
});
