import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contactRecord } from '../support/contact-records.js';
import { createHarness, type Harness, type HttpCall } from '../support/harness.js';
import { entriesOf, entryShapes } from '../support/audit-entries.js';

/**
 * The seed's rule: an asynchronous activity writes BEGIN (no result) and END (OK, FAIL or UNAUTHORIZED);
 * a synchronous one writes one entry. Every case here is a real request; entries are found by the
 * request's correlation id, since other test files write to the same log.
 */
let harness: Harness;
let auditor: HttpCall;
let agent: HttpCall;

beforeAll(async () => {
  harness = await createHarness();
  auditor = harness.as(await harness.tokenFor('auditor')).http;
  agent = harness.as(await harness.tokenFor('agent')).http;
});
afterAll(async () => {
  await harness?.close();
});

describe('one entry per synchronous activity, a BEGIN/END pair per asynchronous one', () => {
  it('asynchronous OK: an audit search', async () => {
    const answer = await auditor('GET', '/v1/audit?limit=1');
    expect(answer.status).toBe(200);
    expect(await entryShapes(harness.db, answer)).toEqual(['AUDIT_SEARCH:BEGIN:', 'AUDIT_SEARCH:END:OK']);
  });

  it('asynchronous FAIL: a lookup of an unknown conversation', async () => {
    const conversationId = randomUUID();
    const answer = await harness.http('GET', `/v1/conversations/${conversationId}`);
    expect(answer.status).toBe(404);
    const entries = await entriesOf(harness.db, answer);
    expect(entries.map((entry) => `${entry.activity}:${entry.phase}:${entry.result ?? ''}`)).toEqual(['CONVERSATION_BY_ID:BEGIN:', 'CONVERSATION_BY_ID:END:FAIL']);
    expect(entries.every((entry) => entry.conversationId === conversationId)).toBe(true);
  });

  it('synchronous OK inside an asynchronous request: a contact record import captures a conversation', async () => {
    const answer = await harness.http('POST', '/v1/contact-records', contactRecord());
    expect(answer.status).toBe(200);
    expect(await entryShapes(harness.db, answer)).toEqual(['CONTACT_RECORDS_IMPORT:BEGIN:', 'CONVERSATION_CAPTURED:SYNC:OK', 'CONTACT_RECORDS_IMPORT:END:OK']);
  });

  it('synchronous OK and FAIL: a legal hold placed, and the release of a hold that does not exist', async () => {
    const captured = await harness.http('POST', '/v1/contact-records', contactRecord());
    const conversationId = captured.body.results[0].conversationId;
    const placed = await harness.http('POST', `/v1/conversations/${conversationId}/legal-holds`, { reason: 'audit entry test' });
    expect(placed.status).toBe(201);
    expect(await entryShapes(harness.db, placed)).toEqual(['LEGAL_HOLD_ADD:SYNC:OK']);

    const released = await harness.http('POST', `/v1/conversations/${conversationId}/legal-holds/${randomUUID()}/release`, { reason: 'no such hold' });
    expect(released.status).toBe(404);
    expect(await entryShapes(harness.db, released)).toEqual(['LEGAL_HOLD_RELEASE_REQUEST:SYNC:FAIL']);
  });

  it('synchronous OK: a checkpoint asked for by an auditor', async () => {
    const answer = await auditor('POST', '/v1/audit/checkpoints');
    expect(answer.status).toBe(201);
    expect(await entryShapes(harness.db, answer)).toEqual(['AUDIT_CHECKPOINT:SYNC:OK']);
  });

  it('records who, what, when and the request for a user', async () => {
    const identity = await harness.identityFor('compliance-analyst', { fullName: 'Ada Analyst' });
    const answer = await harness.as(identity.token).http('GET', '/v1/audit/verify?fromSeq=1&toSeq=1');
    expect(answer.status).toBe(200);
    const [begin, end] = await entriesOf(harness.db, answer);
    for (const entry of [begin!, end!]) {
      expect(entry).toMatchObject({
        module: 'Audit',
        activity: 'AUDIT_VERIFY',
        actorType: 'user',
        actorId: identity.userId,
        actorUsername: identity.username,
        actorFullName: 'Ada Analyst',
        correlationId: answer.headers.get('x-request-id'),
        description: 'Audit chain verified',
      });
      expect(entry.occurredAt.getTime()).toBeLessThanOrEqual(Date.now());
    }
    expect(end!.details).toMatchObject({ fromSeq: 1, toSeq: 1, verified: true });
    expect(end!.occurredAt.getTime()).toBeGreaterThanOrEqual(begin!.occurredAt.getTime());
  });
});

describe('refused requests are audited UNAUTHORIZED', () => {
  it('asynchronous: the audit search called by an agent, and with no token at all', async () => {
    const refused = await agent('GET', '/v1/audit');
    expect(refused.status).toBe(403);
    const entries = await entriesOf(harness.db, refused);
    expect(entries.map((entry) => `${entry.activity}:${entry.phase}:${entry.result ?? ''}`)).toEqual(['AUDIT_SEARCH:BEGIN:', 'AUDIT_SEARCH:END:UNAUTHORIZED']);
    expect(entries[1]?.actorUsername).toMatch(/^agent-/);

    const anonymous = await harness.as(null).http('GET', '/v1/audit');
    expect(anonymous.status).toBe(401);
    const anonymousEntries = await entriesOf(harness.db, anonymous);
    expect(anonymousEntries.map((entry) => `${entry.activity}:${entry.phase}:${entry.result ?? ''}`)).toEqual(['AUDIT_SEARCH:BEGIN:', 'AUDIT_SEARCH:END:UNAUTHORIZED']);
    expect(anonymousEntries[1]?.actorId).toBe('anonymous');
  });

  it('synchronous: a checkpoint asked for by an agent', async () => {
    const refused = await agent('POST', '/v1/audit/checkpoints');
    expect(refused.status).toBe(403);
    expect(await entryShapes(harness.db, refused)).toEqual(['AUDIT_CHECKPOINT:SYNC:UNAUTHORIZED']);
  });

  it('keeps every audit route from roles outside the seed’s audit readers, and the refused search returns no entries', async () => {
    for (const role of ['admin', 'agent', 'supervisor', 'evaluator', 'integration'] as const) {
      const http = harness.as(await harness.tokenFor(role)).http;
      for (const [method, path] of [
        ['GET', '/v1/audit'],
        ['GET', '/v1/audit/export'],
        ['GET', '/v1/audit/verify'],
        ['POST', '/v1/audit/checkpoints'],
        ['GET', `/v1/conversations/${randomUUID()}/trace`],
      ] as const) {
        const answer = await http(method, path);
        expect(answer.status, `${role} ${method} ${path}`).toBe(403);
        expect(answer.body.entries).toBeUndefined();
      }
    }
    for (const role of ['cc-manager', 'compliance-analyst', 'auditor'] as const) {
      expect((await harness.as(await harness.tokenFor(role)).http('GET', '/v1/audit?limit=1')).status, role).toBe(200);
    }
  });
});
