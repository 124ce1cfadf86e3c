import { inArray } from 'drizzle-orm';
import { expect } from 'vitest';
import { conversations } from '../../src/db/schema/index.js';
import type { ArchiveRunProgress } from '../../src/workflows/archive-run.contract.js';
import { AUDIT_CHECKPOINT_WORKFLOW, type AuditCheckpointResult } from '../../src/workflows/audit-checkpoint.contract.js';
import { conversationWorkflowId } from '../../src/workflows/conversation-lifecycle.contract.js';
import type { DeleteRunProgress } from '../../src/workflows/delete-run.contract.js';
import { legalHoldNotifyWorkflowId, type LegalHoldNotifyResult } from '../../src/workflows/legal-hold-notify.contract.js';
import { RETENTION_REPLAN_WORKFLOW, type RetentionReplanResult } from '../../src/workflows/retention-replan.contract.js';
import { RETENTION_SWEEP_WORKFLOW, type RetentionSweepProgress } from '../../src/workflows/retention-sweep.contract.js';
import { ensureNotificationDispatcher } from '../../src/temporal/schedules.js';
import { notificationsQueuedSignal } from '../../src/workflows/notification-dispatch.contract.js';
import { contactRecord } from '../support/contact-records.js';
import type { Harness } from '../support/harness.js';
import { ensureTags, eventually, uniqueId } from '../support/lifecycle.js';
import { deletedEventually, type Scenario } from './scenario.js';
import { releaseHold } from '../support/legal-holds.js';

/** A captured conversation carrying these attributes; its lifecycle waits out retention. */
async function capture(harness: Harness, attributes: Record<string, string>): Promise<string> {
  const now = new Date().toISOString();
  const posted = await harness.http('POST', '/v1/contact-records', contactRecord({ InitiationTimestamp: now, LastUpdateTimestamp: now, Attributes: attributes }));
  expect(posted.status, JSON.stringify(posted.body)).toBeLessThan(300);
  return posted.body.results[0].conversationId;
}

/** A lifecycle lost to an operator's mistake: signals to it fail, and only PostgreSQL still knows the conversation. */
async function loseLifecycle(harness: Harness, conversationId: string): Promise<void> {
  await harness.client.workflow.getHandle(conversationWorkflowId(conversationId)).terminate('replay scenario: simulated loss of the lifecycle');
}

async function createDeleteTask(harness: Harness, body: Record<string, unknown>): Promise<string> {
  const task = await harness.http('POST', '/v1/delete-tasks', body);
  expect(task.status, JSON.stringify(task.body)).toBe(201);
  return task.body.id;
}

/**
 * One run of each workflow the API, the schedules and the lifecycles start in the background, each taking
 * its failure paths too (a lifecycle that is gone), with only ids and counts in their histories.
 */
