import { eq } from 'drizzle-orm';
import { expect } from 'vitest';
import { reviews } from '../../src/db/schema/index.js';
import { reviewWorkflowId } from '../../src/workflows/review-follow-up.contract.js';
import { REVIEW_PLAN_RUN_WORKFLOW } from '../../src/workflows/review-plan-run.contract.js';
import { contactRecord } from '../support/contact-records.js';
import { eventually, uniqueId } from '../support/lifecycle.js';
import { activeQuestionnaire } from '../support/reviews.js';
import { lifecycleOf, type Scenario } from './scenario.js';

/**
 * A review from its plan run to a rejected dispute: the run, the review's follow-up through its reminder,
 * the overdue report and completion (its first run), the follow-up started again by the reveal and the
 * dispute (its last run), and the conversation's lifecycle recording the review's steps.
 */
export const REVIEW_SCENARIOS: Record<string, Scenario> = {
  async 'review-plan-run-overdue-dispute-rejected'(harness) {
    const key = uniqueId('replayReview');
    const manager = await harness.identityFor('cc-manager');
    const evaluatorGroup = uniqueId('replay-evaluators');
    const evaluator = await harness.identityFor('evaluator', { groupNames: [evaluatorGroup] });
    const agent = await harness.identityFor('agent');
    const questionnaireId = await activeQuestionnaire(harness, manager);
    const window = { start: new Date(Date.now() - 3600_000).toISOString(), end: new Date(Date.now() + 3600_000).toISOString() };
    const plan = await harness.as(manager.token).http('POST', '/v1/review-plans', {
      name: 'replay plan', questionnaireId, period: 'once', window, mode: 'all-matching', rule: { metadataKeys: [key] }, evaluatorGroup, dueAfterSeconds: 2, reminderBeforeSeconds: 1,
    });
    expect(plan.status, JSON.stringify(plan.body)).toBe(201);
    const now = new Date().toISOString();
    const posted = await harness.http('POST', '/v1/contact-records', contactRecord({ Agent: { Username: agent.username }, InitiationTimestamp: now, LastUpdateTimestamp: now, Attributes: { [key]: 'yes' } }));
    const conversationId: string = posted.body.results[0].conversationId;

    const runWorkflowId = `replay-review-plan-run-${plan.body.id}`;
    await harness.client.workflow.execute(REVIEW_PLAN_RUN_WORKFLOW, { workflowId: runWorkflowId, taskQueue: harness.taskQueue, args: [{ planId: plan.body.id }] });
    const [review] = await harness.db.select().from(reviews).where(eq(reviews.conversationId, conversationId));
    const followUp = harness.client.workflow.getHandle(reviewWorkflowId(review!.id));
    const firstRunId = (await followUp.describe()).runId;
    await eventually(async () => ((await harness.db.select().from(reviews).where(eq(reviews.id, review!.id)))[0]?.overdueAt ? true : undefined));

    const asEvaluator = harness.as(evaluator.token);
    const completed = await asEvaluator.http('POST', `/v1/reviews/${review!.id}/complete`, { answers: { greeting: { value: 'yes' }, suitability: { value: 'yes' } } });
    expect(completed.status, JSON.stringify(completed.body)).toBe(200);
    await harness.client.workflow.getHandle(reviewWorkflowId(review!.id), firstRunId).result();
    expect((await asEvaluator.http('PUT', `/v1/reviews/${review!.id}/reveal`, { revealed: true })).status).toBe(200);
    const disputed = await harness.as(agent.token).http('POST', `/v1/reviews/${review!.id}/disputes`, { comment: 'replay dispute' });
    expect(disputed.status, JSON.stringify(disputed.body)).toBe(201);
    const disputeId = disputed.body.id;
    const rejected = await harness.as(manager.token).http('POST', `/v1/reviews/${review!.id}/disputes/${disputeId}/resolution`, { resolution: 'rejected', comment: 'replay' });
    expect(rejected.status, JSON.stringify(rejected.body)).toBe(200);
    const last = await eventually(async () => {
      const description = await followUp.describe();
      return description.runId !== firstRunId && description.status.name === 'COMPLETED' ? description.runId : undefined;
    });
    await eventually(async () => {
      const steps = (await harness.client.workflow.getHandle(lifecycleOf(conversationId).workflowId).query('lifecycleState')) as { steps: { step: string }[] };
      return steps.steps.some((step) => step.step === 'review-dispute-rejected') ? true : undefined;
    });
    return [
      { workflowId: runWorkflowId },
      { workflowId: reviewWorkflowId(review!.id), runId: firstRunId, part: 'first' },
      { workflowId: reviewWorkflowId(review!.id), runId: last, part: 'last' },
      { ...lifecycleOf(conversationId), part: 'lifecycle' },
    ];
  },
};
