import { describe, expect, it } from 'vitest';
import { conversationWorkflowId } from '../../src/workflows/conversation-lifecycle.contract.js';
import { deleteScheduleId } from '../../src/workflows/delete-run.contract.js';
import { contactRecord } from '../support/contact-records.js';

import { ensureTags, eventually, lifecycleHarness, uniqueId } from '../support/lifecycle.js';

const { harness, deleteTasks } = await lifecycleHarness();

async function capture(scope: string): Promise<string> {
  const now = new Date().toISOString();
  const posted = await harness.http('POST', '/v1/contact-records', contactRecord({ InitiationTimestamp: now, LastUpdateTimestamp: now, Attributes: { runScope: scope } }));
  return posted.body.results[0].conversationId;
}

const retention = async (id: string) => (await harness.http('GET', `/v1/conversations/${id}/retention`)).body;

async function finishedRun(taskId: string, runId: string) {
  return eventually(async () => {
    const runs = (await harness.http('GET', `/v1/delete-tasks/${taskId}/runs`)).body.items as { id: string; finishedAt: string | null }[];
    const run = runs.find((candidate) => candidate.id === runId);
    return run?.finishedAt ? run : undefined;
  }, 60_000);
}

describe('a delete task run', () => {
  it('deletes what its lifecycles missed, keeps held and protected conversations, and reports why', async () => {
    const scope = uniqueId('run');
    const protecting = uniqueId('MIFID').toUpperCase().replace(/-/g, '_');
    await ensureTags(harness, [{ name: protecting, protectionYears: 5 }]);
    const [orphaned, held, tagged] = [await capture(scope), await capture(scope), await capture(scope)];
    await harness.http('POST', `/v1/conversations/${held}/legal-holds`, { reason: 'litigation' });
    await harness.http('POST', `/v1/conversations/${tagged}/tags`, { name: protecting, value: null });
    // A lifecycle lost to an operator's mistake: nothing would ever delete this conversation on its own.
    await harness.client.workflow.getHandle(conversationWorkflowId(orphaned)).terminate('simulated loss of the lifecycle');

    const task = await harness.http('POST', '/v1/delete-tasks', { name: 'run test', selection: { attribute: { key: 'runScope', value: scope } }, retentionSeconds: 1 });
    expect(task.status, JSON.stringify(task.body)).toBe(201);
    deleteTasks.push(task.body.id);
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    expect((await retention(orphaned)).status).not.toBe('deleted');

    const started = await harness.http('POST', `/v1/delete-tasks/${task.body.id}/runs`);
    expect(started.status).toBe(202);
    const run = await finishedRun(task.body.id, started.body.runId);
    expect(run).toMatchObject({ selected: 3, done: 1, skipped: 2, failed: 0 });
    expect((run as unknown as { report: { skippedReasons: Record<string, number> } }).report.skippedReasons).toEqual({
      'legal hold': 1,
      'protected (MiFID II tag or extension)': 1,
    });
    expect(await retention(orphaned)).toMatchObject({ status: 'deleted' });
    expect((await retention(held)).status).toBe('held');
    expect((await retention(tagged)).status).not.toBe('deleted');

    const ledger = (await harness.http('GET', `/v1/disposals?from=${new Date(Date.now() - 600_000).toISOString()}`)).body.items as { conversationId: string }[];
    expect(ledger.map((entry) => entry.conversationId)).toContain(orphaned);
  });

  it('does nothing while the task is paused, and says so in the run report', async () => {
    const scope = uniqueId('paused');
    const id = await capture(scope);
    const task = await harness.http('POST', '/v1/delete-tasks', { name: 'paused run', selection: { attribute: { key: 'runScope', value: scope } }, retentionSeconds: 1, enabled: false });
    deleteTasks.push(task.body.id);
    const started = await harness.http('POST', `/v1/delete-tasks/${task.body.id}/runs`);
    const run = await finishedRun(task.body.id, started.body.runId);
    expect(run).toMatchObject({ selected: 0, done: 0, report: { refused: 'delete task paused' } });
    expect((await retention(id)).status).not.toBe('deleted');

    const resumed = await harness.http('POST', `/v1/delete-tasks/${task.body.id}/resume`);
    expect(resumed.body.enabled).toBe(true);
    await eventually(async () => ((await retention(id)).status === 'deleted' ? true : undefined));
  });

  it('runs on a Temporal Schedule that follows the task: paused with it, gone when it is removed', async () => {
    const task = await harness.http('POST', '/v1/delete-tasks', { name: 'scheduled', selection: { attribute: { key: 'runScope', value: uniqueId('none') } }, retentionDays: 90, intervalSeconds: 1 });
    expect(task.body.intervalSeconds).toBe(1);
    const schedule = harness.client.schedule.getHandle(deleteScheduleId(task.body.id));
    const runs = await eventually(async () => {
      const items = (await harness.http('GET', `/v1/delete-tasks/${task.body.id}/runs`)).body.items as { finishedAt: string | null }[];
      return items.some((item) => item.finishedAt) ? items : undefined;
    });
    expect(runs[0]).toMatchObject({ selected: 0, failed: 0 });

    await harness.http('POST', `/v1/delete-tasks/${task.body.id}/pause`);
    expect((await schedule.describe()).state.paused).toBe(true);
    await harness.http('POST', `/v1/delete-tasks/${task.body.id}/resume`);
    expect((await schedule.describe()).state.paused).toBe(false);

    expect((await harness.http('DELETE', `/v1/delete-tasks/${task.body.id}`)).status).toBe(204);
    await expect(schedule.describe()).rejects.toThrow();
    expect((await harness.http('GET', `/v1/delete-tasks/${task.body.id}/runs`)).body.items.length).toBeGreaterThan(0);
  });
});
