import { describe, expect, it } from 'vitest';
import { conversationWorkflowId, lifecycleStateQuery } from '../../src/workflows/conversation-lifecycle.contract.js';
import { contactRecord } from '../support/contact-records.js';

import { eventually, lifecycleHarness, uniqueId } from '../support/lifecycle.js';
import { releaseHold } from '../support/legal-holds.js';

const { harness, deleteTasks } = await lifecycleHarness();

const retention = async (id: string) => (await harness.http('GET', `/v1/conversations/${id}/retention`)).body;

describe('a legal hold placed from a search', () => {
  it('protects every result until the group is released, then retention applies again', async () => {
    const scope = uniqueId('litigation');
    const now = new Date().toISOString();
    const ids: string[] = [];
    for (let i = 0; i < 3; i += 1) {
      const posted = await harness.http('POST', '/v1/contact-records', contactRecord({ InitiationTimestamp: now, LastUpdateTimestamp: now, Attributes: { matter: scope } }));
      ids.push(posted.body.results[0].conversationId);
    }
    const placed = await harness.http('POST', '/v1/legal-holds', { reason: 'matter 2026-118', reference: 'M-118', query: { [`attr.matter`]: scope } });
    expect(placed.status, JSON.stringify(placed.body)).toBe(201);
    expect(placed.body, 'a small search is in force by the answer').toMatchObject({ status: 'in_force', matched: 3, held: 3, failed: [] });
    const replayed = await harness.http('POST', '/v1/legal-holds', { reason: 'matter 2026-118', reference: 'M-118', query: { [`attr.matter`]: scope } });
    expect(replayed.body, 'a second search hold is a group of its own').toMatchObject({ matched: 3, held: 3 });
    for (const id of ids) {
      const steps = await eventually(async () => {
        const state = await harness.client.workflow.getHandle(conversationWorkflowId(id)).query(lifecycleStateQuery);
        const placedSteps = state.steps.filter((step) => step.step === 'legal-hold-placed');
        return placedSteps.length === 2 ? placedSteps : undefined;
      });
      expect(steps.map((step) => step.detail?.reason)).toEqual(['matter 2026-118', 'matter 2026-118']);
    }

    const task = await harness.http('POST', '/v1/delete-tasks', { name: 'search hold test', selection: { attribute: { key: 'matter', value: scope } }, retentionSeconds: 1 });
    deleteTasks.push(task.body.id);
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    for (const id of ids) {
      const plan = await retention(id);
      expect(plan).toMatchObject({ state: 'captured', status: 'held' });
      expect(plan.activeHolds[0].reason).toBe('matter 2026-118');
    }

    const released = await releaseHold(harness, `/v1/legal-holds/${placed.body.holdGroupId}/release`, 'matter settled');
    expect(released.body).toMatchObject({ status: 'approved', released: 3 });
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    for (const id of ids) expect((await retention(id)).status, 'the second group still holds').toBe('held');
    const releasedAgain = await releaseHold(harness, `/v1/legal-holds/${replayed.body.holdGroupId}/release`, 'matter settled');
    expect(releasedAgain.body).toMatchObject({ status: 'approved', released: 3 });
    expect((await harness.http('POST', `/v1/legal-holds/${replayed.body.holdGroupId}/release`, { reason: 'again' })).status).toBe(404);
    for (const id of ids) await eventually(async () => ((await retention(id)).status === 'deleted' ? true : undefined));
  });
});
