import { randomUUID } from 'node:crypto';
import http from 'node:http';
import { eq, like, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_BODY_BYTES } from '../../src/api/app.js';
import { contactRecords, users } from '../../src/db/schema/index.js';
import { contactRecord } from '../support/contact-records.js';
import { createHarness, type Harness, type HttpAnswer } from '../support/harness.js';

/**
 * Hostile requests get a 4xx, never a 5xx or a crash, and leave stored data as it was. Every test marks
 * its payload with a fresh id and checks afterwards that nothing carrying it was stored.
 */
let harness: Harness;
beforeAll(async () => {
  harness = await createHarness();
});
afterAll(async () => {
  await harness?.close();
});

const storedRecord = async (contactId: string) => harness.db.select().from(contactRecords).where(eq(contactRecords.contactId, contactId));

function expectRefused(answer: HttpAnswer | { status: number }, statuses: number[] = [400, 413, 415, 422]) {
  expect(statuses, JSON.stringify((answer as HttpAnswer).body ?? '')).toContain(answer.status);
}

/** Sends bytes exactly as given (fetch would normalise paths and re-encode bodies). */
function raw(options: { method: string; path: string; body?: Buffer; headers?: Record<string, string> }): Promise<{ status: number; text: string }> {
  const url = new URL(harness.baseUrl);
  return new Promise((resolve, reject) => {
    const request = http.request(
      { host: url.hostname, port: url.port, method: options.method, path: options.path, headers: { authorization: `Bearer ${harness.admin.token}`, ...options.headers } },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
      },
    );
    request.on('error', reject);
    request.end(options.body);
  });
}

afterAll(async () => {
  // Whatever came before, the engine is still up and answering.
  expect((await harness.as(null).http('GET', '/health/live')).status).toBe(200);
});

describe('oversized bodies', () => {
  it('refuses a body over the limit declared by Content-Length, storing nothing', async () => {
    const contactId = randomUUID();
    const record = contactRecord({ ContactId: contactId, Attributes: { padding: 'x'.repeat(MAX_BODY_BYTES) } });
    const answer = await harness.http('POST', '/v1/contact-records', record);
    expect(answer.status).toBe(413);
    expect(answer.headers.get('content-type')).toContain('application/problem+json');
    expect(await storedRecord(contactId)).toEqual([]);
  });

  it('refuses a streamed (chunked) body once it passes the limit', async () => {
    const contactId = randomUUID();
    const url = new URL(harness.baseUrl);
    // A connection of its own: the server answers before the upload ends and then closes it.
    const status = await new Promise<number>((resolve, reject) => {
      const request = http.request(
        { host: url.hostname, port: url.port, method: 'POST', path: '/v1/contact-records', agent: false, headers: { authorization: `Bearer ${harness.admin.token}`, 'content-type': 'application/json', 'transfer-encoding': 'chunked' } },
        (response) => {
          response.resume();
          resolve(response.statusCode ?? 0);
        },
      );
      request.on('error', (error) => (request.writableEnded ? undefined : reject(error)));
      request.write(`{"ContactId":"${contactId}","Attributes":{"padding":"`);
      const chunk = 'x'.repeat(1024 * 1024);
      let sent = 0;
      const pump = () => {
        while (sent < 12) {
          sent += 1;
          if (!request.write(chunk)) return void request.once('drain', pump);
        }
        request.end('"}}');
      };
      pump();
    });
    expect(status).toBe(413);
    expect(await storedRecord(contactId)).toEqual([]);
  });
});

describe('wrong types', () => {
  it.each([
    ['roles as a string', { roles: 'admin' }, 'roles'],
    ['username as a number', { username: 42 }, 'username'],
    ['groups as an object', { groupNames: { $ne: null } }, 'groupNames'],
    ['fullName as null', { fullName: null }, 'fullName'],
  ])('refuses %s, naming the field, creating no user', async (_name, override, field) => {
    const username = `typed-${randomUUID().slice(0, 8)}`;
    const answer = await harness.http('POST', '/v1/users', { username, fullName: 'X', roles: ['agent'], ...override });
    expectRefused(answer, [422]);
    expect(answer.body.errors.map((error: { field: string }) => error.field)).toContain(field);
    expect(await harness.db.select().from(users).where(eq(users.username, username))).toEqual([]);
  });

  it('refuses a contact record whose timestamp is a number, and a body that is a bare string', async () => {
    const contactId = randomUUID();
    expectRefused(await harness.http('POST', '/v1/contact-records', contactRecord({ ContactId: contactId, LastUpdateTimestamp: 1_795_000_000 })));
    expectRefused(await harness.http('POST', '/v1/contact-records', '"just a string"'));
    expectRefused(await harness.http('POST', '/v1/contact-records', 'null'));
    expect(await storedRecord(contactId)).toEqual([]);
  });

  it('refuses query parameters of the wrong type', async () => {
    expectRefused(await harness.http('GET', '/v1/users?limit=abc'), [422]);
    expectRefused(await harness.http('GET', '/v1/users?limit=-1'), [422]);
    expectRefused(await harness.http('GET', '/v1/users?limit=1e999'), [422]);
  });

  it('refuses a body that is not JSON at all, or of a media type the route does not take', async () => {
    expectRefused(await harness.http('POST', '/v1/users', '{"username": "half', { 'content-type': 'application/json' }));
    expectRefused(await harness.http('POST', '/v1/users', 'username=x', { 'content-type': 'application/x-www-form-urlencoded' }));
    expectRefused(await harness.http('POST', '/v1/users', '<user/>', { 'content-type': 'application/xml' }));
  });
});

