import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callConversationId } from '../../src/api/calls/call-id.js';
import { createHarness, type Harness } from '../support/harness.js';
import { addExtensionRule, callEvents, eventually, uniqueExtension, uniqueId } from '../support/lifecycle.js';
import { sha256, wav } from '../recordings/wav.js';
import { untar } from '../support/untar.js';

let harness: Harness;
const ruleIds: string[] = [];
const recordedExtension = uniqueExtension('6');
const consentExtension = uniqueExtension('5');


async function raw(method: string, path: string, body?: Uint8Array, headers: Record<string, string> = {}) {
  return fetch(`${harness.baseUrl}${path}`, { method, headers: { authorization: `Bearer ${harness.admin.token}`, ...headers }, body });
}

beforeAll(async () => {
  harness = await createHarness();
  for (const [extension, requireConsent] of [[recordedExtension, false], [consentExtension, true]] as const) {
    ruleIds.push(await addExtensionRule(harness, extension, { name: `recordings test ${extension}`, requireConsent }));
  }
});
afterAll(async () => {
  for (const id of ruleIds) await harness.http('DELETE', `/v1/recording-rules/${id}`);
  await harness?.close();
});

/** A call through the live events API with a hold (two segments), ended, its segments persisted. */
async function callWithHold(agent: string, consent: boolean | null = null): Promise<{ callId: string; conversationId: string }> {
  const callId = uniqueId('rec');
  const event = callEvents(callId);
  const events = [event('started', { customer: '+441234500001', agent, direction: 'inbound' })];
  if (consent !== null) events.push(event('consent', { given: consent }));
  events.push(event('held'), event('resumed'), event('ended'));
  const posted = await harness.http('POST', `/v1/calls/${callId}/events`, events);
  expect(posted.status, JSON.stringify(posted.body)).toBe(200);
  const conversationId = callConversationId(callId);
  await eventually(async () => {
    const media = await harness.http('GET', `/v1/conversations/${conversationId}/media`);
    if (media.status !== 200) return undefined;
    const call = await harness.http('GET', `/v1/calls/${callId}`);
    return call.body.status === 'ended' && call.body.segments.length === 2 ? true : undefined;
  });
  // The segments' mirror in PostgreSQL is what the upload checks.
  await eventually(async () => {
    const response = await raw('PUT', `/v1/calls/${callId}/segments/2/recording`, new Uint8Array(), { 'content-type': 'audio/wav' });
    return response.status === 422 || response.status === 409 ? true : undefined;
  });
  return { callId, conversationId };
}

