import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { conversationWorkflowId, lifecycleStateQuery } from '../../src/workflows/conversation-lifecycle.contract.js';
import { MAX_KEPT_STEPS } from '../../src/workflows/lifecycle/steps.js';
import { contactRecord } from '../support/contact-records.js';
import { createHarness, type Harness } from '../support/harness.js';
import { ensureTags } from '../support/lifecycle.js';

let harness: Harness;
beforeAll(async () => {
  harness = await createHarness();
  await ensureTags(harness, [{ name: 'BOUNDED_STATE' }]);
});
afterAll(async () => {
  await harness?.close();
});

describe("a lifecycle's state", () => {
  it('keeps only the latest steps, counting the ones it dropped, while the audit log keeps them all', async () => {
    const posted = await harness.http('POST', '/v1/contact-records', contactRecord());
    const conversationId: string = posted.body.results[0].conversationId;
    const rounds = 30;
    for (let round = 0; round < rounds; round += 1) {
      expect((await harness.http('POST', `/v1/conversations/${conversationId}/tags`, { name: 'BOUNDED_STATE', value: String(round) })).status).toBe(200);
      expect((await harness.http('DELETE', `/v1/conversations/${conversationId}/tags/BOUNDED_STATE`)).status).toBe(200);
    }
    const state = await harness.client.workflow.getHandle(conversationWorkflowId(conversationId)).query(lifecycleStateQuery);
    const recorded = 1 + rounds * 2;
    expect(state.steps).toHaveLength(MAX_KEPT_STEPS);
    expect(state.stepsDropped).toBe(recorded - MAX_KEPT_STEPS);
    expect(state.steps.at(-1)?.step).toMatch(/untag/);
    expect(state.archiveCopies).toBeUndefined();

    const trace = await harness.http('GET', `/v1/conversations/${conversationId}/trace`, undefined, { authorization: `Bearer ${await harness.tokenFor('auditor')}` });
    const tagEntries = (trace.body.steps as { audit: { activity: string; phase: string; result: string | null } | null }[]).filter(
      (step) => step.audit?.activity === 'CONVERSATION_EVENT_TAG_ADD' && step.audit.phase !== 'BEGIN',
    );
    expect(tagEntries.length).toBeGreaterThanOrEqual(rounds);
  });
});
