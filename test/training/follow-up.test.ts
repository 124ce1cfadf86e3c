import { randomUUID } from 'node:crypto';
import { and, eq, inArray, max } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { pokeTrainingFollowUps } from '../../src/api/training-follow-up-client.js';
import { auditLog, trainingAssignments, trainingEvents, trainingPacks, trainingPackVersions } from '../../src/db/schema/index.js';
import { trainingPackDefinitionSchema } from '../../src/domain/training-pack.js';
import { cancelAssignment } from '../../src/training/training-assignments.js';
import { recordTrainingEvents } from '../../src/training/training-events.js';
import { conversationWorkflowId, lifecycleStateQuery, trainingStepSignal } from '../../src/workflows/conversation-lifecycle.contract.js';
import { trainingWorkflowId, type TrainingFollowUpResult } from '../../src/workflows/training-follow-up.contract.js';
import { eventually, lifecycleHarness, uniqueId } from '../support/lifecycle.js';
import { captureConversation, insertQuestionnaire, insertReview } from '../support/reviews.js';

/**
 * The training follow-up workflow on the real dev server, against assignment rows written straight into
 * the tables (the services' own tests give them through the API): it tells the reviewed conversation's
 * lifecycle each step, reminds once and marks overdue once with windows of seconds, repeats nothing when
 * restarted, and ends when the assignment is cancelled.
 */
const { harness } = await lifecycleHarness();
const temporal = { temporal: { client: harness.client, taskQueue: harness.taskQueue } };
const AUDIT = { actor: { type: 'system' as const, id: 'training-tests', username: 'training-tests', fullName: 'Training tests' }, correlationId: 'training-follow-up-test' };

const DEFINITION = trainingPackDefinitionSchema.parse({
  instructions: 'Disclose the recording at the start of every call.',
  quiz: {
    questions: [{ id: 'q1', text: 'When is the recording disclosed?', kind: 'single', options: [{ id: 'start', text: 'At the start' }, { id: 'end', text: 'At the end' }], correct: ['start'] }],
    passMarkPercent: 100,
    attemptsAllowed: 2,
  },
});

/** A reviewed conversation and an open review follow-up on it, due in `dueSeconds`, reminded `reminderBeforeSeconds` before. */
async function assignedFollowUp(timing: { dueSeconds: number; reminderBeforeSeconds: number | null }) {
  const agent = await harness.identityFor('agent', { groupNames: [uniqueId('team')] });
  const conversationId = await captureConversation(harness, agent.username);
  const questionnaire = await insertQuestionnaire(harness.db);
  const reviewId = await insertReview(harness.db, {
    questionnaireId: questionnaire.id,
    conversationId,
    agentUsername: agent.username,
    agentGroups: [],
    percent: 40,
    tierName: 'fail',
    needsTraining: true,
    completedAt: new Date(),
  });
  const packId = randomUUID();
  await harness.db.insert(trainingPacks).values({
    id: packId,
    name: uniqueId('pack'),
    purpose: 'performance',
    state: 'active',
    dueAfterSeconds: timing.dueSeconds,
    reminderBeforeSeconds: timing.reminderBeforeSeconds,
    createdBy: 'training-tests',
  });
  await harness.db.insert(trainingPackVersions).values({ packId, version: 1, definition: DEFINITION, createdBy: 'training-tests' });
  const assignmentId = randomUUID();
  const dueAt = new Date(Date.now() + timing.dueSeconds * 1000);
  await harness.db.transaction(async (tx) => {
    await tx.insert(trainingAssignments).values({
      id: assignmentId,
      packId,
      packVersion: 1,
      assigneeUserId: agent.userId,
      assigneeUsername: agent.username,
      reason: 'review',
      reviewId,
      conversationId,
      attemptsAllowed: 2,
      dueAt,
      remindAt: timing.reminderBeforeSeconds === null ? null : new Date(dueAt.getTime() - timing.reminderBeforeSeconds * 1000),
      assignedBy: 'training-tests',
    });
    await recordTrainingEvents(tx, [{ assignmentId, conversationId, step: 'assigned', actor: 'training-tests', detail: { reason: 'review', packId, packVersion: 1, reviewId, dueAt: dueAt.toISOString() } }]);
  });
  await pokeTrainingFollowUps(temporal, [assignmentId]);
  return { assignmentId, conversationId, reviewId, packId };
}

const lifecycleSteps = async (conversationId: string) =>
  (await harness.client.workflow.getHandle(conversationWorkflowId(conversationId)).query(lifecycleStateQuery)).steps.filter((step) => step.step.startsWith('training-'));

const stepsOf = async (assignmentId: string) =>
  (await harness.db.select({ step: trainingEvents.step }).from(trainingEvents).where(eq(trainingEvents.assignmentId, assignmentId)).orderBy(trainingEvents.id)).map((row) => row.step);

const dueAudits = (conversationId: string) =>
  harness.db.select().from(auditLog).where(and(eq(auditLog.conversationId, conversationId), inArray(auditLog.activity, ['TRAINING_REMINDER', 'TRAINING_OVERDUE']))).orderBy(auditLog.chainSeq);