describe('call recordings through the API and the real worker', () => {
  it('stores a WAV per segment, lists, plays a range, exports a package, and is idempotent', async () => {
    const { callId, conversationId } = await callWithHold(recordedExtension);
    const first = wav(4000, 3);
    const second = wav(3000, 5);

    const refusedType = await raw('PUT', `/v1/calls/${callId}/segments/1/recording`, first, { 'content-type': 'text/plain' });
    expect(refusedType.status).toBe(415);
    expect(((await refusedType.json()) as any).detail).toMatch(/text\/plain/);

    const put1 = await raw('PUT', `/v1/calls/${callId}/segments/1/recording`, first, { 'content-type': 'audio/wav' });
    expect(put1.status).toBe(201);
    expect((await put1.json()) as any).toMatchObject({ segmentIndex: 1, sha256: sha256(first), sizeBytes: first.length, mediaType: 'audio/wav', duplicate: false });
    const put2 = await raw('PUT', `/v1/calls/${callId}/segments/2/recording`, second, { 'content-type': 'audio/x-wav' });
    expect(put2.status).toBe(201);
    const again = await raw('PUT', `/v1/calls/${callId}/segments/1/recording`, first, { 'content-type': 'audio/wav' });
    expect(again.status).toBe(200);
    expect(((await again.json()) as any).duplicate).toBe(true);
    const other = await raw('PUT', `/v1/calls/${callId}/segments/1/recording`, second, { 'content-type': 'audio/wav' });
    expect(other.status).toBe(409);
    const whole = await raw('PUT', `/v1/calls/${callId}/recording`, first, { 'content-type': 'audio/wav' });
    expect(whole.status).toBe(422);

    const listed = await harness.http('GET', `/v1/conversations/${conversationId}/media`);
    expect(listed.status).toBe(200);
    const recordings = listed.body.items.filter((item: { kind: string }) => item.kind === 'recording');
    expect(recordings).toEqual([
      expect.objectContaining({ segmentIndex: 1, sha256: sha256(first), contentType: 'audio/wav', sizeBytes: first.length }),
      expect.objectContaining({ segmentIndex: 2, sha256: sha256(second), contentType: 'audio/x-wav', sizeBytes: second.length }),
    ]);

    const ranged = await raw('GET', `/v1/conversations/${conversationId}/media/${sha256(first)}`, undefined, { range: 'bytes=44-143' });
    expect(ranged.status).toBe(206);
    expect(ranged.headers.get('content-range')).toBe(`bytes 44-143/${first.length}`);
    expect(ranged.headers.get('accept-ranges')).toBe('bytes');
    expect(Buffer.from(await ranged.arrayBuffer())).toEqual(first.subarray(44, 144));
    const full = await raw('GET', `/v1/conversations/${conversationId}/media/${sha256(second)}`);
    expect(full.status).toBe(200);
    expect(full.headers.get('accept-ranges')).toBe('bytes');
    expect(Buffer.from(await full.arrayBuffer())).toEqual(second);
    const outside = await raw('GET', `/v1/conversations/${conversationId}/media/${sha256(first)}`, undefined, { range: `bytes=${first.length}-` });
    expect(outside.status).toBe(416);

    const exported = await raw('POST', `/v1/conversations/${conversationId}/recordings/export`);
    expect(exported.status).toBe(200);
    expect(exported.headers.get('content-type')).toBe('application/x-tar');
    const files = untar(Buffer.from(await exported.arrayBuffer()));
    const manifest = JSON.parse(files.get('manifest.json')!.toString('utf8'));
    expect(manifest.recordings).toHaveLength(2);
    for (const entry of manifest.recordings) {
      expect(sha256(files.get(entry.fileName)!)).toBe(entry.sha256);
      expect(files.get(entry.fileName)!.length).toBe(entry.sizeBytes);
    }
    expect(manifest.recordings.map((entry: { segmentIndex: number }) => entry.segmentIndex)).toEqual([1, 2]);

    const audit = await harness.as(await harness.tokenFor('auditor')).http('GET', `/v1/audit?conversationId=${conversationId}&limit=200`);
    const activities = (audit.body.entries ?? []).map((item: { activity: string; result: string }) => `${item.activity}:${item.result}`);
    expect(activities).toEqual(expect.arrayContaining(['RECORDING_STORED:OK', 'ACCESS_MEDIA:OK', 'SEND_RECORDING:OK']));
  });

  it('refuses the audio of a segment whose consent was refused, keeping nothing, and audits the refusal', async () => {
    const { callId, conversationId } = await callWithHold(consentExtension, false);
    const audio = wav(2000, 7);
    const refused = await raw('PUT', `/v1/calls/${callId}/segments/1/recording`, audio, { 'content-type': 'audio/wav' });
    expect(refused.status).toBe(409);
    const body = (await refused.json()) as any;
    expect(body.detail).toMatch(/consent/);
    expect(body.errors[0].field).toBe('segmentIndex');
    expect(fs.existsSync(harness.media.pathOf(sha256(audio)))).toBe(false);
    const listed = await harness.http('GET', `/v1/conversations/${conversationId}/media`);
    expect(listed.body.items).toEqual([]);
    const audit = await harness.as(await harness.tokenFor('auditor')).http('GET', `/v1/audit?conversationId=${conversationId}&limit=200`);
    expect((audit.body.entries ?? []).some((item: { activity: string; result: string }) => item.activity === 'RECORDING_STORED' && item.result === 'FAIL')).toBe(true);
  });

  it('refuses the audio of a segment no rule records', async () => {
    const { callId } = await callWithHold(uniqueExtension('4'));
    const audio = wav(1000, 9);
    const refused = await raw('PUT', `/v1/calls/${callId}/segments/1/recording`, audio, { 'content-type': 'audio/mpeg' });
    expect(refused.status).toBe(422);
    expect(fs.existsSync(harness.media.pathOf(sha256(audio)))).toBe(false);
  });

  it('destroys the audio with the conversation: no file, no playable route', async () => {
    const { callId, conversationId } = await callWithHold(recordedExtension);
    const audio = wav(2500, 11);
    expect((await raw('PUT', `/v1/calls/${callId}/segments/1/recording`, audio, { 'content-type': 'audio/ogg' })).status).toBe(201);
    expect(fs.existsSync(harness.media.pathOf(sha256(audio)))).toBe(true);
    const anonymised = await harness.http('POST', `/v1/conversations/${conversationId}/anonymisation`, { reason: 'GDPR art. 17 request' });
    expect(anonymised.status, JSON.stringify(anonymised.body)).toBe(200);
    expect(fs.existsSync(harness.media.pathOf(sha256(audio)))).toBe(false);
    const play = await raw('GET', `/v1/conversations/${conversationId}/media/${sha256(audio)}`, undefined, { range: 'bytes=0-9' });
    expect([404, 410]).toContain(play.status);
    expect((await harness.http('GET', `/v1/conversations/${conversationId}/media`)).body.items ?? []).toEqual([]);
    expect((await raw('POST', `/v1/conversations/${conversationId}/recordings/export`)).status).toBe(404);
  });
});
