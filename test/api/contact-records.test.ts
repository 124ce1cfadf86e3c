import { randomUUID } from 'node:crypto';
import { asc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog } from '../../src/db/schema/index.js';
import { conversationWorkflowId, lifecycleStateQuery } from '../../src/workflows/conversation-lifecycle.contract.js';
import { contactRecord } from '../support/contact-records.js';
import { createHarness, type Harness } from '../support/harness.js';

let harness: Harness;
beforeAll(async () => {
  harness = await createHarness();
});
afterAll(async () => {
  await harness?.close();
});

const post = (body: unknown) => harness.http('POST', '/v1/contact-records', body);

describe('contact record capture through the API', () => {
  it('captures a real-shaped record into a conversation run by its own lifecycle workflow, with audit history', async () => {
    const record = contactRecord();
    const posted = await post(record);
    expect(posted.status).toBe(200);
    expect(posted.body.results).toEqual([expect.objectContaining({ contactId: record.ContactId, status: 'created' })]);
    const conversationId: string = posted.body.results[0].conversationId;

    const read = await harness.http('GET', `/v1/conversations/${conversationId}`);
    expect(read.status).toBe(200);
    expect(read.body).toMatchObject({
      id: conversationId,
      channel: 'VOICE',
      agentUsername: 'agent.smith',
      queueName: 'Trading Desk',
      customerAddress: '+441234567890',
      startedAt: '2026-11-20T10:00:00.000Z',
      endedAt: '2026-11-20T10:02:05.000Z',
      legs: [expect.objectContaining({ contactId: record.ContactId, deliveries: 1 })],
    });

    const handle = harness.client.workflow.getHandle(conversationWorkflowId(conversationId));
    const state = await handle.query(lifecycleStateQuery);
    expect(state.stage).toBe('captured');
    expect(state.steps.map((step) => step.step)).toEqual(['contact-record-captured']);
    expect((await handle.describe()).status.name).toBe('RUNNING');

    const entries = await harness.db.select().from(auditLog).where(eq(auditLog.conversationId, conversationId)).orderBy(asc(auditLog.chainSeq));
    const captured = entries.find((entry) => entry.activity === 'CONVERSATION_CAPTURED');
    expect(captured).toMatchObject({ phase: 'SYNC', result: 'OK', actorType: 'workflow' });
    expect(captured?.actorId).toContain(conversationWorkflowId(conversationId));
    const imports = await harness.db.select().from(auditLog).where(eq(auditLog.correlationId, posted.headers.get('x-request-id')!)).orderBy(asc(auditLog.chainSeq));
    expect(imports.map((entry) => `${entry.activity}:${entry.phase}:${entry.result}`)).toEqual([
      'CONTACT_RECORDS_IMPORT:BEGIN:null',
      'CONVERSATION_CAPTURED:SYNC:OK',
      'CONTACT_RECORDS_IMPORT:END:OK',
    ]);
  });

  it('keeps the newest copy whatever the delivery order, and never creates a conversation twice', async () => {
    const contactId = randomUUID();
    const older = contactRecord({ ContactId: contactId, LastUpdateTimestamp: '2026-11-20T10:03:00Z', Attributes: { disposition: 'open' } });
    const newer = contactRecord({ ContactId: contactId, LastUpdateTimestamp: '2026-11-20T11:00:00Z', Attributes: { disposition: 'closed' } });

    const first = await post(newer);
    expect(first.body.results[0].status).toBe('created');
    expect((await post(newer)).body.results[0].status).toBe('duplicate');
    expect((await post(older)).body.results[0].status).toBe('stale');

    const conversationId = first.body.results[0].conversationId;
    const read = await harness.http('GET', `/v1/conversations/${conversationId}`);
    expect(read.body.attributes.disposition).toBe('closed');
    expect(read.body.legs).toEqual([expect.objectContaining({ lastUpdateTimestamp: '2026-11-20T11:00:00.000Z', deliveries: 3 })]);

    const later = contactRecord({ ContactId: contactId, LastUpdateTimestamp: '2026-11-21T09:00:00Z', Attributes: { disposition: 'escalated' } });
    expect((await post(later)).body.results[0]).toMatchObject({ status: 'updated', conversationId });
    expect((await harness.http('GET', `/v1/conversations/${conversationId}`)).body.attributes.disposition).toBe('escalated');
  });

  it('stores the valid records of a batch and names the bad field of the invalid one', async () => {
    const good = contactRecord();
    const bad = contactRecord({ InitiationTimestamp: '20 Nov 2026' });
    const alsoGood = contactRecord();
    const posted = await post([good, bad, alsoGood]);
    expect(posted.status).toBe(200);
    expect(posted.body.results.map((result: { status: string }) => result.status)).toEqual(['created', 'rejected', 'created']);
    expect(posted.body.results[1].errors).toEqual([expect.objectContaining({ field: 'InitiationTimestamp', pointer: '/InitiationTimestamp' })]);
    expect((await harness.http('GET', `/v1/conversations/${posted.body.results[2].conversationId}`)).status).toBe(200);
  });

  it('answers a single invalid record with problem+json naming the field, storing nothing', async () => {
    const posted = await post(contactRecord({ LastUpdateTimestamp: 'yesterday' }));
    expect(posted.status).toBe(422);
    expect(posted.headers.get('content-type')).toContain('application/problem+json');
    expect(posted.body.errors).toEqual([expect.objectContaining({ field: 'LastUpdateTimestamp' })]);
  });

  it('links transfer legs arriving in reverse order into one conversation with ordered legs', async () => {
    const first = randomUUID();
    const second = randomUUID();
    const third = randomUUID();
    const leg = (contactId: string, at: string, previous: string | null, next: string | null) =>
      contactRecord({
        ContactId: contactId,
        InitialContactId: contactId === first ? null : first,
        PreviousContactId: previous,
        NextContactId: next,
        InitiationMethod: contactId === first ? 'INBOUND' : 'TRANSFER',
        InitiationTimestamp: at,
      });
    const results = [];
    for (const record of [leg(third, '2026-11-20T10:05:00Z', second, null), leg(second, '2026-11-20T10:02:00Z', first, third), leg(first, '2026-11-20T10:00:00Z', null, second)]) {
      results.push((await post(record)).body.results[0]);
    }
    const conversationIds = new Set(results.map((result) => result.conversationId));
    expect(conversationIds.size).toBe(1);
    const read = await harness.http('GET', `/v1/conversations/${[...conversationIds][0]}`);
    expect(read.body.legs.map((entry: { contactId: string }) => entry.contactId)).toEqual([first, second, third]);
    expect(read.body.startedAt).toBe('2026-11-20T10:00:00.000Z');
  });

  it('answers unknown conversations with 404 problem+json', async () => {
    const read = await harness.http('GET', `/v1/conversations/${randomUUID()}`);
    expect(read.status).toBe(404);
    expect(read.body.title).toBe('Conversation not found');
  });
});
