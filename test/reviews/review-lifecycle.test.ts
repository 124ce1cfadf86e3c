import { and, eq } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { auditLog, conversations, reviews } from '../../src/db/schema/index.js';
import { entriesOf } from '../support/audit-entries.js';
import { createHarness, type HttpAnswer } from '../support/harness.js';
import type { Identity } from '../support/identities.js';
import { uniqueId } from '../support/lifecycle.js';
import { NEEDS_COACHING_ANSWERS, captureConversation, createReview, insertQuestionnaire } from '../support/reviews.js';

const harness = await createHarness();
afterAll(async () => {
  await harness?.close();
});

/** A desk of agents with its supervisor, evaluators of one group, a quality manager, and a questionnaire for that group. */
async function team(options: { evaluators?: number } = {}) {
  const desk = uniqueId('desk');
  const evaluatorGroup = uniqueId('evaluators');
  const agent = await harness.identityFor('agent', { groupNames: [desk] });
  const evaluators: Identity[] = [];
  for (let i = 0; i < (options.evaluators ?? 2); i++) evaluators.push(await harness.identityFor('evaluator', { groupNames: [evaluatorGroup] }));
  const manager = await harness.identityFor('cc-manager');
  const supervisor = await harness.identityFor('supervisor', { supervisedGroups: [desk] });
  const questionnaire = await insertQuestionnaire(harness.db, { evaluatorGroups: [evaluatorGroup] });
  return { desk, evaluatorGroup, agent, evaluator: evaluators[0]!, otherEvaluator: evaluators[1]!, evaluators, manager, supervisor, questionnaire };
}
type Team = Awaited<ReturnType<typeof team>>;

async function newReview(t: Team, overrides: { evaluator?: Identity; agent?: Identity; dueAt?: string } = {}) {
  const conversationId = await captureConversation(harness, (overrides.agent ?? t.agent).username);
  return createReview(harness, t.manager, { conversationId, questionnaireId: t.questionnaire.id, evaluatorId: (overrides.evaluator ?? t.evaluator).userId, dueAt: overrides.dueAt });
}

const as = (identity: Identity) => harness.as(identity.token);
const fields = (answer: HttpAnswer) => ((answer.body.errors ?? []) as { field: string }[]).map((error) => error.field);

/** The one audit entry a request wrote for its change, with its activity, conversation and review. */
async function expectAudited(answer: HttpAnswer, activity: string, conversationId: string | null, reviewId?: string) {
  const entries = await entriesOf(harness.db, answer);
  const entry = entries.find((candidate) => candidate.activity === activity && candidate.conversationId === conversationId);
  expect(entry, `${activity} on ${conversationId} among ${entries.map((e) => `${e.activity}/${e.conversationId}/${e.result}`).join(', ')}`).toBeDefined();
  expect(entry!.result).toBe('OK');
  if (reviewId) expect(entry!.details).toMatchObject({ reviewId });
  return entry!;
}

async function steps(reviewId: string, actor: Identity = harness.admin) {
  const history = await as(actor).http('GET', `/v1/reviews/${reviewId}/history`);
  expect(history.status, JSON.stringify(history.body)).toBe(200);
  return (history.body.items as { step: string; conversationId: string }[]).map((item) => item.step);
}

