import { expect } from 'vitest';
import { contactRecord } from '../support/contact-records.js';
import { ensureTags, eventually, uniqueId } from '../support/lifecycle.js';
import { deletedEventually, lifecycleOf, type Scenario } from './scenario.js';

/** Capture by reference: the updates carry the held record's digest and keys, never the record itself. */
export const CAPTURE_SCENARIOS: Record<string, Scenario> = {
  async 'contact-record-by-reference-anonymise-delete'(harness) {
    const tag = uniqueId('REPLAY_BYREF').toUpperCase().replace(/-/g, '_');
    await ensureTags(harness, [{ name: tag }]);
    const now = Date.now();
    const record = contactRecord({ InitiationTimestamp: new Date(now).toISOString(), LastUpdateTimestamp: new Date(now).toISOString() });
    const posted = await harness.http('POST', '/v1/contact-records', record);
    expect(posted.body.results[0]?.status, JSON.stringify(posted.body)).toBe('created');
    const conversationId: string = posted.body.results[0].conversationId;
    const newer = { ...record, LastUpdateTimestamp: new Date(now + 1000).toISOString() };
    expect((await harness.http('POST', '/v1/contact-records', [newer, newer])).body.results.map((result: { status: string }) => result.status).sort()).toEqual(['duplicate', 'updated']);
    expect((await harness.http('POST', '/v1/contact-records', record)).body.results[0]?.status).toBe('stale');
    await harness.http('POST', `/v1/conversations/${conversationId}/tags`, { name: tag, value: null });
    const { workflowId } = lifecycleOf(conversationId);
    const firstRunId = (await harness.client.workflow.getHandle(workflowId).describe()).runId;

    const anonymised = await harness.http('POST', `/v1/conversations/${conversationId}/anonymisation`, { reason: 'replay erasure request' });
    expect(anonymised.body, JSON.stringify(anonymised.body)).toMatchObject({ anonymised: true });
    const secondRunId = await eventually(async () => {
      const { runId } = await harness.client.workflow.getHandle(workflowId).describe();
      return runId === firstRunId ? undefined : runId;
    });

    const task = await harness.http('POST', '/v1/delete-tasks', { name: 'replay by reference', selection: { tag: { name: tag } }, retentionSeconds: 1 });
    await deletedEventually(harness, conversationId);
    await harness.client.workflow.getHandle(workflowId, secondRunId).result();
    await harness.http('DELETE', `/v1/delete-tasks/${task.body.id}`);
    return [
      { workflowId, runId: firstRunId, part: 'run-1' },
      { workflowId, runId: secondRunId, part: 'run-2' },
    ];
  },
};
