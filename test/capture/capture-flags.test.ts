import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { captureFlagsOf } from '../../src/domain/contact-record.js';
import { contactRecord } from '../support/contact-records.js';
import { createHarness, type Harness } from '../support/harness.js';
import { uniqueId } from '../support/lifecycle.js';

let harness: Harness;
beforeAll(async () => {
  harness = await createHarness();
});
afterAll(async () => harness?.close());

const post = (body: unknown) => harness.http('POST', '/v1/contact-records', body);
const flagCounts = async (): Promise<Record<string, number>> => {
  const answer = await harness.http('GET', '/health/capture');
  expect(answer.status).toBe(200);
  return Object.fromEntries(answer.body.flags.map((flag: { code: string; conversations: number }) => [flag.code, flag.conversations]));
};

describe('records with values Amazon Connect added later', () => {
  it('knows the EMAIL channel and the documented methods: nothing to flag', () => {
    expect(captureFlagsOf({ Channel: 'EMAIL', InitiationMethod: 'EXTERNAL_OUTBOUND', DisconnectReason: 'CONTACT_FLOW_DISCONNECT' })).toEqual([]);
    expect(captureFlagsOf({ Channel: 'VIDEO', InitiationMethod: 'HOLOGRAM', DisconnectReason: 'SOLAR_FLARE' })).toEqual([
      'unrecognised-channel',
      'unrecognised-initiation-method',
      'unrecognised-disconnect-reason',
    ]);
    expect(captureFlagsOf({ Channel: null })).toEqual(['missing-channel']);
  });

  it('keeps an EMAIL contact record, which was refused with 422 before', async () => {
    const record = contactRecord({ Channel: 'EMAIL', InitiationMethod: 'INBOUND' });
    const posted = await post(record);
    expect(posted.status).toBe(200);
    expect(posted.body.results[0]).toMatchObject({ status: 'created' });
    const read = await harness.http('GET', `/v1/conversations/${posted.body.results[0].conversationId}`);
    expect(read.body).toMatchObject({ channel: 'EMAIL', captureFlags: [] });
  });

  it('keeps unknown values verbatim, flags them, finds them by flag and counts them', async () => {
    const scope = uniqueId('flags');
    const before = await flagCounts();
    const video = contactRecord({ Channel: 'VIDEO', Attributes: { flagScope: scope } });
    const newMethod = contactRecord({ InitiationMethod: 'HOLOGRAM_TRANSFER', DisconnectReason: 'SOLAR_FLARE', Attributes: { flagScope: scope } });
    const noChannel = contactRecord({ Channel: null, Attributes: { flagScope: scope } });
    const posted = await post([video, newMethod, noChannel]);
    expect(posted.status).toBe(200);
    expect(posted.body.results.map((result: { status: string }) => result.status)).toEqual(['created', 'created', 'created']);
    const [videoId, methodId, noChannelId] = posted.body.results.map((result: { conversationId: string }) => result.conversationId);

    const videoRead = await harness.http('GET', `/v1/conversations/${videoId}`);
    expect(videoRead.body.channel).toBe('VIDEO');
    expect(videoRead.body.captureFlags).toEqual([{ code: 'unrecognised-channel', description: 'Unrecognised Channel value' }]);
    const methodRead = await harness.http('GET', `/v1/conversations/${methodId}`);
    expect(methodRead.body.legs[0].initiationMethod).toBe('HOLOGRAM_TRANSFER');
    expect(methodRead.body.captureFlags.map((flag: { code: string }) => flag.code)).toEqual(['unrecognised-initiation-method', 'unrecognised-disconnect-reason']);
    const noChannelRead = await harness.http('GET', `/v1/conversations/${noChannelId}`);
    expect(noChannelRead.body).toMatchObject({ channel: 'UNKNOWN', captureFlags: [{ code: 'missing-channel' }] });

    const byFlag = await harness.http('GET', `/v1/conversations?flag=unrecognised-channel&attr.flagScope=${scope}`);
    expect(byFlag.status).toBe(200);
    expect(byFlag.body.items.map((item: { id: string }) => item.id)).toEqual([videoId]);
    const byChannel = await harness.http('GET', `/v1/conversations?channel=VIDEO&attr.flagScope=${scope}`);
    expect(byChannel.body.items.map((item: { id: string }) => item.id)).toEqual([videoId]);

    const after = await flagCounts();
    for (const code of ['unrecognised-channel', 'unrecognised-initiation-method', 'unrecognised-disconnect-reason', 'missing-channel']) {
      expect(after[code]! - (before[code] ?? 0)).toBeGreaterThanOrEqual(1);
    }
  });

  it('still refuses what cannot be stored at all, naming the field', async () => {
    const noId = contactRecord();
    delete noId.ContactId;
    const refused = await post(noId);
    expect(refused.status).toBe(422);
    expect(refused.body.errors).toEqual([expect.objectContaining({ field: 'ContactId' })]);
    const badTime = await post(contactRecord({ LastUpdateTimestamp: 'tomorrow' }));
    expect(badTime.status).toBe(422);
    expect(badTime.body.errors).toEqual([expect.objectContaining({ field: 'LastUpdateTimestamp' })]);
  });

  it('is counted only for callers who may search conversations', async () => {
    const agent = await harness.identityFor('agent');
    const refused = await harness.as(agent.token).http('GET', '/health/capture');
    expect(refused.status).toBe(403);
  });
});