describe('a manual review from creation to completion', () => {
  it('is added, started, drafted, completed with the server-computed score and tier, and revealed to its agent', async () => {
    const t = await team();
    const conversationId = await captureConversation(harness, t.agent.username);

    const withoutEvaluator = await as(t.manager).http('POST', '/v1/reviews', { conversationId, questionnaireId: t.questionnaire.id });
    expect(withoutEvaluator.status).toBe(422);
    expect(fields(withoutEvaluator)).toEqual(['evaluatorId']);
    const notAnEvaluator = await as(t.manager).http('POST', '/v1/reviews', { conversationId, questionnaireId: t.questionnaire.id, evaluatorId: t.agent.userId });
    expect(notAnEvaluator.status).toBe(422);
    expect(notAnEvaluator.body.errors[0]).toMatchObject({ field: 'evaluatorId', message: expect.stringContaining('not an evaluator') });
    const outsideGroup = await harness.identityFor('evaluator', { groupNames: [uniqueId('elsewhere')] });
    const refusedGroup = await as(t.manager).http('POST', '/v1/reviews', { conversationId, questionnaireId: t.questionnaire.id, evaluatorId: outsideGroup.userId });
    expect(refusedGroup.status).toBe(422);
    expect(refusedGroup.body.errors[0].message).toContain("evaluator groups");

    const created = await as(t.manager).http('POST', '/v1/reviews', { conversationId, questionnaireId: t.questionnaire.id, evaluatorId: t.evaluator.userId });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const reviewId: string = created.body.id;
    expect(created.body).toMatchObject({
      kind: 'manual',
      status: 'waiting',
      questionnaire: { id: t.questionnaire.id, version: 1, name: t.questionnaire.name },
      conversation: { id: conversationId, deleted: false, deletedAt: null },
      agent: { username: t.agent.username, groups: [t.desk] },
      evaluator: { id: t.evaluator.userId, username: t.evaluator.username },
      score: null,
      overdue: false,
    });
    await expectAudited(created, 'ADD_PARTICULAR_CALL', conversationId, reviewId);

    const again = await as(t.manager).http('POST', '/v1/reviews', { conversationId, questionnaireId: t.questionnaire.id, evaluatorId: t.otherEvaluator.userId });
    expect(again.status).toBe(409);
    expect(again.body.title).toBe('Already reviewed');

    // Another evaluator does not even see it; an overseer who also evaluates sees it but it is not theirs.
    expect((await as(t.otherEvaluator).http('GET', `/v1/reviews/${reviewId}`)).status).toBe(404);
    expect((await as(t.otherEvaluator).http('POST', `/v1/reviews/${reviewId}/start`)).status).toBe(404);
    const overseer = await harness.identityFor(['evaluator', 'cc-manager']);
    const notYours = await as(overseer).http('POST', `/v1/reviews/${reviewId}/start`);
    expect(notYours.status).toBe(403);
    expect(notYours.body.title).toBe('Not your review');

    const started = await as(t.evaluator).http('POST', `/v1/reviews/${reviewId}/start`);
    expect(started.status, JSON.stringify(started.body)).toBe(200);
    expect(started.body.status).toBe('in-progress');
    await expectAudited(started, 'START_EVALUATION', conversationId, reviewId);
    expect((await as(t.evaluator).http('POST', `/v1/reviews/${reviewId}/start`)).status).toBe(409);

    const badDraft = await as(t.evaluator).http('PUT', `/v1/reviews/${reviewId}/answers`, { answers: { q1: { value: 'maybe' }, q9: { value: 'yes' } } });
    expect(badDraft.status).toBe(422);
    expect(badDraft.headers.get('content-type')).toContain('application/problem+json');
    expect(fields(badDraft).sort()).toEqual(['answers.q1', 'answers.q9']);
    expect(badDraft.body.errors.find((error: { field: string }) => error.field === 'answers.q9').message).toContain('not in this questionnaire version');

    const draft = await as(t.evaluator).http('PUT', `/v1/reviews/${reviewId}/answers`, { answers: { q1: { value: 'yes' }, q2: { value: 'partial' } } });
    expect(draft.status, JSON.stringify(draft.body)).toBe(200);
    expect(draft.body.answers).toEqual({ q1: { value: 'yes' }, q2: { value: 'partial' } });
    await expectAudited(draft, 'SAVE_EVALUATION', conversationId, reviewId);

    const incomplete = await as(t.evaluator).http('POST', `/v1/reviews/${reviewId}/complete`, { answers: { q3: { na: true } } });
    expect(incomplete.status).toBe(422);
    expect(fields(incomplete)).toEqual(['answers.q4']);
    expect(incomplete.body.errors[0].message).toContain('required');

    const completed = await as(t.evaluator).http('POST', `/v1/reviews/${reviewId}/complete`, { answers: { q3: { na: true }, q4: { value: 3 } } });
    expect(completed.status, JSON.stringify(completed.body)).toBe(200);
    // Compliance 75 % (yes, partial, N/A skipped) weighs 60, courtesy 50 % weighs 40: 65 %.
    expect(completed.body).toMatchObject({
      status: 'completed',
      answers: NEEDS_COACHING_ANSWERS,
      scorePercent: 65,
      tier: { name: 'needs coaching', needsTraining: true },
      needsTraining: true,
      failed: false,
      score: { percent: 65, sections: [{ id: 'compliance', percent: 75 }, { id: 'courtesy', percent: 50 }] },
    });
    expect(completed.body.completedAt).not.toBeNull();
    const completion = await expectAudited(completed, 'COMPLETE_EVALUATION', conversationId, reviewId);
    expect(completion.details).toMatchObject({ scorePercent: 65, tierName: 'needs coaching' });

    const afterCompletion = await as(t.evaluator).http('PUT', `/v1/reviews/${reviewId}/answers`, { answers: {} });
    expect(afterCompletion.status).toBe(409);

    // Not revealed yet: the agent neither lists nor reads it.
    const unrevealedList = await as(t.agent).http('GET', `/v1/reviews?conversationId=${conversationId}`);
    expect(unrevealedList.status).toBe(200);
    expect(unrevealedList.body.items).toEqual([]);
    expect((await as(t.agent).http('GET', `/v1/reviews/${reviewId}`)).status).toBe(404);

    const revealed = await as(t.manager).http('PUT', `/v1/reviews/${reviewId}/reveal`, { revealed: true });
    expect(revealed.status, JSON.stringify(revealed.body)).toBe(200);
    expect(revealed.body.revealedAt).not.toBeNull();
    await expectAudited(revealed, 'REVEAL_TO_AGENT_CHANGED', conversationId, reviewId);

    const agentList = await as(t.agent).http('GET', '/v1/reviews');
    expect(agentList.body.items.map((item: { id: string }) => item.id)).toContain(reviewId);
    const agentRead = await as(t.agent).http('GET', `/v1/reviews/${reviewId}`);
    expect(agentRead.status).toBe(200);
    expect(agentRead.body).toMatchObject({ scorePercent: 65, tier: { name: 'needs coaching' } });
    expect((await as(await harness.identityFor('agent')).http('GET', `/v1/reviews/${reviewId}`)).status).toBe(404);

    expect(await steps(reviewId)).toEqual(['selected', 'assigned', 'started', 'saved', 'completed', 'revealed']);
  });

  it('refuses a questionnaire that is not active, a conversation already deleted, and an evaluator reviewing their own conversation', async () => {
    const t = await team();
    const conversationId = await captureConversation(harness, t.agent.username);
    const draft = await insertQuestionnaire(harness.db, { state: 'draft' });
    const notUsable = await as(t.evaluator).http('POST', '/v1/reviews', { conversationId, questionnaireId: draft.id });
    expect(notUsable.status).toBe(409);
    expect(notUsable.body.title).toBe('Questionnaire not usable');

    const ownConversation = await captureConversation(harness, t.evaluator.username);
    const own = await as(t.evaluator).http('POST', '/v1/reviews', { conversationId: ownConversation, questionnaireId: t.questionnaire.id });
    expect(own.status).toBe(422);
    expect(own.body.errors[0]).toMatchObject({ field: 'evaluatorId', message: expect.stringContaining('agent of this conversation') });

    // An evaluator adding a conversation reviews it themselves.
    const mine = await as(t.evaluator).http('POST', '/v1/reviews', { conversationId, questionnaireId: t.questionnaire.id });
    expect(mine.status, JSON.stringify(mine.body)).toBe(201);
    expect(mine.body.evaluator.id).toBe(t.evaluator.userId);

    const gone = await captureConversation(harness, t.agent.username);
    await harness.db.update(conversations).set({ deletedAt: new Date() }).where(eq(conversations.id, gone));
    const deleted = await as(t.evaluator).http('POST', '/v1/reviews', { conversationId: gone, questionnaireId: t.questionnaire.id });
    expect(deleted.status).toBe(409);
    expect(deleted.body.title).toBe('Conversation deleted');
  });
});

