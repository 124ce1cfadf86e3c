import fs from 'node:fs';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callConversationId } from '../../src/api/calls/call-id.js';
import { auditLog, callRecordings, disposalLedger } from '../../src/db/schema/index.js';
import { createHarness, type Harness } from '../support/harness.js';
import { addExtensionRule, callEvents, eventually, uniqueExtension, uniqueId } from '../support/lifecycle.js';
import { sha256, wav } from './wav.js';

let harness: Harness;
let ruleId: string;
const consentExtension = uniqueExtension('3');

beforeAll(async () => {
  harness = await createHarness();
  ruleId = await addExtensionRule(harness, consentExtension, { name: `consent removal test ${consentExtension}`, requireConsent: true });
});
afterAll(async () => {
  if (ruleId) await harness.http('DELETE', `/v1/recording-rules/${ruleId}`);
  await harness?.close();
});

const upload = (callId: string, audio: Buffer) =>
  fetch(`${harness.baseUrl}/v1/calls/${callId}/segments/1/recording`, {
    method: 'PUT',
    headers: { authorization: `Bearer ${harness.admin.token}`, 'content-type': 'audio/wav' },
    body: audio,
  });

/** A started call whose first segment (consent pending) already has its audio. */
async function callWithAudio(audio: Buffer) {
  const callId = uniqueId('consent-rm');
  const event = callEvents(callId);
  expect((await harness.http('POST', `/v1/calls/${callId}/events`, [event('started', { customer: '+441234500002', agent: consentExtension, direction: 'inbound' })])).status).toBe(200);
  // The segment mirror in PostgreSQL is written just after the event is accepted.
  await eventually(async () => ((await upload(callId, audio)).status === 201 ? true : undefined));
  const conversationId = callConversationId(callId);
  expect(fs.existsSync(harness.media.pathOf(sha256(audio)))).toBe(true);
  return { callId, conversationId, event };
}

const recordingsOf = async (conversationId: string) =>
  ((await harness.http('GET', `/v1/conversations/${conversationId}/media`)).body.items ?? []).filter((item: { kind: string }) => item.kind === 'recording');

describe('consent refused after the audio arrived', () => {
  it('removes the segment’s audio: no file, no media entry, no recording row; audited and in the disposal ledger', async () => {
    const audio = wav(3000, 13);
    const { callId, conversationId, event } = await callWithAudio(audio);
    expect(await recordingsOf(conversationId)).toHaveLength(1);

    const refused = await harness.http('POST', `/v1/calls/${callId}/events`, [event('consent', { given: false }), event('ended')]);
    expect(refused.status, JSON.stringify(refused.body)).toBe(200);
    await eventually(async () => ((await recordingsOf(conversationId)).length === 0 ? true : undefined));
    await eventually(async () => (!fs.existsSync(harness.media.pathOf(sha256(audio))) ? true : undefined));
    expect(await harness.db.select().from(callRecordings).where(eq(callRecordings.conversationId, conversationId))).toEqual([]);
    const read = await harness.http('GET', `/v1/conversations/${conversationId}`);
    expect(read.body.segments[0]).toMatchObject({ segmentIndex: 1, consent: 'refused', mediaKept: false, recordings: [] });

    const entries = await harness.db.select().from(auditLog).where(eq(auditLog.conversationId, conversationId));
    // The removal is decided once (RECORDING_REMOVED) and the bytes destroyed once (MEDIA_DESTROYED, by the outbox).
    expect(entries.filter((entry) => entry.activity === 'RECORDING_REMOVED').map((entry) => entry.details)).toEqual([
      expect.objectContaining({ segmentIndex: 1, sha256: sha256(audio), reason: 'consent-refused' }),
    ]);
    expect(entries.filter((entry) => entry.activity === 'MEDIA_DESTROYED').map((entry) => entry.details)).toEqual([expect.objectContaining({ sha256: sha256(audio), outcome: 'removed' })]);
    const [ledger] = await harness.db.select().from(disposalLedger).where(eq(disposalLedger.conversationId, conversationId));
    expect(ledger).toMatchObject({ kind: 'recording-without-consent', destroyed: [{ what: 'recording:segment-1', sha256: sha256(audio) }] });

    // And the refusal stands: the same audio again is refused.
    expect((await upload(callId, audio)).status).toBe(409);
  });

  it('keeps the audio of a segment whose customer consented', async () => {
    const audio = wav(2500, 17);
    const { callId, conversationId, event } = await callWithAudio(audio);
    expect((await harness.http('POST', `/v1/calls/${callId}/events`, [event('consent', { given: true }), event('ended')])).status).toBe(200);
    await eventually(async () => ((await harness.http('GET', `/v1/calls/${callId}`)).body.status === 'ended' ? true : undefined));
    expect(await recordingsOf(conversationId)).toEqual([expect.objectContaining({ segmentIndex: 1, sha256: sha256(audio) })]);
    expect(fs.existsSync(harness.media.pathOf(sha256(audio)))).toBe(true);
  });
});
