import { eq } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { trainingAssignments } from '../../src/db/schema/index.js';
import { ensureNotificationDispatcher } from '../../src/temporal/schedules.js';
import { conversationWorkflowId, lifecycleStateQuery } from '../../src/workflows/conversation-lifecycle.contract.js';
import { trainingWorkflowId, type TrainingFollowUpResult } from '../../src/workflows/training-follow-up.contract.js';
import { createHarness } from '../support/harness.js';
import type { Identity } from '../support/identities.js';
import { eventually, uniqueId } from '../support/lifecycle.js';
import { captureConversation, createReview, SIMPLE_QUESTIONNAIRE } from '../support/reviews.js';
import { startSmtpServer } from '../support/smtp.js';

/**
 * The "done when" for training, through the HTTP API, the real worker and a real SMTP server in
 * this process: a review in a "needs training" tier gives the tier's pack; the agent is mailed, fails the
 * quiz, is reminded, passes on the second attempt, and the conversation's trace shows every step; used-up
 * attempts mail the supervisor exactly once; an accepted dispute that moves the score out of the tier
 * cancels the follow-up, saying why.
 */
const smtp = await startSmtpServer();
const harness = await createHarness({ activityDeps: { mailer: smtp.mailer() } });
const dispatcherId = await ensureNotificationDispatcher(harness.client, harness.taskQueue, { pollSeconds: 1 });
afterAll(async () => {
  await harness.client.workflow.getHandle(dispatcherId).terminate('test over');
  await harness.close();
  await smtp.stop();
});

const settle = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const emailOf = (name: string) => `${uniqueId(name)}@example.test`;
const WRONG = { disclosure: ['end'], topics: ['costs'] };
const RIGHT = { disclosure: ['start'], topics: ['costs', 'risks'] };

interface Programme {
  manager: Identity;
  evaluator: Identity;
  agent: Identity;
  agentEmail: string;
  supervisorEmail: string;
  questionnaireId: string;
  packId: string;
}

/** A manager's pack and a questionnaire whose "fail" tier assigns it; an agent with an email and their supervisor. */
async function programme(timing: { dueAfterSeconds: number; reminderBeforeSeconds: number | null; attemptsAllowed: number }): Promise<Programme> {
  const team = uniqueId('desk');
  const manager = await harness.identityFor('cc-manager');
  const evaluator = await harness.identityFor('evaluator');
  const agentEmail = emailOf('agent');
  const supervisorEmail = emailOf('supervisor');
  const agent = await harness.identityFor('agent', { groupNames: [team], email: agentEmail, timeZone: 'Europe/London' });
  await harness.identityFor('supervisor', { supervisedGroups: [team], email: supervisorEmail, timeZone: 'Asia/Tokyo' });
  const pack = await harness.as(manager.token).http('POST', '/v1/training-packs', {
    name: uniqueId('Recording disclosure'),
    purpose: 'performance',
    state: 'active',
    dueAfterSeconds: timing.dueAfterSeconds,
    reminderBeforeSeconds: timing.reminderBeforeSeconds,
    definition: {
      instructions: 'Tell the client the call is recorded before anything else, and name the costs and the risks.',
      quiz: {
        questions: [
          { id: 'disclosure', text: 'When is the recording disclosed?', kind: 'single', options: [{ id: 'start', text: 'At the start' }, { id: 'end', text: 'At the end' }], correct: ['start'] },
          {
            id: 'topics',
            text: 'What must be named before advice?',
            kind: 'multiple',
            options: [{ id: 'costs', text: 'Costs' }, { id: 'risks', text: 'Risks' }, { id: 'weather', text: 'The weather' }],
            correct: ['costs', 'risks'],
          },
        ],
        passMarkPercent: 100,
        attemptsAllowed: timing.attemptsAllowed,
      },
    },
  });
  expect(pack.status, JSON.stringify(pack.body)).toBe(201);
  const [failTier, ...otherTiers] = SIMPLE_QUESTIONNAIRE.tiers;
  const questionnaire = await harness.as(manager.token).http('POST', '/v1/questionnaires', {
    name: uniqueId('questionnaire'),
    ...SIMPLE_QUESTIONNAIRE,
    tiers: [{ ...failTier, trainingPackId: pack.body.id }, ...otherTiers],
    state: 'active',
    disputeWindowDays: 14,
  });
  expect(questionnaire.status, JSON.stringify(questionnaire.body)).toBe(201);
  return { manager, evaluator, agent, agentEmail, supervisorEmail, questionnaireId: questionnaire.body.id, packId: pack.body.id };
}