describe("an evaluator's queue", () => {
  it('lists their reviews newest due first, page by page, and flags the overdue ones', async () => {
    const t = await team();
    const soon = new Date(Date.now() + 3_600_000).toISOString();
    const later = new Date(Date.now() + 7_200_000).toISOString();
    const past = new Date(Date.now() - 3_600_000).toISOString();
    const first = await newReview(t, { dueAt: soon });
    const second = await newReview(t, { dueAt: later });
    const overdue = await newReview(t, { dueAt: past });
    await newReview(t, { evaluator: t.otherEvaluator, dueAt: later });

    const page1 = await as(t.evaluator).http('GET', '/v1/reviews?evaluatorId=me&limit=2');
    expect(page1.status, JSON.stringify(page1.body)).toBe(200);
    expect(page1.body.items.map((item: { id: string }) => item.id)).toEqual([second.id, first.id]);
    expect(page1.body.nextCursor).toEqual(expect.any(String));
    const page2 = await as(t.evaluator).http('GET', `/v1/reviews?evaluatorId=me&limit=2&cursor=${page1.body.nextCursor}`);
    expect(page2.body.items.map((item: { id: string }) => item.id)).toEqual([overdue.id]);
    expect(page2.body.items[0].overdue).toBe(true);
    expect(page2.body.nextCursor).toBeNull();

    // The other evaluator's review is not in this queue even unfiltered; the manager filters for it.
    const all = await as(t.evaluator).http('GET', '/v1/reviews');
    expect(all.body.items.every((item: { evaluator: { id: string } }) => item.evaluator.id === t.evaluator.userId)).toBe(true);
    const late = await as(t.manager).http('GET', `/v1/reviews?overdue=true&evaluatorId=${t.evaluator.userId}`);
    expect(late.body.items.map((item: { id: string }) => item.id)).toEqual([overdue.id]);

    // A supervisor sees the reviews of their desk's agents.
    const supervised = await as(t.supervisor).http('GET', `/v1/reviews?questionnaireId=${t.questionnaire.id}`);
    expect(supervised.body.items).toHaveLength(4);
  });
});

