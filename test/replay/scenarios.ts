import { expect } from 'vitest';
import { chatTranscript } from '../capture/support.js';
import { contactRecord } from '../support/contact-records.js';
import type { Harness } from '../support/harness.js';
import { callEvents, ensureTags, eventually, uniqueId } from '../support/lifecycle.js';

/**
 * Lifecycles that exercise every handler and the retention loop; their histories are saved by
 * record-histories.test.ts and replayed by replay.test.ts against the current workflow code.
 */
export const SCENARIOS: Record<string, (harness: Harness) => Promise<string>> = {
  async 'contact-record-tag-hold-release-delete'(harness) {
    await ensureTags(harness, [{ name: 'REPLAY_TOPIC' }]);
    const scope = uniqueId('replay');
    const task = await harness.http('POST', '/v1/delete-tasks', { name: 'replay', selection: { attribute: { key: 'retentionScope', value: scope } }, retentionSeconds: 3 });
    const now = new Date().toISOString();
    const record = contactRecord({ InitiationTimestamp: now, LastUpdateTimestamp: now, Attributes: { retentionScope: scope } });
    const posted = await harness.http('POST', '/v1/contact-records', record);
    const conversationId: string = posted.body.results[0].conversationId;
    await harness.http('POST', '/v1/contact-records', { ...record, LastUpdateTimestamp: new Date(Date.now() + 1000).toISOString() });
    await harness.http('POST', `/v1/conversations/${conversationId}/tags`, { name: 'REPLAY_TOPIC', value: 'a' });
    await harness.http('DELETE', `/v1/conversations/${conversationId}/tags/REPLAY_TOPIC`);
    const hold = await harness.http('POST', `/v1/conversations/${conversationId}/legal-holds`, { reason: 'replay' });
    await harness.http('POST', `/v1/conversations/${conversationId}/retention-extensions`, { until: new Date(Date.now() + 2000).toISOString(), reason: 'replay' });
    await harness.http('POST', `/v1/conversations/${conversationId}/legal-holds/${hold.body.holdId}/release`, { reason: 'replay' });
    await eventually(async () => ((await harness.http('GET', `/v1/conversations/${conversationId}/retention`)).body.status === 'deleted' ? true : undefined));
    await harness.http('DELETE', `/v1/delete-tasks/${task.body.id}`);
    return conversationId;
  },

  async 'live-call-hold-consult-tags'(harness) {
    await ensureTags(harness, [{ name: 'TAG_API' }, { name: 'TAG_CCE' }]);
    const callId = uniqueId('replay-call');
    const event = callEvents(callId);
    const post = (body: unknown) => harness.http('POST', `/v1/calls/${callId}/events`, body);
    const started = await post(event('started', { customer: '+441000', agent: '2178', direction: 'inbound', externalData: { desk: 'fx' } }));
    expect(started.status).toBe(200);
    await harness.http('POST', `/v1/calls/${callId}/tags`, { name: 'TAG_API', value: '1' });
    await post([event('external-data', { tags: { TAG_CCE: '1' } }), event('consent', { given: true }), event('held')]);
    await harness.http('POST', `/v1/calls/${callId}/tags`, { name: 'TAG_API' });
    await post([event('resumed'), event('consult-started', { to: '2180' }), event('consult-completed')]);
    await harness.http('DELETE', `/v1/calls/${callId}/tags/TAG_API`);
    await post(event('ended'));
    return started.body.conversationId as string;
  },

  async 'chat-search-hold-anonymise-refused-release-delete'(harness) {
    const tag = uniqueId('REPLAY_CHAT').toUpperCase().replace(/-/g, '_');
    await ensureTags(harness, [{ name: tag }]);
    const word = uniqueId('replayword').replace(/-/g, '');
    const now = new Date().toISOString();
    const posted = await harness.http('POST', '/v1/chats', chatTranscript({ customerName: 'Replay Customer', agentName: 'Replay Agent', messages: [{ from: 'CUSTOMER', text: `sell ${word}`, at: now }] }));
    expect(posted.status, JSON.stringify(posted.body)).toBeLessThan(300);
    const conversationId: string = posted.body.conversationId;
    await harness.http('POST', `/v1/conversations/${conversationId}/tags`, { name: tag, value: null });
    const task = await harness.http('POST', '/v1/delete-tasks', { name: 'replay chat', selection: { tag: { name: tag } }, retentionSeconds: 2 });
    const hold = await harness.http('POST', '/v1/legal-holds', { reason: 'replay', reference: null, query: { q: word } });
    expect(hold.body).toMatchObject({ held: 1 });
    const refused = await harness.http('POST', `/v1/conversations/${conversationId}/anonymisation`, { reason: 'replay erasure request' });
    expect(refused.status).toBe(409);
    expect(refused.body.detail).toMatch(/legal hold/);
    await harness.http('POST', `/v1/legal-holds/${hold.body.holdGroupId}/release`, { reason: 'replay' });
    await eventually(async () => ((await harness.http('GET', `/v1/conversations/${conversationId}/retention`)).body.status === 'deleted' ? true : undefined));
    await harness.http('DELETE', `/v1/delete-tasks/${task.body.id}`);
    return conversationId;
  },
};