/** The agent's conversation, reviewed and completed in the "fail" tier (0 %): answers the review and the assignment it gave. */
async function failedReview(p: Programme) {
  const conversationId = await captureConversation(harness, p.agent.username);
  const review = await createReview(harness, p.manager, { conversationId, questionnaireId: p.questionnaireId, evaluatorId: p.evaluator.userId });
  const completed = await harness.as(p.evaluator.token).http('POST', `/v1/reviews/${review.id}/complete`, { answers: { greeting: { value: 'no' }, suitability: { value: 'no' } } });
  expect(completed.status, JSON.stringify(completed.body)).toBe(200);
  expect(completed.body.score).toMatchObject({ percent: 0, tier: { name: 'fail', needsTraining: true } });
  const [assignment] = await harness.db.select().from(trainingAssignments).where(eq(trainingAssignments.reviewId, review.id));
  expect(assignment).toMatchObject({ packId: p.packId, packVersion: 1, assigneeUserId: p.agent.userId, reason: 'review', conversationId, status: 'assigned' });
  return { conversationId, reviewId: review.id as string, assignmentId: assignment!.id };
}

async function submit(agent: Identity, assignmentId: string, answers: Record<string, string[]>) {
  const answer = await harness.as(agent.token).http('POST', `/v1/training-assignments/${assignmentId}/attempts`, { answers });
  expect(answer.status, JSON.stringify(answer.body)).toBe(200);
  return answer.body;
}

const mailsTo = (email: string, subject: string) => smtp.to(email).filter((mail) => mail.parsed.subject === subject);
const mailArrives = (email: string, subject: string, count = 1) => eventually(async () => (mailsTo(email, subject).length >= count ? mailsTo(email, subject) : undefined), 30_000);
const followUpResult = (assignmentId: string): Promise<TrainingFollowUpResult> => harness.client.workflow.getHandle(trainingWorkflowId(assignmentId)).result();

async function lifecycleTrainingSteps(conversationId: string, until: string) {
  return eventually(async () => {
    const steps = (await harness.client.workflow.getHandle(conversationWorkflowId(conversationId)).query(lifecycleStateQuery)).steps.filter((step) => step.step.startsWith('training-'));
    return steps.some((step) => step.step === until) ? steps : undefined;
  });
}