describe('reopening', () => {
  it('gives a completed review back to its evaluator, who alone scores it again', async () => {
    const t = await team();
    const review = await newReview(t);
    await as(t.evaluator).http('POST', `/v1/reviews/${review.id}/complete`, { answers: NEEDS_COACHING_ANSWERS });

    const noReason = await as(t.supervisor).http('POST', `/v1/reviews/${review.id}/reopen`, {});
    expect(noReason.status).toBe(422);
    expect(fields(noReason)).toEqual(['reason']);
    const reopened = await as(t.supervisor).http('POST', `/v1/reviews/${review.id}/reopen`, { reason: 'q4 was misheard' });
    expect(reopened.status, JSON.stringify(reopened.body)).toBe(200);
    expect(reopened.body).toMatchObject({ status: 'in-progress', scorePercent: null, tier: null, completedAt: null, answers: NEEDS_COACHING_ANSWERS });
    await expectAudited(reopened, 'REOPEN_EVALUATION', review.conversation.id, review.id);
    expect((await as(t.supervisor).http('POST', `/v1/reviews/${review.id}/reopen`, { reason: 'twice' })).status).toBe(409);

    const overseer = await harness.identityFor(['evaluator', 'compliance-analyst']);
    expect((await as(overseer).http('POST', `/v1/reviews/${review.id}/complete`, { answers: { q4: { value: 5 } } })).status).toBe(403);
    const rescored = await as(t.evaluator).http('POST', `/v1/reviews/${review.id}/complete`, { answers: { q4: { value: 5 } } });
    expect(rescored.status, JSON.stringify(rescored.body)).toBe(200);
    // Courtesy now 100 %: 0.6 × 75 + 0.4 × 100 = 85 %.
    expect(rescored.body).toMatchObject({ status: 'completed', scorePercent: 85, tier: { name: 'meets', needsTraining: false } });
    expect(await steps(review.id)).toEqual(['selected', 'assigned', 'started', 'completed', 'reopened', 'completed']);
  });
});

