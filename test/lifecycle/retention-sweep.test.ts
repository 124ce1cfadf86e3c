import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { conversations } from '../../src/db/schema/index.js';
import { conversationWorkflowId } from '../../src/workflows/conversation-lifecycle.contract.js';
import { RETENTION_SWEEP_WORKFLOW, type RetentionSweepProgress } from '../../src/workflows/retention-sweep.contract.js';
import { contactRecord } from '../support/contact-records.js';

import { eventually, lifecycleHarness, uniqueId } from '../support/lifecycle.js';

const { harness, deleteTasks } = await lifecycleHarness();

describe('the retention sweep (the delete tasks scheduled run)', () => {
  it('restarts a lifecycle that went missing, from PostgreSQL, and the conversation is then deleted on time', async () => {
    const scope = uniqueId('sweep');
    const now = new Date().toISOString();
    const posted = await harness.http('POST', '/v1/contact-records', contactRecord({ InitiationTimestamp: now, LastUpdateTimestamp: now, Attributes: { retentionScope: scope } }));
    const conversationId: string = posted.body.results[0].conversationId;
    // The lifecycle is lost (terminated by an operator's mistake) before any delete task applied.
    await harness.client.workflow.getHandle(conversationWorkflowId(conversationId)).terminate('simulated loss');
    const task = await harness.http('POST', '/v1/delete-tasks', { name: 'sweep test', selection: { attribute: { key: 'retentionScope', value: scope } }, retentionSeconds: 1 });
    deleteTasks.push(task.body.id);
    // The due date exists only in PostgreSQL now (as the planner would have mirrored it).
    await harness.db.update(conversations).set({ deleteDueAt: new Date(Date.now() - 1000) }).where(eq(conversations.id, conversationId));

    const progress: RetentionSweepProgress = await harness.client.workflow.execute(RETENTION_SWEEP_WORKFLOW, {
      workflowId: uniqueId('sweep-run'),
      taskQueue: harness.taskQueue,
      args: [{ graceSeconds: 0 }],
    });
    expect(progress.restarted).toBeGreaterThanOrEqual(1);
    await eventually(async () => ((await harness.http('GET', `/v1/conversations/${conversationId}/retention`)).body.status === 'deleted' ? true : undefined));
  });
});
