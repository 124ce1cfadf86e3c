import { inArray } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { conversations } from '../../src/db/schema/index.js';
import { RETENTION_REPLAN_WORKFLOW } from '../../src/workflows/retention-replan.contract.js';
import { contactRecord } from '../support/contact-records.js';

import { eventually, lifecycleHarness, uniqueId } from '../support/lifecycle.js';

const { harness, deleteTasks } = await lifecycleHarness();

async function capture(scope: string): Promise<string> {
  const posted = await harness.http('POST', '/v1/contact-records', contactRecord({ Attributes: { replanScope: scope } }));
  return posted.body.results[0].conversationId;
}

/** The mirrored plan of each conversation: the id of the delete task it is due under, or null. */
async function plannedTasks(ids: string[]): Promise<(string | null)[]> {
  const rows = await harness.db.select({ id: conversations.id, taskId: conversations.deleteTaskId }).from(conversations).where(inArray(conversations.id, ids));
  return ids.map((id) => rows.find((row) => row.id === id)?.taskId ?? null);
}

/** What the background re-plans for this task did, once all have finished, oldest first. */
async function finishedReplans(task: string, expected: number): Promise<number[]> {
  return eventually(async () => {
    const runs = [];
    for await (const execution of harness.client.workflow.list({ query: `WorkflowType = '${RETENTION_REPLAN_WORKFLOW}'` })) {
      if (execution.workflowId.startsWith(`retention-replan-${task}-`)) runs.push(execution);
    }
    if (runs.length < expected || runs.some((run) => run.status.name !== 'COMPLETED')) return undefined;
    runs.sort((a, b) => a.startTime.getTime() - b.startTime.getTime());
    return Promise.all(runs.map(async (run) => ((await harness.client.workflow.getHandle(run.workflowId, run.runId).result()) as { signalled: number }).signalled));
  });
}

describe('re-planning after a delete task changes', () => {
  it('reaches exactly the conversations the change can affect, in the background, and moves their plans', async () => {
    const [first, second] = [uniqueId('first'), uniqueId('second')];
    const firstIds = [await capture(first), await capture(first), await capture(first)];
    const secondIds = [await capture(second), await capture(second)];

    const created = await harness.http('POST', '/v1/delete-tasks', { name: 'replan test', selection: { attribute: { key: 'replanScope', value: first } }, retentionDays: 3650 });
    const id = created.body.id as string;
    deleteTasks.push(id);
    // Only the three it selects; none of the conversations of other tests, not the two of the other scope.
    expect(await finishedReplans(id, 1)).toEqual([3]);
    await eventually(async () => ((await plannedTasks(firstIds)).every((planned) => planned === id) ? true : undefined));
    expect(await plannedTasks(secondIds)).toEqual([null, null]);

    await harness.http('PUT', `/v1/delete-tasks/${id}`, { name: 'replan test', selection: { attribute: { key: 'replanScope', value: second } }, retentionDays: 3650 });
    // The three planned under the task before the change, and the two its new selection picks.
    expect(await finishedReplans(id, 2)).toEqual([3, 5]);
    await eventually(async () => ((await plannedTasks([...firstIds, ...secondIds])).join() === [null, null, null, id, id].join() ? true : undefined));
  });
});