describe('SQL in input', () => {
  const injections = ["'; DROP TABLE users; --", "' OR '1'='1", '1; SELECT pg_sleep(10)', "admin'--", '$1) OR true --'];

  it.each(injections)('treats %j as a value: refused where the format forbids it, stored verbatim where allowed', async (injection) => {
    expectRefused(await harness.http('GET', `/v1/conversations/${encodeURIComponent(injection)}`), [404, 422]);
    expectRefused(await harness.http('GET', `/v1/users?cursor=${encodeURIComponent(injection)}`), [422]);
    expectRefused(await harness.http('POST', '/v1/users', { username: injection, fullName: injection, roles: ['agent'] }), [422]);

    const contactId = `${injection} ${randomUUID()}`;
    const posted = await harness.http('POST', '/v1/contact-records', contactRecord({ ContactId: contactId, Agent: { Username: injection } }));
    expect(posted.status).toBe(200);
    const [stored] = await storedRecord(contactId);
    expect(stored?.contactId).toBe(contactId);
    const read = await harness.http('GET', `/v1/conversations/${posted.body.results[0].conversationId}`);
    expect(read.body.agentUsername).toBe(injection);
    // The tables the injections name are still there and still hold their rows.
    expect((await harness.db.select({ count: sql<number>`count(*)::int` }).from(users))[0]!.count).toBeGreaterThan(0);
  });
});

describe('path traversal', () => {
  it.each([
    '/docs/../../etc/passwd',
    '/v1/../../../etc/passwd',
    '/v1/conversations/..%2F..%2F..%2Fetc%2Fpasswd',
    '/v1/conversations/%2e%2e/%2e%2e/etc/passwd',
    '/v1/tag-definitions/..%2F..%2Fusers',
    '/v1/users/%00/tokens',
    '/openapi.json/..%5C..%5Cwindows%5Cwin.ini',
  ])('answers %s with 4xx and no file content', async (path) => {
    const answer = await raw({ method: 'GET', path });
    expect(answer.status).toBeGreaterThanOrEqual(400);
    expect(answer.status).toBeLessThan(500);
    expect(answer.text).not.toMatch(/root:|\[fonts\]/);
  });

  it('stores a traversal-looking tag name nowhere', async () => {
    const answer = await harness.http('POST', '/v1/tag-definitions', { name: '../../etc/passwd', description: 'x' });
    expectRefused(answer, [422]);
  });
});

describe('broken encodings', () => {
  it('refuses invalid UTF-8 instead of storing replacement characters', async () => {
    const contactId = randomUUID();
    const json = Buffer.from(JSON.stringify(contactRecord({ ContactId: contactId, Attributes: { note: 'MARKER' } })), 'utf8');
    const marker = json.indexOf('MARKER');
    const body = Buffer.concat([json.subarray(0, marker), Buffer.from([0xc3, 0x28, 0xff, 0xfe]), json.subarray(marker + 'MARKER'.length)]);
    const answer = await raw({ method: 'POST', path: '/v1/contact-records', body, headers: { 'content-type': 'application/json' } });
    expect(answer.status).toBe(400);
    expect(JSON.parse(answer.text).detail).toMatch(/UTF-8/);
    expect(await storedRecord(contactId)).toEqual([]);
  });

  it.each([
    ['a NUL character', 'a\u0000b'],
    ['an unpaired surrogate', 'a\ud800b'],
  ])('refuses a string with %s, which PostgreSQL could not store', async (_name, value) => {
    const contactId = randomUUID();
    const answer = await harness.http('POST', '/v1/contact-records', contactRecord({ ContactId: contactId, Attributes: { note: value } }));
    expectRefused(answer, [422]);
    expect(answer.body.errors).toEqual([expect.objectContaining({ field: 'Attributes.note' })]);
    expect(await storedRecord(contactId)).toEqual([]);
  });

  it('refuses such a character in a key too', async () => {
    const answer = await harness.http('POST', '/v1/users', `{"username":"k","fullName":"K","roles":["agent"],"x\\u0000":1}`);
    expectRefused(answer, [422]);
    expect(await harness.db.select().from(users).where(like(users.username, 'k'))).toEqual([]);
  });
});

describe('deeply nested JSON', () => {
  it.each([
    ['arrays, 10 000 levels', '['.repeat(10_000) + ']'.repeat(10_000)],
    ['objects, 10 000 levels', '{"a":'.repeat(10_000) + '1' + '}'.repeat(10_000)],
    ['100 000 levels', '['.repeat(100_000) + ']'.repeat(100_000)],
  ])('refuses %s', async (_name, body) => {
    const answer = await harness.http('POST', '/v1/contact-records', body);
    expectRefused(answer, [400, 422]);
  });

  it('refuses a real record with a deeply nested attribute, storing nothing', async () => {
    const contactId = randomUUID();
    let nested: unknown = 'leaf';
    for (let level = 0; level < 200; level += 1) nested = { level: nested };
    const answer = await harness.http('POST', '/v1/contact-records', contactRecord({ ContactId: contactId, Extra: nested }));
    expectRefused(answer, [422]);
    expect(await storedRecord(contactId)).toEqual([]);
  });
});
