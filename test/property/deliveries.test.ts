import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contactRecords } from '../../src/db/schema/index.js';
import { chatTranscript, emailMessage } from '../support/content-fixtures.js';
import { contactRecord } from '../support/contact-records.js';
import type { Harness, HttpAnswer, HttpCall } from '../support/harness.js';
import { changedTables, createHarnessWithOwnDatabase, settledSnapshot, snapshotDatabase } from './database-snapshot.js';
import { hostileValue, mutate, mutations } from './json-mutations.js';
import { fc, runsOf } from './support.js';

/**
 * What the contact center delivers, generated: contact records (alone and in batches), chat transcripts
 * and raw e-mails, valid and mutated, sent by the integration. Never a 5xx; a refused delivery writes
 * nothing; an accepted contact record answers one of the delivery outcomes per record.
 */
let harness: Harness;
let integration: HttpCall;

beforeAll(async () => {
  harness = await createHarnessWithOwnDatabase('deliveries');
  integration = harness.as(await harness.tokenFor('integration')).http;
  await settledSnapshot(harness.db);
});
afterAll(async () => {
  await harness?.close();
});

const at = fc.date({ min: new Date('2020-01-01T00:00:00Z'), max: new Date('2030-01-01T00:00:00Z'), noInvalidDate: true }).map((date) => date.toISOString());
const text = fc.oneof(fc.string({ maxLength: 30 }), fc.string({ unit: 'grapheme', maxLength: 30 }), fc.string({ unit: 'binary', maxLength: 30 }));

const generatedRecord = fc
  .record({
    channel: fc.constantFrom('VOICE', 'CHAT', 'TASK', 'EMAIL', 'SMS', 'voice'),
    started: at,
    minutes: fc.integer({ min: 0, max: 600 }),
    agent: fc.option(text),
    attributes: fc.dictionary(fc.string({ minLength: 1, maxLength: 12 }), text, { maxKeys: 4 }),
    initiation: fc.constantFrom('INBOUND', 'OUTBOUND', 'TRANSFER', 'CALLBACK', 'API', 'SOMETHING_NEW'),
  })
  .map(({ channel, started, minutes, agent, attributes, initiation }) =>
    contactRecord({
      Channel: channel,
      InitiationTimestamp: started,
      LastUpdateTimestamp: new Date(Date.parse(started) + minutes * 60_000).toISOString(),
      Agent: agent === null ? null : { Username: agent },
      Attributes: attributes,
      InitiationMethod: initiation,
    }),
  );

/** A batch of generated records, some mutated, with a duplicate now and then. */
const recordDelivery = fc.oneof(
  fc.tuple(generatedRecord, mutations).map(([record, changes]) => mutate(record, changes)),
  fc.array(fc.tuple(generatedRecord, fc.option(mutations, { freq: 3 })), { minLength: 1, maxLength: 4 }).map((items) => {
    const records = items.map(([record, changes]) => (changes ? mutate(record, changes) : record));
    return [...records, ...(records.length > 1 ? [records[0]!] : [])];
  }),
);

const chatDelivery = fc
  .tuple(fc.array(fc.record({ from: fc.constantFrom('AGENT' as const, 'CUSTOMER' as const), text, at }), { minLength: 1, maxLength: 5 }), text, text, fc.option(mutations, { freq: 2 }))
  .map(([messages, customerName, agentName, changes]) => {
    const transcript = chatTranscript({ contactId: randomUUID(), customerName, agentName, messages });
    return changes ? mutate(transcript, changes) : transcript;
  });

/** A raw message, sometimes cut short, spliced with random bytes, or without its header/body separator. */
const emailDelivery = fc
  .record({
    subject: text,
    body: text,
    from: fc.oneof(fc.emailAddress(), text),
    to: fc.array(fc.oneof(fc.emailAddress(), text), { minLength: 1, maxLength: 3 }),
    date: fc.oneof(fc.constant(undefined), fc.constantFrom('Fri, 20 Nov 2026 10:00:00 +0000', 'yesterday', '', 'Mon, 31 Feb 2026 25:00:00 +9999')),
    damage: fc.oneof(
      fc.constant({ kind: 'none' as const }),
      fc.record({ kind: fc.constant('cut' as const), at: fc.double({ min: 0, max: 1, noNaN: true }) }),
      fc.record({ kind: fc.constant('splice' as const), at: fc.double({ min: 0, max: 1, noNaN: true }), bytes: fc.uint8Array({ minLength: 1, maxLength: 64 }) }),
      fc.constant({ kind: 'headers-only' as const }),
    ),
  })
  .map(({ subject, body, from, to, date, damage }) => {
    const raw = Buffer.from(emailMessage({ from: { address: from }, to, subject, body, date }), 'utf8');
    const point = 'at' in damage ? Math.floor(damage.at * raw.length) : 0;
    switch (damage.kind) {
      case 'none':
        return raw;
      case 'cut':
        return raw.subarray(0, point);
      case 'splice':
        return Buffer.concat([raw.subarray(0, point), Buffer.from(damage.bytes), raw.subarray(point)]);
      case 'headers-only':
        return Buffer.from(raw.toString('utf8').replace(/\r\n\r\n[\s\S]*$/, ''), 'utf8');
    }
  });