/** Until the follow-up has told the lifecycle every step the assignment has. */
const forwarded = (assignmentId: string) =>
  eventually(async () => {
    const [row] = await harness.db.select().from(trainingAssignments).where(eq(trainingAssignments.id, assignmentId));
    const [last] = await harness.db.select({ id: max(trainingEvents.id) }).from(trainingEvents).where(eq(trainingEvents.assignmentId, assignmentId));
    return row && last?.id && row.forwardedEventId >= last.id ? row : undefined;
  }, 20_000);

describe('the training follow-up workflow', () => {
  it('tells the lifecycle of the assignment, reminds once before the due time and marks it overdue once after it', async () => {
    const { assignmentId, conversationId, packId, reviewId } = await assignedFollowUp({ dueSeconds: 4, reminderBeforeSeconds: 2 });
    const marked = await eventually(async () => {
      const [row] = await harness.db.select().from(trainingAssignments).where(eq(trainingAssignments.id, assignmentId));
      return row?.overdueAt ? row : undefined;
    }, 20_000);
    expect(marked.remindedAt).not.toBeNull();
    expect(marked.remindedAt!.getTime()).toBeLessThan(marked.overdueAt!.getTime());
    expect(marked.remindedAt!.getTime()).toBeGreaterThanOrEqual(marked.remindAt!.getTime());
    expect(marked.overdueAt!.getTime()).toBeGreaterThanOrEqual(marked.dueAt.getTime());

    // A few seconds on, nothing is marked twice.
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    expect(await stepsOf(assignmentId)).toEqual(['assigned', 'reminded', 'overdue']);
    const audits = await dueAudits(conversationId);
    expect(audits.map((entry) => entry.activity)).toEqual(['TRAINING_REMINDER', 'TRAINING_OVERDUE']);
    expect(audits[0]!.details).toMatchObject({ assignmentId, packId, reviewId });
    expect(audits[0]!.actorType).toBe('workflow');
    expect(audits[0]!.actorUsername).toBe(trainingWorkflowId(assignmentId));

    // Reminders stay in the assignment's history and the audit log; the lifecycle records the assignment.
    const steps = await lifecycleSteps(conversationId);
    expect(steps.map((step) => step.step)).toEqual(['training-assigned']);
    expect(steps[0]!.detail).toEqual({ assignmentId, reason: 'review', packId, packVersion: 1, reviewId });
  });

  it('repeats nothing when the worker and then the follow-up itself are restarted', async () => {
    const { assignmentId, conversationId } = await assignedFollowUp({ dueSeconds: 6, reminderBeforeSeconds: 4 });
    await eventually(async () => ((await stepsOf(assignmentId)).includes('reminded') ? true : undefined), 20_000);
    // A crash of the worker between the reminder and the due time: the overdue mark still comes, once.
    await harness.stopWorker();
    await harness.startWorker();
    await eventually(async () => ((await stepsOf(assignmentId)).includes('overdue') ? true : undefined), 20_000);
    await forwarded(assignmentId);

    // The follow-up killed outright and started again from nothing: the row remembers what was told.
    const handle = harness.client.workflow.getHandle(trainingWorkflowId(assignmentId));
    await handle.terminate('test: restart the follow-up');
    await pokeTrainingFollowUps(temporal, [assignmentId]);
    await eventually(async () => ((await harness.client.workflow.getHandle(trainingWorkflowId(assignmentId)).describe()).status.name === 'RUNNING' ? true : undefined));
    await new Promise((resolve) => setTimeout(resolve, 2_000));

    expect(await stepsOf(assignmentId)).toEqual(['assigned', 'reminded', 'overdue']);
    expect((await dueAudits(conversationId)).map((entry) => entry.activity)).toEqual(['TRAINING_REMINDER', 'TRAINING_OVERDUE']);
    expect((await lifecycleSteps(conversationId)).map((step) => step.step)).toEqual(['training-assigned']);

    // A step told twice (a follow-up that lost its place) is recorded once by the lifecycle.
    const [first] = await harness.db.select().from(trainingEvents).where(eq(trainingEvents.assignmentId, assignmentId)).orderBy(trainingEvents.id).limit(1);
    await harness.client.workflow.getHandle(conversationWorkflowId(conversationId)).signal(trainingStepSignal, { assignmentId, eventId: first!.id, step: 'assigned', detail: {} });
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect((await lifecycleSteps(conversationId)).map((step) => step.step)).toEqual(['training-assigned']);
  });

  it('ends when the assignment is cancelled, and the lifecycle records why', async () => {
    const { assignmentId, conversationId } = await assignedFollowUp({ dueSeconds: 3600, reminderBeforeSeconds: 600 });
    await eventually(async () => ((await lifecycleSteps(conversationId)).length === 1 ? true : undefined));
    await cancelAssignment(harness.db, assignmentId, 'the agent moved to another team', AUDIT);
    await pokeTrainingFollowUps(temporal, [assignmentId]);
    const result: TrainingFollowUpResult = await harness.client.workflow.getHandle(trainingWorkflowId(assignmentId)).result();
    expect(result).toMatchObject({ assignmentId, ended: 'cancelled' });
    const steps = await lifecycleSteps(conversationId);
    expect(steps.map((step) => step.step)).toEqual(['training-assigned', 'training-cancelled']);
    expect(steps[1]!.detail).toMatchObject({ assignmentId, reason: 'the agent moved to another team' });
    expect(await stepsOf(assignmentId)).toEqual(['assigned', 'cancelled']);
  });
});
