import { randomUUID } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { conversations } from '../../src/db/schema/index.js';
import { conversationIdFor } from '../../src/lib/ids.js';
import { AMAZON_CONNECT_SOURCE, conversationWorkflowId, lifecycleStateQuery } from '../../src/workflows/conversation-lifecycle.contract.js';
import { auditTrailOf } from '../support/audit-entries.js';
import { createHarness, type Harness } from '../support/harness.js';
import { chatTranscript, searchIds, uniqueWord } from '../support/content-fixtures.js';

let harness: Harness;
beforeAll(async () => {
  harness = await createHarness();
});
afterAll(async () => {
  await harness?.close();
});

const postChat = (body: unknown) => harness.http('POST', '/v1/chats', body);

describe('chat import through the API', () => {
  it('turns a Connect chat transcript into a CHAT conversation, searchable by message text and participant names', async () => {
    const word = uniqueWord('isin');
    const customerName = uniqueWord('Customer');
    const agentName = uniqueWord('Agent');
    const transcript = chatTranscript({
      customerName,
      agentName,
      messages: [
        { from: 'CUSTOMER', text: `Please buy 100 shares of ${word} at market`, at: '2026-11-20T10:00:05.123Z' },
        { from: 'AGENT', text: 'Order placed, anything else?', at: '2026-11-20T10:01:00.000Z' },
      ],
    });

    const posted = await postChat(transcript);
    expect(posted.status).toBe(201);
    expect(posted.body).toMatchObject({ kind: 'chat', status: 'created', conversationId: conversationIdFor(AMAZON_CONNECT_SOURCE, transcript.ContactId) });
    expect(posted.body.media).toEqual([expect.objectContaining({ kind: 'transcript', contentType: 'application/json' })]);
    const { conversationId } = posted.body;

    expect(await searchIds(harness, { q: word })).toEqual([conversationId]);
    expect(await searchIds(harness, { q: customerName })).toEqual([conversationId]);
    expect(await searchIds(harness, { q: agentName, channel: 'CHAT' })).toEqual([conversationId]);
    expect(await searchIds(harness, { q: word, channel: 'EMAIL' })).toEqual([]);
    expect(await searchIds(harness, { q: word, from: '2026-11-20T10:00:05.123Z', to: '2026-11-20T10:00:05.124Z' })).toEqual([conversationId]);

    const read = await harness.http('GET', `/v1/conversations/${conversationId}`);
    expect(read.body).toMatchObject({ channel: 'CHAT', startedAt: '2026-11-20T10:00:05.123Z', endedAt: '2026-11-20T10:01:00.000Z' });
    const state = await harness.client.workflow.getHandle(conversationWorkflowId(conversationId)).query(lifecycleStateQuery);
    expect(state).toMatchObject({ stage: 'captured', steps: [expect.objectContaining({ step: 'chat-created' })] });
    expect(await auditTrailOf(harness.db, posted.headers.get('x-request-id'))).toEqual(['CHAT_IMPORT:BEGIN:null', 'CONVERSATION_CAPTURED:SYNC:OK', 'CHAT_IMPORT:END:OK']);
  });

  it('reports a replayed transcript as a duplicate and never creates the conversation twice', async () => {
    const word = uniqueWord('replay');
    const transcript = chatTranscript({ customerName: 'Jo', agentName: 'Sam', messages: [{ from: 'CUSTOMER', text: word, at: '2026-11-20T11:00:00Z' }] });
    const first = await postChat(transcript);
    const again = await postChat(transcript);
    expect(first.body.status).toBe('created');
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ status: 'duplicate', conversationId: first.body.conversationId });
    expect(await searchIds(harness, { q: word })).toEqual([first.body.conversationId]);
    const rows = await harness.db.select().from(conversations).where(and(eq(conversations.source, AMAZON_CONNECT_SOURCE), eq(conversations.externalKey, transcript.ContactId)));
    expect(rows).toHaveLength(1);
  });

  it('adds only the new items of a longer re-delivery of the same chat', async () => {
    const early = uniqueWord('early');
    const late = uniqueWord('late');
    const short = chatTranscript({ customerName: 'Jo', agentName: 'Sam', messages: [{ from: 'CUSTOMER', text: early, at: '2026-11-20T12:00:00Z' }] });
    const created = await postChat(short);
    const longer = {
      ...short,
      Transcript: [...short.Transcript, { ...short.Transcript[1]!, Id: randomUUID(), Content: late, AbsoluteTime: '2026-11-20T12:05:00Z' }],
    };
    const updated = await postChat(longer);
    expect(updated.body).toMatchObject({ status: 'updated', conversationId: created.body.conversationId });
    expect(await searchIds(harness, { q: `${early} ${late}` })).toEqual([created.body.conversationId]);
    expect((await harness.http('GET', `/v1/conversations/${created.body.conversationId}`)).body.endedAt).toBe('2026-11-20T12:05:00.000Z');
  });

  it('answers a malformed transcript with 422 naming the field, audited, and stores nothing', async () => {
    const transcript = chatTranscript({ customerName: 'Jo', agentName: 'Sam', messages: [{ from: 'CUSTOMER', text: 'hello', at: '2026-11-20T13:00:00Z' }] });
    const broken = { ...transcript, Transcript: [transcript.Transcript[0], { ...transcript.Transcript[1], AbsoluteTime: 'yesterday afternoon' }] };
    const posted = await postChat(broken);
    expect(posted.status).toBe(422);
    expect(posted.headers.get('content-type')).toContain('application/problem+json');
    expect(posted.body.errors).toEqual([expect.objectContaining({ field: 'Transcript.1.AbsoluteTime', pointer: '/Transcript/1/AbsoluteTime' })]);
    expect(await auditTrailOf(harness.db, posted.headers.get('x-request-id'))).toEqual(['CHAT_IMPORT:BEGIN:null', 'CHAT_IMPORT:END:FAIL']);

    const withoutContact = await postChat({ ...transcript, ContactId: null });
    expect(withoutContact.status).toBe(422);
    expect(withoutContact.body.errors).toEqual([expect.objectContaining({ field: 'ContactId' })]);
    const stored = await harness.db.select().from(conversations).where(eq(conversations.id, conversationIdFor(AMAZON_CONNECT_SOURCE, transcript.ContactId)));
    expect(stored).toEqual([]);
  });

  it('is refused to roles that do not import', async () => {
    const agent = await harness.tokenFor('agent');
    const posted = await harness.as(agent).http('POST', '/v1/chats', chatTranscript({ customerName: 'Jo', agentName: 'Sam', messages: [] }));
    expect(posted.status).toBe(403);
  });
});