export const BACKGROUND_SCENARIOS: Record<string, Scenario> = {
  async 'delete-run-restarted-and-held'(harness) {
    const scope = uniqueId('replay-run');
    const [orphaned, held] = [await capture(harness, { runScope: scope }), await capture(harness, { runScope: scope })];
    await harness.http('POST', `/v1/conversations/${held}/legal-holds`, { reason: 'replay' });
    await loseLifecycle(harness, orphaned);
    const taskId = await createDeleteTask(harness, { name: 'replay run', selection: { attribute: { key: 'runScope', value: scope } }, retentionSeconds: 1 });
    await new Promise((resolve) => setTimeout(resolve, 1_500));

    const started = await harness.http('POST', `/v1/delete-tasks/${taskId}/runs`);
    expect(started.status).toBe(202);
    const progress: DeleteRunProgress = await harness.client.workflow.getHandle(started.body.runId).result();
    expect(progress).toMatchObject({ selected: 2, done: 1, skipped: 1, failed: 0, finished: true });
    await deletedEventually(harness, orphaned);
    await harness.http('DELETE', `/v1/delete-tasks/${taskId}`);
    return [{ workflowId: started.body.runId }];
  },

  async 'archive-run-archived-and-gone'(harness) {
    const tag = uniqueId('REPLAY_ARCHIVE').toUpperCase().replace(/-/g, '_');
    await ensureTags(harness, [{ name: tag }]);
    const [kept, gone] = [await capture(harness, {}), await capture(harness, {})];
    for (const id of [kept, gone]) await harness.http('POST', `/v1/conversations/${id}/tags`, { name: tag, value: 'replay' });
    await loseLifecycle(harness, gone);
    const task = await harness.http('POST', '/v1/archive-tasks', { name: 'replay archive', selection: { tag: { name: tag } }, destination: 'replay-drive' });
    expect(task.status, JSON.stringify(task.body)).toBe(201);

    const started = await harness.http('POST', `/v1/archive-tasks/${task.body.id}/runs`);
    expect(started.status).toBe(202);
    const progress: ArchiveRunProgress = await harness.client.workflow.getHandle(started.body.runId).result();
    expect(progress).toMatchObject({ selected: 2, done: 1, skipped: 1, failed: 0, finished: true });
    return [{ workflowId: started.body.runId }];
  },

  async 'retention-sweep-restarted-and-nudged'(harness) {
    const scope = uniqueId('replay-sweep');
    const [lost, stalled] = [await capture(harness, { sweepScope: scope }), await capture(harness, { sweepScope: `${scope}-stalled` })];
    await loseLifecycle(harness, lost);
    const taskId = await createDeleteTask(harness, { name: 'replay sweep', selection: { attribute: { key: 'sweepScope', value: scope } }, retentionSeconds: 1 });
    // Overdue in PostgreSQL: one lifecycle is gone, the other missed its wake-up.
    await harness.db.update(conversations).set({ deleteDueAt: new Date(Date.now() - 1000) }).where(inArray(conversations.id, [lost, stalled]));

    const workflowId = uniqueId('replay-retention-sweep');
    const progress: RetentionSweepProgress = await harness.client.workflow.execute(RETENTION_SWEEP_WORKFLOW, { workflowId, taskQueue: harness.taskQueue, args: [{ graceSeconds: 0 }] });
    expect(progress.restarted).toBeGreaterThanOrEqual(1);
    expect(progress.nudged).toBeGreaterThanOrEqual(1);
    await deletedEventually(harness, lost);
    await harness.http('DELETE', `/v1/delete-tasks/${taskId}`);
    return [{ workflowId }];
  },

  async 'retention-replan-signalled-and-gone'(harness) {
    const scope = uniqueId('replay-replan');
    const [, gone] = [await capture(harness, { replanScope: scope }), await capture(harness, { replanScope: scope })];
    await loseLifecycle(harness, gone);
    const taskId = await createDeleteTask(harness, { name: 'replay replan', selection: { attribute: { key: 'replanScope', value: scope } }, retentionDays: 3650 });

    // The API started a re-plan of its own; this one has an id the scenario knows.
    const workflowId = `retention-replan-${taskId}-replay`;
    const result: RetentionReplanResult = await harness.client.workflow.execute(RETENTION_REPLAN_WORKFLOW, { workflowId, taskQueue: harness.taskQueue, args: [{ taskId }] });
    expect(result).toEqual({ taskId, signalled: 1 });
    await harness.http('DELETE', `/v1/delete-tasks/${taskId}`);
    return [{ workflowId }];
  },

  async 'legal-hold-notify-placed-released'(harness) {
    const scope = uniqueId('replay-matter');
    const [, gone] = [await capture(harness, { matter: scope }), await capture(harness, { matter: scope })];
    await loseLifecycle(harness, gone);
    const placed = await harness.http('POST', '/v1/legal-holds', { reason: 'replay', reference: null, query: { 'attr.matter': scope } });
    expect(placed.body, JSON.stringify(placed.body)).toMatchObject({ matched: 2, held: 2, failed: [] });
    const holdGroupId: string = placed.body.holdGroupId;
    const placedId = legalHoldNotifyWorkflowId(holdGroupId, 'placed');
    const afterPlacing: LegalHoldNotifyResult = await harness.client.workflow.getHandle(placedId).result();
    expect(afterPlacing).toEqual({ holdGroupId, signalled: 1, unreachable: 1 });

    const released = await releaseHold(harness, `/v1/legal-holds/${holdGroupId}/release`, 'replay');
    expect(released.status, JSON.stringify(released.body)).toBeLessThan(300);
    const releasedId = legalHoldNotifyWorkflowId(holdGroupId, 'released');
    const afterReleasing: LegalHoldNotifyResult = await harness.client.workflow.getHandle(releasedId).result();
    expect(afterReleasing).toEqual({ holdGroupId, signalled: 1, unreachable: 1 });
    return [
      { workflowId: placedId, part: 'placed' },
      { workflowId: releasedId, part: 'released' },
    ];
  },

  async 'audit-checkpoint'(harness) {
    const workflowId = uniqueId('replay-audit-checkpoint');
    const result: AuditCheckpointResult = await harness.client.workflow.execute(AUDIT_CHECKPOINT_WORKFLOW, { workflowId, taskQueue: harness.taskQueue, args: [] });
    expect(result.checkpoint.hash).toMatch(/^[0-9a-f]{64}$/);
    return [{ workflowId }];
  },

  /** The dispatcher polls, is poked between polls, and is stopped (it never ends on its own). */
  async 'notification-dispatch-polled-and-poked'(harness) {
    const workflowId = await ensureNotificationDispatcher(harness.client, harness.taskQueue, { pollSeconds: 1 });
    const handle = harness.client.workflow.getHandle(workflowId);
    const rounds = async () => (await handle.fetchHistory()).events?.filter((event) => event.activityTaskCompletedEventAttributes).length ?? 0;
    await eventually(async () => ((await rounds()) >= 2 ? true : undefined));
    await handle.signal(notificationsQueuedSignal);
    await eventually(async () => ((await rounds()) >= 4 ? true : undefined));
    await handle.terminate('replay scenario: recorded');
    return [{ workflowId }];
  },
};
