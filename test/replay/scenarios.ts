import { expect } from 'vitest';
import { chatTranscript } from '../support/content-fixtures.js';
import { contactRecord } from '../support/contact-records.js';
import { callEvents, ensureTags, eventually, uniqueId } from '../support/lifecycle.js';
import { BACKGROUND_SCENARIOS } from './background-scenarios.js';
import { CAPTURE_SCENARIOS } from './capture-scenarios.js';
import { EXPORT_SCENARIOS } from './export-scenarios.js';
import { MEDIA_REMOVAL_SCENARIOS } from './media-removal-scenarios.js';
import { MINUTES_SCENARIOS } from './minutes-scenarios.js';
import { RECORDING_FETCH_SCENARIOS } from './recording-fetch-scenarios.js';
import { REVIEW_SCENARIOS } from './review-scenarios.js';
import { SEARCH_HOLD_RUN_SCENARIOS } from './search-hold-run-scenarios.js';
import { deletedEventually, lifecycleOf, type Scenario } from './scenario.js';
import { TRAINING_SCENARIOS } from './training-scenarios.js';
import { releaseHold } from '../support/legal-holds.js';

/** Lifecycles that exercise every handler, the retention loop and continue-as-new. */
const LIFECYCLE_SCENARIOS: Record<string, Scenario> = {
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
    await releaseHold(harness, `/v1/conversations/${conversationId}/legal-holds/${hold.body.holdId}/release`, 'replay');
    await deletedEventually(harness, conversationId);
    await harness.http('DELETE', `/v1/delete-tasks/${task.body.id}`);
    return [lifecycleOf(conversationId)];
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
    return [lifecycleOf(started.body.conversationId as string)];
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
    await releaseHold(harness, `/v1/legal-holds/${hold.body.holdGroupId}/release`, 'replay');
    await deletedEventually(harness, conversationId);
    await harness.http('DELETE', `/v1/delete-tasks/${task.body.id}`);
    return [lifecycleOf(conversationId)];
  },

  /** Anonymisation rotates the history: the first run ends in ContinuedAsNew, the second carries the state on to deletion. */
  async 'chat-anonymise-continue-as-new-delete'(harness) {
    const tag = uniqueId('REPLAY_ROTATE').toUpperCase().replace(/-/g, '_');
    await ensureTags(harness, [{ name: tag }]);
    const posted = await harness.http('POST', '/v1/chats', chatTranscript({ customerName: 'Replay Customer', agentName: 'Replay Agent', messages: [{ from: 'CUSTOMER', text: 'replay', at: new Date().toISOString() }] }));
    expect(posted.status, JSON.stringify(posted.body)).toBeLessThan(300);
    const conversationId: string = posted.body.conversationId;
    const { workflowId } = lifecycleOf(conversationId);
    await harness.http('POST', `/v1/conversations/${conversationId}/tags`, { name: tag, value: null });
    const firstRunId = (await harness.client.workflow.getHandle(workflowId).describe()).runId;

    const anonymised = await harness.http('POST', `/v1/conversations/${conversationId}/anonymisation`, { reason: 'replay erasure request' });
    expect(anonymised.body, JSON.stringify(anonymised.body)).toMatchObject({ anonymised: true });
    const secondRunId = await eventually(async () => {
      const { runId } = await harness.client.workflow.getHandle(workflowId).describe();
      return runId === firstRunId ? undefined : runId;
    });
    expect((await harness.client.workflow.getHandle(workflowId, firstRunId).describe()).status.name).toBe('CONTINUED_AS_NEW');

    // Tags outlive anonymisation, so a task selecting the tag still reaches the continued run.
    const task = await harness.http('POST', '/v1/delete-tasks', { name: 'replay rotate', selection: { tag: { name: tag } }, retentionSeconds: 1 });
    await deletedEventually(harness, conversationId);
    await harness.client.workflow.getHandle(workflowId, secondRunId).result();
    await harness.http('DELETE', `/v1/delete-tasks/${task.body.id}`);
    return [
      { workflowId, runId: firstRunId, part: 'run-1' },
      { workflowId, runId: secondRunId, part: 'run-2' },
    ];
  },
};

/**
 * Every scenario: their histories are saved by record-histories.test.ts and replayed by replay.test.ts
 * against the current workflow code, which must have a history of every workflow type.
 */
export const SCENARIOS: Record<string, Scenario> = { ...LIFECYCLE_SCENARIOS, ...BACKGROUND_SCENARIOS, ...REVIEW_SCENARIOS, ...TRAINING_SCENARIOS, ...EXPORT_SCENARIOS, ...RECORDING_FETCH_SCENARIOS, ...MEDIA_REMOVAL_SCENARIOS, ...CAPTURE_SCENARIOS, ...SEARCH_HOLD_RUN_SCENARIOS, ...MINUTES_SCENARIOS };