describe('reallocation', () => {
  it('hands one open review to another evaluator of the questionnaire, never a finished one', async () => {
    const t = await team();
    const review = await newReview(t);
    const stranger = await harness.identityFor('evaluator');
    const refused = await as(t.manager).http('POST', `/v1/reviews/${review.id}/reallocate`, { evaluatorId: stranger.userId });
    expect(refused.status).toBe(422);
    expect(fields(refused)).toEqual(['evaluatorId']);

    const moved = await as(t.supervisor).http('POST', `/v1/reviews/${review.id}/reallocate`, { evaluatorId: t.otherEvaluator.userId, reason: 'on leave' });
    expect(moved.status, JSON.stringify(moved.body)).toBe(200);
    expect(moved.body.evaluator).toEqual({ id: t.otherEvaluator.userId, username: t.otherEvaluator.username });
    await expectAudited(moved, 'REALLOCATE_EVALUATIONS', review.conversation.id, review.id);
    expect((await as(t.evaluator).http('GET', `/v1/reviews/${review.id}`)).status).toBe(404);
    expect((await as(t.otherEvaluator).http('GET', `/v1/reviews/${review.id}`)).status).toBe(200);

    await as(t.otherEvaluator).http('POST', `/v1/reviews/${review.id}/complete`, { answers: NEEDS_COACHING_ANSWERS });
    const finished = await as(t.manager).http('POST', `/v1/reviews/${review.id}/reallocate`, { evaluatorId: t.evaluator.userId });
    expect(finished.status).toBe(409);
  });

  it("moves every open review of a disabled evaluator in one request, balanced by workload, and reports what nobody could take", async () => {
    const t = await team({ evaluators: 3 });
    const [leaving, busy, idle] = t.evaluators as [Identity, Identity, Identity];
    // busy already has two open reviews; idle none.
    await newReview(t, { evaluator: busy });
    await newReview(t, { evaluator: busy });
    const open = [await newReview(t, { evaluator: leaving }), await newReview(t, { evaluator: leaving }), await newReview(t, { evaluator: leaving })];
    // busy is the agent of this one, so only idle may take it.
    const busysOwn = await newReview(t, { evaluator: leaving, agent: busy });
    await as(leaving).http('POST', `/v1/reviews/${open[0].id}/start`);
    const done = await newReview(t, { evaluator: leaving });
    await as(leaving).http('POST', `/v1/reviews/${done.id}/complete`, { answers: NEEDS_COACHING_ANSWERS });

    expect((await harness.http('POST', `/v1/users/${leaving.userId}/disable`, { reason: 'left the company' })).status).toBe(200);
    const conversationId = await captureConversation(harness, t.agent.username);
    const noNewReviews = await as(t.manager).http('POST', '/v1/reviews', { conversationId, questionnaireId: t.questionnaire.id, evaluatorId: leaving.userId });
    expect(noNewReviews.status).toBe(422);
    expect(noNewReviews.body.errors[0].message).toContain('disabled');

    const moved = await as(t.manager).http('POST', '/v1/reviews/reallocations', { fromEvaluatorId: leaving.userId });
    expect(moved.status, JSON.stringify(moved.body)).toBe(200);
    expect(moved.body.unassigned).toEqual([]);
    expect(moved.body.reallocated).toHaveLength(4);
    // Balanced to equal open workloads: busy 2 + 1, idle 0 + 3; busy never gets their own conversation.
    expect(moved.body.assignedPerEvaluator).toEqual({ [busy.userId]: 1, [idle.userId]: 3 });
    expect(moved.body.reallocated.find((entry: { reviewId: string }) => entry.reviewId === busysOwn.id).evaluatorId).toBe(idle.userId);

    const stillTheirs = await harness.db.select({ id: reviews.id }).from(reviews).where(eq(reviews.evaluatorId, leaving.userId));
    expect(stillTheirs.map((row) => row.id)).toEqual([done.id]);
    const entries = (await entriesOf(harness.db, moved)).filter((entry) => entry.activity === 'REALLOCATE_EVALUATIONS');
    expect(entries).toHaveLength(1);
    expect(entries[0]!.details).toMatchObject({ fromEvaluatorId: leaving.userId, open: 4, reallocated: 4, unassigned: 0 });
    expect(await steps(open[0].id)).toEqual(['selected', 'assigned', 'started', 'reallocated']);

    // Named targets only, and none may take the agent's own conversation: it stays and is reported.
    const alsoLeaving = await harness.identityFor('evaluator', { groupNames: [t.evaluatorGroup] });
    const stuck = await newReview(t, { evaluator: alsoLeaving, agent: busy });
    const partial = await as(t.manager).http('POST', '/v1/reviews/reallocations', { fromEvaluatorId: alsoLeaving.userId, toEvaluatorIds: [busy.userId] });
    expect(partial.status, JSON.stringify(partial.body)).toBe(200);
    expect(partial.body.reallocated).toEqual([]);
    expect(partial.body.unassigned).toEqual([{ reviewId: stuck.id, conversationId: stuck.conversation.id, reason: 'no-eligible-evaluator' }]);
    const badTarget = await as(t.manager).http('POST', '/v1/reviews/reallocations', { fromEvaluatorId: alsoLeaving.userId, toEvaluatorIds: [busy.userId, t.agent.userId] });
    expect(badTarget.status).toBe(422);
    expect(fields(badTarget)).toEqual(['toEvaluatorIds.1']);
  });
});

