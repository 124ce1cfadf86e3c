import { and, eq } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { notificationOutbox, trainingAssignments, trainingAttempts, trainingEvents } from '../../src/db/schema/index.js';
import { entriesOf } from '../support/audit-entries.js';
import { createHarness, type HttpAnswer } from '../support/harness.js';
import type { Identity } from '../support/identities.js';
import { uniqueId } from '../support/lifecycle.js';
import { ALL_CORRECT, MOSTLY_WRONG, assignCoaching, createActivePack } from '../support/training.js';

const harness = await createHarness();
afterAll(async () => {
  await harness?.close();
});

const fields = (answer: HttpAnswer) => ((answer.body.errors ?? []) as { field: string }[]).map((error) => error.field);
const activities = async (answer: HttpAnswer) => (await entriesOf(harness.db, answer)).map((entry) => `${entry.activity}:${entry.result}`);
const stepsOf = async (assignmentId: string) =>
  (await harness.db.select({ step: trainingEvents.step }).from(trainingEvents).where(eq(trainingEvents.assignmentId, assignmentId)).orderBy(trainingEvents.id)).map((row) => row.step);

/** A trainee in a desk with two supervisors (with email addresses), and an open coaching assignment of the sample pack. */
async function trainee() {
  const desk = uniqueId('desk');
  const manager = await harness.identityFor('cc-manager');
  const agent = await harness.identityFor('agent', { groupNames: [desk], email: `${uniqueId('agent')}@example.test` });
  const supervisors = [
    await harness.identityFor('supervisor', { supervisedGroups: [desk], email: `${uniqueId('sup')}@example.test` }),
    await harness.identityFor('supervisor', { supervisedGroups: [desk, uniqueId('other')], email: `${uniqueId('sup')}@example.test`, timeZone: 'Europe/Berlin' }),
  ];
  const pack = await createActivePack(harness, manager, { dueAfterSeconds: 3600, reminderBeforeSeconds: 600 });
  const given = await assignCoaching(harness, manager, { packId: pack.id, userIds: [agent.userId] });
  return { desk, manager, agent, supervisors, pack, assignmentId: given.assigned[0].id as string };
}

const submit = (identity: Identity, assignmentId: string, body: unknown) => harness.as(identity.token).http('POST', `/v1/training-assignments/${assignmentId}/attempts`, body);