/** Sends a delivery and checks its answer: never a 5xx, and a refused one changes nothing. */
async function deliverSafely(send: () => Promise<HttpAnswer>, context: string): Promise<HttpAnswer> {
  // Taken right before the request, so that nothing written earlier is blamed on it.
  const before = await snapshotDatabase(harness.db);
  const answer = await send();
  const where = `${context} → ${answer.status} ${JSON.stringify(answer.body)?.slice(0, 400)}`;
  expect(answer.status, where).toBeLessThan(500);
  if (answer.status >= 400) {
    expect(answer.headers.get('content-type'), where).toContain('application/problem+json');
    expect(changedTables(before, await snapshotDatabase(harness.db)), where).toEqual([]);
  } else {
    // An accepted delivery may go on writing through its lifecycle: wait for it before the next one.
    await settledSnapshot(harness.db);
  }
  return answer;
}

describe('generated deliveries', () => {
  it('contact records, alone and in batches: never 5xx, a refused one writes nothing', { timeout: 15 * 60_000 }, async () => {
    await fc.assert(
      fc.asyncProperty(recordDelivery, async (delivery) => {
        const answer = await deliverSafely(() => integration('POST', '/v1/contact-records', JSON.stringify(delivery), { 'content-type': 'application/json' }), `contact records ${JSON.stringify(delivery).slice(0, 400)}`);
        if (answer.status !== 200) return;
        const results = answer.body.results as { contactId: string | null; status: string; errors?: { field: string }[] }[];
        const where = JSON.stringify(results).slice(0, 400);
        // `failed` would be a record the engine could not handle: a server error in disguise.
        for (const result of results) expect(['created', 'updated', 'duplicate', 'stale', 'rejected'], where).toContain(result.status);
        const acceptedIds = new Set(results.filter((result) => result.status !== 'rejected').map((result) => result.contactId));
        for (const result of results.filter((entry) => entry.status === 'rejected')) {
          expect(result.errors?.length, where).toBeGreaterThan(0);
          if (typeof result.contactId === 'string' && !acceptedIds.has(result.contactId)) {
            expect(await harness.db.select().from(contactRecords).where(eq(contactRecords.contactId, result.contactId)), where).toEqual([]);
          }
        }
      }),
      { numRuns: runsOf(0.15, 5) },
    );
  });

  it('chat transcripts: never 5xx, a refused one writes nothing', { timeout: 15 * 60_000 }, async () => {
    await fc.assert(
      fc.asyncProperty(chatDelivery, async (delivery) => {
        await deliverSafely(() => integration('POST', '/v1/chats', JSON.stringify(delivery), { 'content-type': 'application/json' }), `chat ${JSON.stringify(delivery).slice(0, 400)}`);
      }),
      { numRuns: runsOf(0.15, 5) },
    );
  });

  it('raw e-mails, whole or damaged: never 5xx, a refused one writes nothing', { timeout: 15 * 60_000 }, async () => {
    await fc.assert(
      fc.asyncProperty(emailDelivery, async (eml) => {
        await deliverSafely(() => integration('POST', '/v1/emails', eml, { 'content-type': 'message/rfc822' }), `e-mail ${JSON.stringify(eml.toString('utf8').slice(0, 300))}`);
      }),
      { numRuns: runsOf(0.15, 5) },
    );
  });

  it('e-mails as JSON with a hostile eml field: never 5xx, a refused one writes nothing', { timeout: 15 * 60_000 }, async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(emailDelivery.map((eml) => eml.toString('base64')), hostileValue), async (eml) => {
        await deliverSafely(() => integration('POST', '/v1/emails', JSON.stringify({ eml }), { 'content-type': 'application/json' }), `e-mail JSON ${JSON.stringify(eml)?.slice(0, 300)}`);
      }),
      { numRuns: runsOf(0.1, 5) },
    );
  });
});
