import { and, eq, gt } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog, conversationTags } from '../../src/db/schema/index.js';
import { createHarness, type Harness } from '../support/harness.js';
import { callEvents, ensureTags, uniqueId } from '../support/lifecycle.js';

/**
 * The seed's "Call Flow Examples and Call Tagging" tables, played as live call events through the API
 * and the real Temporal server. Each source is one column: recording rules (TAG), API (TAG_API), agent
 * desktop / Finesse gadget (TAG_FIN), and contact-center external data / UCCE IM (TAG_CCE).
 */
let harness: Harness;
const ruleIds: string[] = [];

beforeAll(async () => {
  harness = await createHarness();
  await ensureTags(harness, [{ name: 'TAG' }, { name: 'TAG_API' }, { name: 'TAG_FIN' }, { name: 'TAG_CCE' }]);
  // The seed's example: rule 1 records 2180 without a tag, rule 2 records 2178 with TAG.
  for (const rule of [
    { name: 'seed rule 1: record 2180', position: 1, match: { type: 'phone', pattern: '2180' }, action: 'record', tag: null },
    { name: 'seed rule 2: record 2178 with TAG', position: 2, match: { type: 'phone', pattern: '2178' }, action: 'record', tag: { name: 'TAG' } },
  ]) {
    const created = await harness.http('POST', '/v1/recording-rules', rule);
    expect(created.status).toBe(201);
    ruleIds.push(created.body.id);
  }
});

afterAll(async () => {
  for (const id of ruleIds) await harness.http('DELETE', `/v1/recording-rules/${id}`);
  await harness?.close();
});

type Step = ['event', string, Record<string, unknown>?] | ['tag', 'api' | 'agent-desktop' | 'cce', string | null];

async function play(steps: Step[]): Promise<{ callId: string; segments: string[][]; conversationId: string }> {
  const callId = uniqueId('call');
  const event = callEvents(callId);
  for (const [kind, a, b] of steps) {
    if (kind === 'event') {
      const response = await harness.http('POST', `/v1/calls/${callId}/events`, event(a, b ?? {}));
      expect(response.status, JSON.stringify(response.body)).toBe(200);
    } else if (a === 'cce') {
      const response = await harness.http('POST', `/v1/calls/${callId}/events`, event('external-data', { tags: { TAG_CCE: b } }));
      expect(response.status).toBe(200);
    } else {
      const name = a === 'api' ? 'TAG_API' : 'TAG_FIN';
      const response = await harness.http('POST', `/v1/calls/${callId}/tags`, { name, value: b, source: a });
      expect(response.status, JSON.stringify(response.body)).toBe(200);
    }
  }
  const call = await harness.http('GET', `/v1/calls/${callId}`);
  expect(call.status).toBe(200);
  const segments = (call.body.segments as { tags: { name: string; value: string | null }[] }[]).map((segment) =>
    segment.tags.map((tag) => (tag.value === null ? tag.name : `${tag.name}=${tag.value}`)).sort(),
  );
  return { callId, segments, conversationId: call.body.conversationId };
}

const start: Step = ['event', 'started', { customer: '+441234567890', agent: '2178', direction: 'inbound' }];
const allSources = (value: string | null): Step[] => [['tag', 'api', value], ['tag', 'agent-desktop', value], ['tag', 'cce', value]];
const row = (...tags: string[]) => tags.sort();

