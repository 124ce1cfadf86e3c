import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from '../support/harness.js';
import { addExtensionRule, callEvents, uniqueExtension, uniqueId } from '../support/lifecycle.js';

let harness: Harness;
let ruleId: string | undefined;
const extension = uniqueExtension('7');

beforeAll(async () => {
  harness = await createHarness();
  ruleId = await addExtensionRule(harness, extension, { name: `consent required for ${extension}`, requireConsent: true });
});
afterAll(async () => {
  if (ruleId) await harness.http('DELETE', `/v1/recording-rules/${ruleId}`);
  await harness?.close();
});

async function call(answer: boolean | null) {
  const callId = uniqueId('consent');
  const event = callEvents(callId);
  const post = async (body: unknown) => {
    const response = await harness.http('POST', `/v1/calls/${callId}/events`, body);
    expect(response.status, JSON.stringify(response.body)).toBe(200);
  };
  await post(event('started', { customer: '+441234500000', agent: extension, direction: 'inbound' }));
  if (answer !== null) await post(event('consent', { given: answer }));
  await post([event('held'), event('resumed'), event('ended')]);
  return (await harness.http('GET', `/v1/calls/${callId}`)).body.segments as { consentRequired: boolean; consent: string; recorded: boolean; mediaKept: boolean }[];
}

describe('consent on a rule that requires it, through the call events API', () => {
  it('keeps a refusal as segment metadata and does not keep the media, also after a hold', async () => {
    const segments = await call(false);
    expect(segments).toHaveLength(2);
    for (const segment of segments) expect(segment).toMatchObject({ consentRequired: true, consent: 'refused', recorded: true, mediaKept: false });
  });

  it('keeps the media of a call whose customer consented', async () => {
    const segments = await call(true);
    for (const segment of segments) expect(segment).toMatchObject({ consentRequired: true, consent: 'given', mediaKept: true });
  });

  it('marks a call without an answer as pending, media kept until the customer refuses', async () => {
    const segments = await call(null);
    for (const segment of segments) expect(segment).toMatchObject({ consentRequired: true, consent: 'pending', mediaKept: true });
  });
});
