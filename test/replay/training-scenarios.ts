import { eq } from 'drizzle-orm';
import { expect } from 'vitest';
import { pokeTrainingFollowUps } from '../../src/api/training-follow-up-client.js';
import { trainingAssignments } from '../../src/db/schema/index.js';
import { trainingPackDefinitionSchema } from '../../src/domain/training-pack.js';
import { submitAttempt } from '../../src/training/training-attempts.js';
import { createTrainingPack } from '../../src/training/training-packs.js';
import { trainingWorkflowId } from '../../src/workflows/training-follow-up.contract.js';
import { eventually, uniqueId } from '../support/lifecycle.js';
import { activeQuestionnaire, captureConversation, createReview, SIMPLE_QUESTIONNAIRE } from '../support/reviews.js';
import { lifecycleOf, type Scenario } from './scenario.js';

const SETUP = { actor: { type: 'system' as const, id: 'replay', username: 'replay', fullName: 'Replay recorder' }, correlationId: 'replay-training' };

/**
 * A review in a "needs training" tier gives the tier's pack; its follow-up reminds the trainee, is told of
 * a failed attempt and the re-assignment (a new due time and a second reminder), then of the pass, and
 * ends; the conversation's lifecycle records the training steps.
 */
export const TRAINING_SCENARIOS: Record<string, Scenario> = {
  async 'training-follow-up-reminded-failed-passed'(harness) {
    const manager = await harness.identityFor('cc-manager');
    const evaluator = await harness.identityFor('evaluator');
    const agent = await harness.identityFor('agent', { groupNames: [uniqueId('replay-team')] });
    const pack = await createTrainingPack(
      harness.db,
      harness.media,
      {
        name: uniqueId('replay pack'),
        description: '',
        purpose: 'performance',
        assignOnAgentCreation: false,
        state: 'active',
        dueAfterSeconds: 4,
        reminderBeforeSeconds: 3,
        definition: trainingPackDefinitionSchema.parse({
          instructions: 'Disclose the recording first.',
          quiz: {
            questions: [{ id: 'q1', text: 'When?', kind: 'single', options: [{ id: 'start', text: 'At the start' }, { id: 'end', text: 'At the end' }], correct: ['start'] }],
            passMarkPercent: 100,
            attemptsAllowed: 2,
          },
        }),
      },
      SETUP,
    );
    const [failTier, ...tiers] = SIMPLE_QUESTIONNAIRE.tiers;
    const questionnaireId = await activeQuestionnaire(harness, manager, { tiers: [{ ...failTier, trainingPackId: pack.pack.id }, ...tiers] });
    const conversationId = await captureConversation(harness, agent.username);
    const review = await createReview(harness, manager, { conversationId, questionnaireId, evaluatorId: evaluator.userId });
    const completed = await harness.as(evaluator.token).http('POST', `/v1/reviews/${review.id}/complete`, { answers: { greeting: { value: 'no' }, suitability: { value: 'no' } } });
    expect(completed.status, JSON.stringify(completed.body)).toBe(200);

    const assignmentOf = async () => (await harness.db.select().from(trainingAssignments).where(eq(trainingAssignments.reviewId, review.id)))[0];
    const assignment = await eventually(async () => ((await assignmentOf())?.remindedAt ? assignmentOf() : undefined), 20_000);
    const temporal = { temporal: { client: harness.client, taskQueue: harness.taskQueue } };
    const trainee = { userId: agent.userId };
    const asAgent = { actor: { type: 'user' as const, id: agent.userId, username: agent.username, fullName: agent.username }, correlationId: uniqueId('replay-attempt') };

    const failed = await submitAttempt(harness.db, assignment!.id, { answers: { q1: ['end'] } }, trainee, asAgent);
    expect(failed.assignment.status).toBe('assigned');
    await pokeTrainingFollowUps(temporal, [assignment!.id]);
    await eventually(async () => ((await assignmentOf())?.remindedAt ? true : undefined), 20_000);
    const passed = await submitAttempt(harness.db, assignment!.id, { answers: { q1: ['start'] } }, trainee, asAgent);
    expect(passed.assignment.status).toBe('passed');
    await pokeTrainingFollowUps(temporal, [assignment!.id]);
    const result = await harness.client.workflow.getHandle(trainingWorkflowId(assignment!.id)).result();
    expect(result).toMatchObject({ ended: 'passed' });
    await eventually(async () => {
      const state = (await harness.client.workflow.getHandle(lifecycleOf(conversationId).workflowId).query('lifecycleState')) as { steps: { step: string }[] };
      return state.steps.some((step) => step.step === 'training-passed') ? true : undefined;
    });
    return [{ workflowId: trainingWorkflowId(assignment!.id) }, { ...lifecycleOf(conversationId), part: 'lifecycle' }];
  },
};