describe('taking the quiz', () => {
  it("shows the trainee the quiz without any correct answer, and scores their answers on the server", async () => {
    const t = await trainee();
    const view = await harness.as(t.agent.token).http('GET', `/v1/training-assignments/${t.assignmentId}`);
    expect(view.status, JSON.stringify(view.body)).toBe(200);
    expect(JSON.stringify(view.body)).not.toMatch(/correct/i);
    expect(view.body).toMatchObject({ status: 'assigned', attempts: [], nextAttemptNumber: 1, attemptsLeft: 2, instructions: expect.any(String), referenceConversationId: null });
    expect(view.body.quiz.questions.map((question: { id: string }) => question.id)).toEqual(['disclose', 'costs', 'advice']);

    // What the client says about its own score counts for nothing.
    const failed = await submit(t.agent, t.assignmentId, { answers: MOSTLY_WRONG, passed: true, scorePercent: 100 });
    expect(failed.status, JSON.stringify(failed.body)).toBe(200);
    expect(failed.body).toMatchObject({ scorePercent: 33.33, passed: false, status: 'assigned', attemptsLeft: 1, attempt: { number: 1 } });
    expect(JSON.stringify(failed.body)).not.toMatch(/correct|solution/i);
    expect(await activities(failed)).toEqual(['TRAINING_QUIZ_SUBMIT:OK']);
  });

  it('a fail re-assigns with a new due time and cleared reminder; a pass completes it and only then shows the solution', async () => {
    const t = await trainee();
    const remindedAt = new Date();
    await harness.db.update(trainingAssignments).set({ remindedAt, dueAt: new Date(Date.now() + 60_000) }).where(eq(trainingAssignments.id, t.assignmentId));
    const failed = await submit(t.agent, t.assignmentId, { answers: MOSTLY_WRONG, attemptNumber: 1 });
    expect(failed.status).toBe(200);
    const [reassigned] = await harness.db.select().from(trainingAssignments).where(eq(trainingAssignments.id, t.assignmentId));
    expect(reassigned).toMatchObject({ status: 'assigned', attemptsUsed: 1, remindedAt: null, overdueAt: null });
    expect(reassigned!.dueAt.getTime()).toBeGreaterThan(Date.now() + 3500_000);
    expect(reassigned!.remindAt!.getTime()).toBe(reassigned!.dueAt.getTime() - 600_000);
    expect(failed.body.dueAt).toBe(reassigned!.dueAt.toISOString());

    const passed = await submit(t.agent, t.assignmentId, { answers: ALL_CORRECT, attemptNumber: 2 });
    expect(passed.status, JSON.stringify(passed.body)).toBe(200);
    expect(passed.body).toMatchObject({ scorePercent: 100, passed: true, status: 'passed', attemptsLeft: 0 });
    expect(passed.body.solution).toEqual([
      { questionId: 'disclose', correct: true, correctOptionIds: ['start'] },
      { questionId: 'costs', correct: true, correctOptionIds: ['b', 'c'] },
      { questionId: 'advice', correct: true, correctOptionIds: ['suitability'] },
    ]);
    expect(await stepsOf(t.assignmentId)).toEqual(['assigned', 'attempt-failed', 'reassigned', 'passed']);
    const view = await harness.as(t.agent.token).http('GET', `/v1/training-assignments/${t.assignmentId}`);
    expect(view.body.attempts.map((attempt: any) => [attempt.number, attempt.scorePercent, attempt.passed])).toEqual([
      [1, 33.33, false],
      [2, 100, true],
    ]);
    expect(view.body.nextAttemptNumber).toBeNull();
    const late = await submit(t.agent, t.assignmentId, { answers: ALL_CORRECT });
    expect(late.status).toBe(409);
    expect(await activities(late)).toEqual(['TRAINING_QUIZ_SUBMIT:FAIL']);
  });

  it('failing the last attempt marks it failed, audits TRAINING_FAILED and queues exactly one mail per supervisor', async () => {
    const t = await trainee();
    expect((await submit(t.agent, t.assignmentId, { answers: MOSTLY_WRONG })).status).toBe(200);
    const last = await submit(t.agent, t.assignmentId, { answers: MOSTLY_WRONG });
    expect(last.status).toBe(200);
    expect(last.body).toMatchObject({ passed: false, status: 'failed', attemptsLeft: 0 });
    expect(last.body.solution.map((question: any) => question.correct)).toEqual([true, false, false]);
    expect(await activities(last)).toEqual(['TRAINING_FAILED:OK', 'TRAINING_QUIZ_SUBMIT:OK']);
    expect(await stepsOf(t.assignmentId)).toEqual(['assigned', 'attempt-failed', 'reassigned', 'failed']);

    const failedMails = await harness.db.select().from(notificationOutbox).where(eq(notificationOutbox.kind, 'training-failed'));
    const ours = failedMails.filter((mail) => mail.textBody.includes(t.assignmentId));
    expect(ours.map((mail) => mail.recipientUserId).sort()).toEqual(t.supervisors.map((supervisor) => supervisor.userId).sort());
    expect(ours.every((mail) => !mail.textBody.includes(t.agent.username) && mail.textBody.includes(`Trainee (user id): ${t.agent.userId}`))).toBe(true);
    expect(ours.find((mail) => mail.recipientUserId === t.agent.userId)).toBeUndefined();
    expect((await submit(t.agent, t.assignmentId, { answers: ALL_CORRECT })).status).toBe(409);
  });

  it('only the trainee submits; answers must fit the quiz', async () => {
    const t = await trainee();
    const byManager = await submit(t.manager, t.assignmentId, { answers: ALL_CORRECT });
    expect(byManager.status).toBe(403);
    const bySupervisor = await submit(t.supervisors[0]!, t.assignmentId, { answers: ALL_CORRECT });
    expect(bySupervisor.status).toBe(403);
    const unknown = await submit(t.agent, t.assignmentId, { answers: { disclose: ['start', 'end'], nope: ['x'] } });
    expect([unknown.status, fields(unknown)]).toEqual([422, ['answers.disclose', 'answers.nope']]);
    const malformed = await submit(t.agent, t.assignmentId, { answers: { disclose: 'start' } });
    expect([malformed.status, fields(malformed)]).toEqual([422, ['answers.disclose']]);
    const wrongNumber = await submit(t.agent, t.assignmentId, { answers: ALL_CORRECT, attemptNumber: 2 });
    expect(wrongNumber.status).toBe(409);
    expect(await harness.db.select().from(trainingAttempts).where(eq(trainingAttempts.assignmentId, t.assignmentId))).toEqual([]);
  });

  it('two submissions racing for one attempt number: one is scored, the other is 409, and one attempt exists', async () => {
    for (let round = 0; round < 5; round++) {
      const t = await trainee();
      // Both mean to be attempt 1 (as two tabs of the same quiz would): whichever order they arrive in, one is scored.
      const answers = await Promise.all([
        submit(t.agent, t.assignmentId, { answers: MOSTLY_WRONG, attemptNumber: 1 }),
        submit(t.agent, t.assignmentId, { answers: MOSTLY_WRONG, attemptNumber: 1 }),
      ]);
      expect(answers.map((answer) => answer.status).sort()).toEqual([200, 409]);
      const attempts = await harness.db.select().from(trainingAttempts).where(and(eq(trainingAttempts.assignmentId, t.assignmentId)));
      expect(attempts.map((attempt) => attempt.number)).toEqual([1]);
      const [row] = await harness.db.select().from(trainingAssignments).where(eq(trainingAssignments.id, t.assignmentId));
      expect(row).toMatchObject({ attemptsUsed: 1, status: 'assigned' });
    }
  });
});
