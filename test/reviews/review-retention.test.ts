import { and, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { auditLog, reviewEvents, reviews } from '../../src/db/schema/index.js';
import { conversationWorkflowId, lifecycleStateQuery } from '../../src/workflows/conversation-lifecycle.contract.js';
import { contactRecord } from '../support/contact-records.js';
import type { Identity } from '../support/identities.js';
import { eventually, lifecycleHarness, uniqueId } from '../support/lifecycle.js';
import { activeQuestionnaire } from '../support/reviews.js';
import { deletedEventually } from '../replay/scenario.js';

/**
 * A review is part of its conversation's lifecycle: the lifecycle records its steps, an open review keeps
 * the conversation past its retention window ("open review"), and the completed review outlives the
 * deletion with a tombstone. Its follow-up reminds and reports it overdue on time.
 */
const { harness, deleteTasks } = await lifecycleHarness();

/** A conversation with its own attribute key, and a one-off plan that reviews exactly it. */
async function reviewedConversation(options: { dueAfterSeconds: number; reminderBeforeSeconds?: number; retentionSeconds?: number }) {
  const key = uniqueId('reviewScope');
  const manager = await harness.identityFor('cc-manager');
  const evaluatorGroup = uniqueId('evaluators');
  const evaluator = await harness.identityFor('evaluator', { groupNames: [evaluatorGroup] });
  if (options.retentionSeconds) {
    const task = await harness.http('POST', '/v1/delete-tasks', { name: uniqueId('review retention'), selection: { attribute: { key, value: 'yes' } }, retentionSeconds: options.retentionSeconds });
    expect(task.status, JSON.stringify(task.body)).toBe(201);
    deleteTasks.push(task.body.id);
  }
  const questionnaireId = await activeQuestionnaire(harness, manager);
  const plan = await harness.as(manager.token).http('POST', '/v1/review-plans', {
    name: uniqueId('one-off'),
    questionnaireId,
    period: 'once',
    window: { start: new Date(Date.now() - 3600_000).toISOString(), end: new Date(Date.now() + 3600_000).toISOString() },
    mode: 'all-matching',
    rule: { metadataKeys: [key] },
    evaluatorGroup,
    dueAfterSeconds: options.dueAfterSeconds,
    reminderBeforeSeconds: options.reminderBeforeSeconds ?? null,
  });
  expect(plan.status, JSON.stringify(plan.body)).toBe(201);
  // Captured last, so its retention window starts just before the run selects it.
  const now = new Date().toISOString();
  const posted = await harness.http('POST', '/v1/contact-records', contactRecord({ Agent: { Username: uniqueId('agent') }, InitiationTimestamp: now, LastUpdateTimestamp: now, Attributes: { [key]: 'yes' } }));
  const conversationId: string = posted.body.results[0].conversationId;
  const run = await harness.as(manager.token).http('POST', `/v1/review-plans/${plan.body.id}/runs`, {});
  expect(run.body.report.selected, JSON.stringify(run.body)).toBe(1);
  const [review] = await harness.db.select().from(reviews).where(eq(reviews.conversationId, conversationId));
  return { conversationId, review: review!, evaluator, manager };
}

const lifecycleSteps = async (conversationId: string) =>
  (await harness.client.workflow.getHandle(conversationWorkflowId(conversationId)).query(lifecycleStateQuery)).steps.map((step) => step.step);

async function complete(reviewId: string, evaluator: Identity) {
  const answer = await harness.as(evaluator.token).http('POST', `/v1/reviews/${reviewId}/complete`, { answers: { greeting: { value: 'yes' }, suitability: { value: 'no' } } });
  expect(answer.status, JSON.stringify(answer.body)).toBe(200);
}

describe('a review in its conversation’s lifecycle', () => {
  it('keeps the conversation past its window while open ("open review"), deletes it once completed, and the review survives with the tombstone', async () => {
    const { conversationId, review, evaluator } = await reviewedConversation({ dueAfterSeconds: 3600, retentionSeconds: 3 });
    await eventually(async () => ((await lifecycleSteps(conversationId)).includes('review-selected') ? true : undefined));

    // Well past the three-second window, the open review keeps it, and the retention overview says so.
    await new Promise((resolve) => setTimeout(resolve, 5_000));
    const kept = await harness.http('GET', `/v1/conversations/${conversationId}/retention`);
    expect(kept.body.status, JSON.stringify(kept.body)).not.toBe('deleted');
    expect(kept.body.reasons[0]).toMatchObject({ code: 'open-review', reviewIds: [review.id] });

    await complete(review.id, evaluator);
    await deletedEventually(harness, conversationId);
    expect(await lifecycleSteps(conversationId)).toEqual(expect.arrayContaining(['review-selected', 'review-completed', 'deleted']));

    const after = await harness.as((await harness.identityFor('cc-manager')).token).http('GET', `/v1/reviews/${review.id}`);
    expect(after.status).toBe(200);
    expect(after.body.status).toBe('completed');
    expect(after.body.score.percent).toBe(50);
    expect(after.body.conversation).toMatchObject({ id: conversationId, deleted: true });
    expect(after.body.conversation.deletedAt).toEqual(expect.any(String));
  });

  it('reminds the evaluator before the due time and reports the review overdue after it', async () => {
    const { conversationId, review } = await reviewedConversation({ dueAfterSeconds: 3, reminderBeforeSeconds: 2 });
    const marked = await eventually(async () => {
      const [row] = await harness.db.select().from(reviews).where(eq(reviews.id, review.id));
      return row?.overdueAt ? row : undefined;
    }, 20_000);
    expect(marked.remindedAt).not.toBeNull();
    expect(marked.remindedAt!.getTime()).toBeLessThan(marked.overdueAt!.getTime());
    expect(marked.overdueAt!.getTime()).toBeGreaterThanOrEqual(marked.dueAt!.getTime());
    const steps = await harness.db.select().from(reviewEvents).where(eq(reviewEvents.reviewId, review.id));
    expect(steps.map((step) => step.step)).toEqual(['selected', 'assigned', 'reminded', 'overdue']);
    expect(steps.at(-1)!.detail).toMatchObject({ evaluatorId: review.evaluatorId, planId: review.planId, planOwnerId: expect.any(String) });
    const audited = await harness.db.select().from(auditLog).where(and(eq(auditLog.activity, 'REVIEW_OVERDUE'), eq(auditLog.conversationId, conversationId)));
    expect(audited).toHaveLength(1);
    expect(audited[0]!.details).toMatchObject({ reviewId: review.id });
  });
});
