import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { legalHolds } from '../../src/db/schema/index.js';
import { auditTrailOf } from '../support/audit-entries.js';
import { contactRecord } from '../support/contact-records.js';
import { createHarness, type Harness, type HttpAnswer, type HttpCall } from '../support/harness.js';

/**
 * Search filters, cursors and recording-rule patterns an attacker controls: each is refused with a 422 that
 * names the offending field, never dropped silently (which widens a search) and never a 500.
 */
let harness: Harness;
let auditor: HttpCall;
beforeAll(async () => {
  harness = await createHarness();
  auditor = harness.as(await harness.tokenFor('auditor')).http;
});
afterAll(async () => {
  await harness?.close();
});

function expectRefusal(answer: HttpAnswer, field: string) {
  expect(answer.status, JSON.stringify(answer.body)).toBe(422);
  expect(answer.headers.get('content-type')).toContain('application/problem+json');
  expect(answer.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ field })]));
}

async function captureWithMatter(matter: string): Promise<string> {
  const posted = await harness.http('POST', '/v1/contact-records', contactRecord({ Attributes: { matter } }));
  expect(posted.body.results[0]).toMatchObject({ status: 'created' });
  return posted.body.results[0].conversationId;
}

const searchPath = (query: Record<string, string>) => `/v1/conversations?${new URLSearchParams(query)}`;
const BASE64URL_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
/** The same bytes, spelled with the unused low bits of the last character set, as no encoder writes them. */
function nonCanonical(cursor: string): string {
  expect(cursor.length % 4, 'a last character with unused bits').not.toBe(0);
  const spelled = `${cursor.slice(0, -1)}${BASE64URL_ALPHABET[BASE64URL_ALPHABET.indexOf(cursor.at(-1)!) | 1]}`;
  expect(Buffer.from(spelled, 'base64url')).toEqual(Buffer.from(cursor, 'base64url'));
  return spelled;
}
const cursorOf = (payload: unknown) => Buffer.from(typeof payload === 'string' ? payload : JSON.stringify(payload), 'utf8').toString('base64url');

describe('recording rule patterns', () => {
  it('refuses a pattern longer than a phone number needs, naming the field', async () => {
    const answer = await harness.http('POST', '/v1/recording-rules', {
      name: `wildcards ${randomUUID()}`,
      position: 1_000_000,
      match: { type: 'phone', pattern: `${'*1'.repeat(20)}2` },
      action: 'record',
      enabled: false,
    });
    if (answer.status === 201) await harness.http('DELETE', `/v1/recording-rules/${answer.body.id}`);
    expectRefusal(answer, 'match.pattern');
    expect(answer.body.errors[0].message).toContain('at most 32');
  });

  it('still takes a pattern of 32 characters, separators aside', async () => {
    const answer = await harness.http('POST', '/v1/recording-rules', {
      name: `long pattern ${randomUUID()}`,
      position: 1_000_000,
      match: { type: 'phone', pattern: `+44 (20) ${'?'.repeat(26)}*` },
      action: 'record',
      enabled: false,
    });
    expect(answer.status, JSON.stringify(answer.body)).toBe(201);
    expect((await harness.http('DELETE', `/v1/recording-rules/${answer.body.id}`)).status).toBe(204);
  });
});