describe('replacing the conversation', () => {
  it("swaps a waiting review's conversation, recorded on both conversations", async () => {
    const t = await team();
    const review = await newReview(t);
    const otherAgent = await harness.identityFor('agent', { groupNames: [t.desk] });
    const replacement = await captureConversation(harness, otherAgent.username);

    const replaced = await as(t.evaluator).http('POST', `/v1/reviews/${review.id}/replace-conversation`, { conversationId: replacement, reason: 'wrong call' });
    expect(replaced.status, JSON.stringify(replaced.body)).toBe(200);
    expect(replaced.body).toMatchObject({ conversation: { id: replacement, deleted: false }, agent: { username: otherAgent.username, groups: [t.desk] }, status: 'waiting' });
    await expectAudited(replaced, 'REPLACE_CALL', review.conversation.id, review.id);
    await expectAudited(replaced, 'REPLACE_CALL', replacement, review.id);

    const history = await as(t.evaluator).http('GET', `/v1/reviews/${review.id}/history`);
    const swap = history.body.items.filter((item: { step: string }) => item.step.startsWith('replaced-'));
    expect(swap.map((item: { step: string; conversationId: string }) => [item.step, item.conversationId])).toEqual([
      ['replaced-away', review.conversation.id],
      ['replaced-in', replacement],
    ]);

    // The conversation given up is free for this questionnaire again; one already reviewed with it is not.
    const taken = await newReview(t);
    const duplicate = await as(t.evaluator).http('POST', `/v1/reviews/${review.id}/replace-conversation`, { conversationId: taken.conversation.id });
    expect(duplicate.status).toBe(409);
    expect(duplicate.body.title).toBe('Already reviewed');

    await as(t.evaluator).http('POST', `/v1/reviews/${review.id}/start`);
    const started = await as(t.evaluator).http('POST', `/v1/reviews/${review.id}/replace-conversation`, { conversationId: review.conversation.id });
    expect(started.status).toBe(409);
    expect(started.body.title).toBe('Wrong review state');
  });
});