describe('training follow-up from review to completion', () => {
  it('assigns the pack of a "needs training" tier; the agent is mailed, fails, is reminded, passes on the second attempt; the trace shows it all', async () => {
    const p = await programme({ dueAfterSeconds: 10, reminderBeforeSeconds: 6, attemptsAllowed: 3 });
    const { conversationId, reviewId, assignmentId } = await failedReview(p);

    const [assignedMail] = await mailArrives(p.agentEmail, `Training assigned: ${assignmentId}`);
    expect(assignedMail!.rcptTo).toEqual([p.agentEmail]);
    expect(assignedMail!.parsed.text).toContain(assignmentId);
    expect(assignedMail!.parsed.text).toContain('Europe/London');

    // The trainee sees the quiz without its answers.
    const view = await harness.as(p.agent.token).http('GET', `/v1/training-assignments/${assignmentId}`);
    expect(view.status, JSON.stringify(view.body)).toBe(200);
    expect(JSON.stringify(view.body)).not.toContain('"correct"');

    const first = await submit(p.agent, assignmentId, WRONG);
    expect(first).toMatchObject({ attemptsLeft: 2 });
    expect(first).toMatchObject({ status: 'assigned', passed: false });
    const remindersBefore = mailsTo(p.agentEmail, `Training due soon: ${assignmentId}`).length;
    // The re-assignment is due 10 s after the failed attempt, reminded 6 s before: about 4 s from now.
    const reminders = await mailArrives(p.agentEmail, `Training due soon: ${assignmentId}`, remindersBefore + 1);
    expect(reminders.at(-1)!.rcptTo).toEqual([p.agentEmail]);

    const second = await submit(p.agent, assignmentId, RIGHT);
    expect(second).toMatchObject({ status: 'passed', passed: true, scorePercent: 100 });
    expect(await followUpResult(assignmentId)).toMatchObject({ assignmentId, ended: 'passed' });

    const steps = await lifecycleTrainingSteps(conversationId, 'training-passed');
    expect(steps.map((step) => step.step)).toEqual(['training-assigned', 'training-attempt-failed', 'training-reassigned', 'training-passed']);
    expect(steps[1]!.detail).toMatchObject({ assignmentId, attempt: 1, scorePercent: expect.any(Number), attemptsLeft: 2 });
    expect(steps[3]!.detail).toMatchObject({ assignmentId, attempt: 2, scorePercent: 100 });

    const trace = await harness.as(p.manager.token).http('GET', `/v1/conversations/${conversationId}/trace`);
    expect(trace.status).toBe(200);
    const audited = trace.body.steps.filter((step: { source: string }) => step.source === 'audit').map((step: { audit: { activity: string } }) => step.audit.activity);
    for (const activity of ['ADD_PARTICULAR_CALL', 'COMPLETE_EVALUATION', 'TRAINING_ASSIGN', 'TRAINING_REMINDER']) expect(audited, JSON.stringify(audited)).toContain(activity);
    expect(audited.filter((activity: string) => activity === 'TRAINING_QUIZ_SUBMIT')).toHaveLength(2);
    // The review and the assignment (one transaction) come before both attempts.
    const firstAttempt = audited.indexOf('TRAINING_QUIZ_SUBMIT');
    expect(audited.indexOf('COMPLETE_EVALUATION')).toBeLessThan(firstAttempt);
    expect(audited.indexOf('TRAINING_ASSIGN')).toBeLessThan(firstAttempt);
    const told = trace.body.steps
      .filter((step: { source: string; description: string }) => step.source === 'workflow' && step.description.includes(`training ${assignmentId}`))
      .map((step: { description: string }) => step.description.split(' ').at(-1));
    expect(told).toEqual(['assigned', 'attempt-failed', 'reassigned', 'passed']);
    expect(trace.body.steps.some((step: { source: string; description: string }) => step.source === 'workflow' && step.description.includes(`review ${reviewId} completed`))).toBe(true);
  });

  it('marks the follow-up failed once the attempts are used up, and the supervisor gets exactly one "training failed" mail', async () => {
    const p = await programme({ dueAfterSeconds: 3600, reminderBeforeSeconds: null, attemptsAllowed: 2 });
    const { conversationId, assignmentId } = await failedReview(p);
    await submit(p.agent, assignmentId, WRONG);
    const last = await submit(p.agent, assignmentId, WRONG);
    expect(last).toMatchObject({ status: 'failed', attemptsLeft: 0 });
    expect(await followUpResult(assignmentId)).toMatchObject({ ended: 'failed' });

    const [failedMail] = await mailArrives(p.supervisorEmail, `Training failed: ${assignmentId}`);
    expect(failedMail!.rcptTo).toEqual([p.supervisorEmail]);
    expect(failedMail!.parsed.text).toContain(assignmentId);
    await settle(4_000);
    expect(mailsTo(p.supervisorEmail, `Training failed: ${assignmentId}`)).toHaveLength(1);
    expect(smtp.to(p.supervisorEmail)).toHaveLength(1);
    expect(mailsTo(p.agentEmail, `Training failed: ${assignmentId}`)).toHaveLength(0);

    const steps = await lifecycleTrainingSteps(conversationId, 'training-failed');
    expect(steps.map((step) => step.step)).toEqual(['training-assigned', 'training-attempt-failed', 'training-reassigned', 'training-failed']);
    const trace = await harness.as(p.manager.token).http('GET', `/v1/conversations/${conversationId}/trace`);
    expect(trace.body.steps.map((step: { audit: { activity: string } | null }) => step.audit?.activity)).toContain('TRAINING_FAILED');
  });

  it('an accepted dispute that moves the review out of the training tier cancels the follow-up, and the trace says why', async () => {
    const p = await programme({ dueAfterSeconds: 3600, reminderBeforeSeconds: 600, attemptsAllowed: 2 });
    const { conversationId, reviewId, assignmentId } = await failedReview(p);
    await lifecycleTrainingSteps(conversationId, 'training-assigned');

    expect((await harness.as(p.manager.token).http('PUT', `/v1/reviews/${reviewId}/reveal`, { revealed: true })).status).toBe(200);
    const dispute = await harness.as(p.agent.token).http('POST', `/v1/reviews/${reviewId}/disputes`, {
      comment: 'I introduced myself and checked suitability',
      suggestedAnswers: { greeting: { value: 'yes' }, suitability: { value: 'yes' } },
    });
    expect(dispute.status, JSON.stringify(dispute.body)).toBe(201);
    const accepted = await harness.as(p.manager.token).http('POST', `/v1/reviews/${reviewId}/disputes/${dispute.body.id}/resolution`, { resolution: 'accepted', comment: 'Confirmed on the recording' });
    expect(accepted.status, JSON.stringify(accepted.body)).toBe(200);

    expect(await followUpResult(assignmentId)).toMatchObject({ ended: 'cancelled' });
    const [row] = await harness.db.select().from(trainingAssignments).where(eq(trainingAssignments.id, assignmentId));
    expect(row!.status).toBe('cancelled');
    expect(row!.cancelReason).toMatch(/dispute/);
    expect(row!.cancelReason).toMatch(/meets/);

    const steps = await lifecycleTrainingSteps(conversationId, 'training-cancelled');
    expect(steps.map((step) => step.step)).toEqual(['training-assigned', 'training-cancelled']);
    expect(steps[1]!.detail).toMatchObject({ assignmentId, reason: row!.cancelReason });

    const trace = await harness.as(p.manager.token).http('GET', `/v1/conversations/${conversationId}/trace`);
    const cancel = trace.body.steps.find((step: { audit: { activity: string } | null }) => step.audit?.activity === 'TRAINING_CANCEL');
    expect(cancel?.description).toContain(row!.cancelReason);
    expect(trace.body.steps.some((step: { source: string; description: string }) => step.source === 'workflow' && step.description.endsWith(`training ${assignmentId} cancelled`))).toBe(true);
  });
});