describe('search filter keys', () => {
  let matter: string;
  let ids: string[];
  beforeAll(async () => {
    matter = `matter-${randomUUID()}`;
    ids = [await captureWithMatter(matter), await captureWithMatter(matter)];
  });

  it('still finds conversations by an ordinary attribute, and by names every object has', async () => {
    const found = await harness.http('GET', searchPath({ 'attr.matter': matter }));
    expect(found.status).toBe(200);
    expect(new Set(found.body.items.map((item: { id: string }) => item.id))).toEqual(new Set(ids));
    const inherited = await harness.http('GET', searchPath({ 'attr.matter': matter, 'attr.toString': 'x', 'attr.hasOwnProperty': 'x' }));
    expect(inherited.status).toBe(200);
    expect(inherited.body.items).toEqual([]);
  });

  it.each([
    ['attr.__proto__', 'x'],
    ['attr.constructor', 'x'],
    ['attr.prototype', 'x'],
    ['attr.bad name', 'x'],
    ['attr.', 'x'],
    ['__proto__', 'x'],
    ['agnet', 'agent.smith'],
    ['limitt', '5'],
  ])('GET /v1/conversations refuses %j instead of searching without it', async (key, value) => {
    const query = new URLSearchParams({ 'attr.matter': matter });
    query.append(key, value);
    expectRefusal(await harness.http('GET', `/v1/conversations?${query}`), key);
  });

  it.each([
    ['agent', 'agent\u0000smith'],
    ['q', '\u0000'],
    ['subject', 'x\u0000'],
    ['tag', 'MIFID\u0000'],
    ['attr.other', 'x\u0000'],
  ])('GET /v1/conversations refuses a NUL in %s with 422, not a failed query', async (key, value) => {
    const query = new URLSearchParams({ 'attr.matter': matter });
    query.append(key, value);
    expectRefusal(await harness.http('GET', `/v1/conversations?${query}`), key);
  });

  it('documents the same filters as before in the OpenAPI document', async () => {
    const spec = (await harness.as(null).http('GET', '/openapi.json')).body;
    const parameters = spec.paths['/v1/conversations'].get.parameters.map((parameter: { name: string }) => parameter.name);
    expect(parameters).toEqual(expect.arrayContaining(['channel', 'agent', 'tag', 'q', 'state', 'limit', 'cursor']));
    const body = spec.paths['/v1/legal-holds'].post.requestBody.content['application/json'].schema;
    const query = body.properties?.query ?? spec.components.schemas[body.$ref.split('/').pop()].properties.query;
    expect(Object.keys(query.properties)).toEqual(expect.arrayContaining(['channel', 'agent', 'tag', 'q', 'state']));
    expect(Object.keys(query.properties)).not.toContain('cursor');
  });

  it('refuses a repeated attribute filter and more than 20 of them', async () => {
    expectRefusal(await harness.http('GET', `/v1/conversations?attr.matter=${matter}&attr.matter=other`), 'attr.matter');
    const many = new URLSearchParams(Array.from({ length: 21 }, (_, index): [string, string] => [`attr.k${index}`, 'v']));
    expectRefusal(await harness.http('GET', `/v1/conversations?${many}`), 'attr');
  });

  it.each([
    ['query.attr.__proto__', JSON.parse('{"attr.__proto__": "nothing"}')],
    ['query.__proto__', JSON.parse('{"__proto__": "nothing"}')],
    ['query.attr.constructor', { 'attr.constructor': 'nothing' }],
    ['query.matterr', { matterr: 'x' }],
    ['query.limit', { limit: 1 }],
    ['query.cursor', { cursor: 'abc' }],
  ])('POST /v1/legal-holds refuses %s and places no hold at all', async (field, extra: Record<string, unknown>) => {
    const reason = `hostile hold ${randomUUID()}`;
    // The real filter narrows the search to this test's conversations: a dropped key must not hold more.
    const answer = await harness.http('POST', '/v1/legal-holds', { reason, reference: null, query: { 'attr.matter': matter, ...extra } });
    expectRefusal(answer, field);
    expect(await harness.db.select().from(legalHolds).where(eq(legalHolds.reason, reason))).toEqual([]);
    const trail = await auditTrailOf(harness.db, answer.headers.get('x-request-id'));
    expect(trail.filter((entry) => entry.startsWith('LEGAL_HOLD_ADD'))).toEqual([]);
  });
});