describe('deletion, reporting and the tombstone', () => {
  it('deletes a finished review only with a reason, keeping the row and its history', async () => {
    const t = await team();
    const review = await newReview(t);
    await as(t.evaluator).http('POST', `/v1/reviews/${review.id}/complete`, { answers: NEEDS_COACHING_ANSWERS });

    const withoutReason = await as(t.manager).http('DELETE', `/v1/reviews/${review.id}`);
    expect(withoutReason.status).toBe(422);
    expect(fields(withoutReason)).toEqual(['reason']);
    const refusal = (await entriesOf(harness.db, withoutReason)).at(-1)!;
    expect(refusal).toMatchObject({ activity: 'DELETE_FINISHED_EVALUATION', result: 'FAIL', conversationId: review.conversation.id });

    const deleted = await as(t.manager).http('DELETE', `/v1/reviews/${review.id}`, { reason: 'reviewed the wrong agent' });
    expect(deleted.status, JSON.stringify(deleted.body)).toBe(200);
    expect(deleted.body).toMatchObject({ status: 'deleted', deleteReason: 'reviewed the wrong agent', scorePercent: 65 });
    await expectAudited(deleted, 'DELETE_FINISHED_EVALUATION', review.conversation.id, review.id);
    expect((await as(t.manager).http('DELETE', `/v1/reviews/${review.id}`, { reason: 'again' })).status).toBe(409);

    expect((await as(t.manager).http('GET', `/v1/reviews/${review.id}`)).body.status).toBe('deleted');
    expect((await steps(review.id)).at(-1)).toBe('deleted');
    const listed = await as(t.manager).http('GET', `/v1/reviews?conversationId=${review.conversation.id}`);
    expect(listed.body.items).toEqual([]);
    const listedDeleted = await as(t.manager).http('GET', `/v1/reviews?conversationId=${review.conversation.id}&status=deleted`);
    expect(listedDeleted.body.items.map((item: { id: string }) => item.id)).toEqual([review.id]);

    const waiting = await newReview(t);
    const deletedWaiting = await as(t.supervisor).http('DELETE', `/v1/reviews/${waiting.id}`);
    expect(deletedWaiting.status, JSON.stringify(deletedWaiting.body)).toBe(200);
    await expectAudited(deletedWaiting, 'DELETE_EVALUATION', waiting.conversation.id, waiting.id);
  });

  it('is left out of reports on request', async () => {
    const t = await team();
    const review = await newReview(t);
    const excluded = await as(t.manager).http('PUT', `/v1/reviews/${review.id}/include-in-reports`, { included: false });
    expect(excluded.status, JSON.stringify(excluded.body)).toBe(200);
    expect(excluded.body.includeInReports).toBe(false);
    await expectAudited(excluded, 'INCLUDE_IN_REPORTS_CHANGED', review.conversation.id, review.id);
    const [row] = await harness.db.select({ includeInReports: reviews.includeInReports }).from(reviews).where(eq(reviews.id, review.id));
    expect(row!.includeInReports).toBe(false);
    const onlyCompleted = await as(t.manager).http('PUT', `/v1/reviews/${review.id}/reveal`, { revealed: true });
    expect(onlyCompleted.status).toBe(409);
  });

  it("shows a review whose conversation was deleted with the conversation's tombstone", async () => {
    const t = await team();
    const review = await newReview(t);
    await as(t.evaluator).http('POST', `/v1/reviews/${review.id}/complete`, { answers: NEEDS_COACHING_ANSWERS });
    const deletedAt = new Date('2033-01-02T03:04:05.000Z');
    await harness.db.update(conversations).set({ deletedAt }).where(eq(conversations.id, review.conversation.id));

    const read = await as(t.evaluator).http('GET', `/v1/reviews/${review.id}`);
    expect(read.status).toBe(200);
    expect(read.body).toMatchObject({
      conversation: { id: review.conversation.id, deleted: true, deletedAt: deletedAt.toISOString() },
      status: 'completed',
      scorePercent: 65,
      answers: NEEDS_COACHING_ANSWERS,
    });
    const listed = await as(t.evaluator).http('GET', `/v1/reviews?conversationId=${review.conversation.id}`);
    expect(listed.body.items[0].conversation).toEqual({ id: review.conversation.id, deleted: true, deletedAt: deletedAt.toISOString() });

    const lookups = await harness.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.correlationId, read.headers.get('x-request-id')!), eq(auditLog.activity, 'EVALUATIONS_SEARCH')));
    expect(lookups[0]).toMatchObject({ result: 'OK', conversationId: review.conversation.id });
  });
});