describe('the seed call-flow tables, source by source', () => {
  it('basic call: one segment with every source', async () => {
    const { segments } = await play([start, ...allSources(null), ['event', 'ended']]);
    expect(segments).toEqual([row('TAG', 'TAG_API', 'TAG_FIN', 'TAG_CCE')]);
  });

  it('hold, tags before hold: rule tag on both segments, contact-center tag follows the call, manual tags stay', async () => {
    const { segments } = await play([start, ...allSources(null), ['event', 'held'], ['event', 'resumed'], ['event', 'ended']]);
    expect(segments).toEqual([row('TAG', 'TAG_API', 'TAG_FIN', 'TAG_CCE'), row('TAG', 'TAG_CCE')]);
  });

  it('hold, tags after hold: only the second segment carries them', async () => {
    const { segments } = await play([start, ['event', 'held'], ['event', 'resumed'], ...allSources(null), ['event', 'ended']]);
    expect(segments).toEqual([row('TAG'), row('TAG', 'TAG_API', 'TAG_FIN', 'TAG_CCE')]);
  });

  it('blind transfer 2178 → 2180: rule 1 matches the second segment, only TAG_CCE follows', async () => {
    const { segments } = await play([start, ...allSources(null), ['event', 'transferred', { to: '2180' }], ['event', 'ended']]);
    expect(segments).toEqual([row('TAG', 'TAG_API', 'TAG_FIN', 'TAG_CCE'), row('TAG_CCE')]);
  });

  it('consult transfer: three segments, the consultation untagged by every source', async () => {
    const { segments } = await play([
      start,
      ...allSources(null),
      ['event', 'consult-started', { to: '2180' }],
      ['event', 'consult-completed'],
      ['event', 'ended'],
    ]);
    expect(segments).toEqual([row('TAG', 'TAG_API', 'TAG_FIN', 'TAG_CCE'), row(), row('TAG_CCE')]);
  });

  it('hold with updating tags: =1 then =2 before hold, =3 after', async () => {
    const { segments, conversationId } = await play([
      start,
      ...allSources('1'),
      ...allSources('2'),
      ['event', 'held'],
      ['event', 'resumed'],
      ...allSources('3'),
      ['event', 'ended'],
    ]);
    expect(segments).toEqual([row('TAG', 'TAG_API=2', 'TAG_FIN=2', 'TAG_CCE=2'), row('TAG', 'TAG_API=3', 'TAG_FIN=3', 'TAG_CCE=3')]);

    // The searchable mirror holds the same, and every change is audited.
    const mirrored = await harness.db
      .select()
      .from(conversationTags)
      .where(and(eq(conversationTags.conversationId, conversationId), gt(conversationTags.segmentIndex, 0)));
    expect(mirrored.filter((tag) => tag.name === 'TAG_API').map((tag) => `${tag.segmentIndex}:${tag.value}`).sort()).toEqual(['1:2', '2:3']);
    const audited = await harness.db.select().from(auditLog).where(eq(auditLog.conversationId, conversationId));
    const apiChanges = audited.filter((entry) => entry.phase === 'END' && (entry.details as { tag?: string }).tag === 'TAG_API');
    expect(apiChanges.map((entry) => entry.activity)).toEqual(['CONVERSATION_EVENT_TAG_ADD', 'CONVERSATION_EVENT_TAG_UPDATE', 'CONVERSATION_EVENT_TAG_ADD']);
  });

  it('a call between 2180 and 2178 is not tagged: rule 1 matches first (the seed example)', async () => {
    const { segments } = await play([['event', 'started', { customer: '2180', agent: '2178', direction: 'inbound' }], ['event', 'ended']]);
    expect(segments).toEqual([row()]);
  });
});

describe('manual and API tagging of the active segment', () => {
  it('answers "no active call" on hold and after the end, and refuses unknown tags', async () => {
    const callId = uniqueId('call');
    const event = callEvents(callId);
    await harness.http('POST', `/v1/calls/${callId}/events`, [event('started', { customer: '+4411', agent: '2178', direction: 'inbound' }), event('held')]);
    const onHold = await harness.http('POST', `/v1/calls/${callId}/tags`, { name: 'TAG_API' });
    expect(onHold.status).toBe(409);
    expect(onHold.body.detail).toMatch(/no active call/);

    const unknown = await harness.http('POST', `/v1/calls/${callId}/tags`, { name: 'NEVER_DEFINED_TAG' });
    expect(unknown.status).toBe(422);

    await harness.http('POST', `/v1/calls/${callId}/events`, [event('resumed'), event('ended')]);
    const ended = await harness.http('POST', `/v1/calls/${callId}/tags`, { name: 'TAG_API' });
    expect(ended.status).toBe(409);
    expect(ended.body.detail).toMatch(/no active call/);
  });

  it('answers "no active call" on a segment that is not recorded', async () => {
    const callId = uniqueId('call');
    const event = callEvents(callId);
    await harness.http('POST', `/v1/calls/${callId}/events`, event('started', { customer: '+4411', agent: '9999', direction: 'inbound' }));
    const refused = await harness.http('POST', `/v1/calls/${callId}/tags`, { name: 'TAG_API' });
    expect(refused.status).toBe(409);
  });

  it('treats a re-sent event as a duplicate and rejects events that do not fit the call', async () => {
    const callId = uniqueId('call');
    const event = callEvents(callId);
    const started = event('started', { customer: '+4411', agent: '2178', direction: 'inbound' });
    expect((await harness.http('POST', `/v1/calls/${callId}/events`, started)).body.applied).toEqual([started.eventId]);
    expect((await harness.http('POST', `/v1/calls/${callId}/events`, started)).body.duplicates).toEqual([started.eventId]);
    const resumeWithoutHold = await harness.http('POST', `/v1/calls/${callId}/events`, event('resumed'));
    expect(resumeWithoutHold.status).toBe(422);
    const call = await harness.http('GET', `/v1/calls/${callId}`);
    expect(call.body.segments).toHaveLength(1);
  });
});