describe('tampered keyset cursors', () => {
  const uuid = randomUUID();
  const at = '2026-11-20T10:00:00.123456Z';
  const tampered: [string, string][] = [
    ['a start time that is not one', cursorOf({ startedAt: 'garbage', id: uuid })],
    ['30 February', cursorOf({ startedAt: '2026-02-30T10:00:00.000000Z', id: uuid })],
    ['hour 24', cursorOf({ startedAt: '2026-02-28T24:00:00.000000Z', id: uuid })],
    ['year 0', cursorOf({ startedAt: '0000-01-01T00:00:00.000000Z', id: uuid })],
    ['a start time with an offset', cursorOf({ startedAt: '2026-11-20T10:00:00.123456+01:00', id: uuid })],
    ['an id that is not a uuid', cursorOf({ startedAt: at, id: "1' or '1'='1" })],
    ['a number for the time', cursorOf({ startedAt: 1_795_000_000, id: uuid })],
    ['an extra key', cursorOf({ startedAt: at, id: uuid, limit: 100_000 })],
    ['a missing key', cursorOf({ id: uuid })],
    ['a NUL in a value', cursorOf({ startedAt: `${at}\u0000`, id: uuid })],
    ['a nested object', cursorOf({ startedAt: { $gt: '' }, id: uuid })],
    ['an array', cursorOf([at, uuid])],
    ['null', cursorOf('null')],
    ['a number too large for a double', cursorOf('{"startedAt":1e400,"id":"x"}')],
    ['not JSON', cursorOf('{"startedAt":')],
    ['bytes that are not UTF-8', Buffer.from([0x7b, 0xff, 0xfe, 0x7d]).toString('base64url')],
    ['a non-canonical encoding of a good position', nonCanonical(cursorOf({ startedAt: null, id: uuid }))],
    ['characters outside base64url', `${cursorOf({ startedAt: null, id: uuid })}==`],
    ['something huge', 'A'.repeat(4_000)],
  ];

  it.each(tampered)('GET /v1/conversations refuses %s with 422 naming the cursor', async (_name, cursor) => {
    expectRefusal(await harness.http('GET', `/v1/conversations?cursor=${encodeURIComponent(cursor)}`), 'cursor');
  });

  const auditTampered: [string, string][] = [
    ['a time that is not one', cursorOf({ at: '9999-99-99T99:99:99.000000Z', id: '1' })],
    ['31 April', cursorOf({ at: '2026-04-31T00:00:00.000000Z', id: '1' })],
    ['an id beyond bigint', cursorOf({ at, id: '9999999999999999999' })],
    ['a negative id', cursorOf({ at, id: '-1' })],
    ['a number for the id', cursorOf({ at, id: 1 })],
    ['an extra key', cursorOf({ at, id: '1', user: 'someone' })],
    ['a search cursor', cursorOf({ startedAt: at, id: uuid })],
    ['an array', cursorOf([at, '1'])],
    ['not JSON', cursorOf('at=yesterday')],
  ];

  it.each(auditTampered)('GET /v1/audit refuses %s with 422 naming the cursor', async (_name, cursor) => {
    expectRefusal(await auditor('GET', `/v1/audit?cursor=${encodeURIComponent(cursor)}`), 'cursor');
  });

  it('still pages with the cursors it issued, from the very first row served', async () => {
    const matter = `paging-${randomUUID()}`;
    const ids = [await captureWithMatter(matter), await captureWithMatter(matter)];
    const first = await harness.http('GET', searchPath({ 'attr.matter': matter, limit: '1' }));
    expect(first.body.nextCursor).toEqual(expect.any(String));
    const second = await harness.http('GET', searchPath({ 'attr.matter': matter, limit: '1', cursor: first.body.nextCursor }));
    expect(second.status, JSON.stringify(second.body)).toBe(200);
    expect(new Set([...first.body.items, ...second.body.items].map((item: { id: string }) => item.id))).toEqual(new Set(ids));

    const page = await auditor('GET', '/v1/audit?limit=1');
    expect(page.body.nextCursor).toEqual(expect.any(String));
    expect((await auditor('GET', `/v1/audit?limit=1&cursor=${page.body.nextCursor}`)).status).toBe(200);
  });
});
