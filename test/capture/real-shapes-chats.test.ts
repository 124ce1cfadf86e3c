import { createHash, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { conversationIdFor } from '../../src/lib/ids.js';
import { AMAZON_CONNECT_SOURCE } from '../../src/workflows/conversation-lifecycle.contract.js';
import { chatContactRecord, contactLensChat, manyAttributes, mongoExport, redactedContactLensChat, transferredVoiceRecord } from '../support/chat-shapes.js';
import { chatTranscript, download, searchIds, uniqueWord } from '../support/content-fixtures.js';
import { createHarness, type Harness } from '../support/harness.js';

let harness: Harness;
beforeAll(async () => {
  harness = await createHarness();
});
afterAll(async () => {
  await harness?.close();
});

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');
// Indented, as Connect writes its S3 objects: a re-serialised copy would not have this digest.
const asDelivered = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;
const postChat = (text: string) => harness.http('POST', '/v1/chats', text);
const postRecords = (body: unknown) => harness.http('POST', '/v1/contact-records', body);
const read = (id: string, query = '') => harness.http('GET', `/v1/conversations/${id}${query}`);

describe('real chat and contact-record shapes', () => {
  it('accepts a Contact Lens chat file, keeps its bytes as sent, and joins the CHAT contact record that arrives after it', async () => {
    const contactId = randomUUID();
    const words = { customer: uniqueWord('lens'), agent: uniqueWord('lensagent') };
    const text = asDelivered(contactLensChat({ contactId, words }));

    const posted = await postChat(text);
    expect(posted.status).toBe(201);
    const conversationId = conversationIdFor(AMAZON_CONNECT_SOURCE, contactId);
    expect(posted.body).toMatchObject({ conversationId, status: 'created', media: [expect.objectContaining({ kind: 'transcript', sha256: sha256(text) })] });
    const original = await download(harness, conversationId, sha256(text));
    expect(original.bytes.toString('utf8')).toBe(text);

    const record = await postRecords(chatContactRecord({ contactId, at: '2026-11-21T08:59:58.000Z' }));
    expect(record.body.results[0]).toMatchObject({ conversationId, status: 'created' });

    const conversation = await read(conversationId);
    expect(conversation.body).toMatchObject({ channel: 'CHAT', agentUsername: 'chat.agent', legs: [expect.objectContaining({ contactId, channel: 'CHAT' })] });
    expect(conversation.body.chat.participants).toEqual(expect.arrayContaining([expect.objectContaining({ role: 'CUSTOMER' }), expect.objectContaining({ role: 'AGENT' })]));
    expect(conversation.body.chat.messages.map((m: { body: string }) => m.body)).toEqual([expect.stringContaining(words.customer), expect.stringContaining(words.agent), 'Thanks, that is all']);
    expect(await searchIds(harness, { q: words.customer })).toEqual([conversationId]);
  });

  it('joins a redacted Contact Lens file (offsets only) to the CHAT contact record that came first, timed from it', async () => {
    const contactId = randomUUID();
    const word = uniqueWord('redacted');
    const record = await postRecords(chatContactRecord({ contactId, at: '2026-11-21T10:00:00.000Z' }));
    const conversationId = record.body.results[0].conversationId;

    const text = asDelivered(redactedContactLensChat({ contactId, word }));
    const posted = await postChat(text);
    expect(posted.status).toBe(200);
    expect(posted.body).toMatchObject({ conversationId, status: 'updated' });

    const conversation = await read(conversationId);
    expect(conversation.body.chat.messages).toEqual([
      expect.objectContaining({ sentAt: '2026-11-21T10:00:04.000Z', participantRole: 'CUSTOMER', body: `My account number is [PII] and I hold ${word}` }),
      expect.objectContaining({ sentAt: '2026-11-21T10:00:09.500Z', participantRole: 'AGENT', body: 'Thank you [PII], noted' }),
    ]);
    expect(await searchIds(harness, { q: word })).toEqual([conversationId]);
  });

  it('refuses an offsets-only Contact Lens file whose contact record is not stored yet, saying why', async () => {
    const posted = await postChat(asDelivered(redactedContactLensChat({ contactId: randomUUID(), word: 'early' })));
    expect(posted.status).toBe(422);
    expect(posted.body.errors).toEqual([expect.objectContaining({ field: 'Transcript.0.AbsoluteTime' })]);
    expect(posted.body.detail).toContain('import the contact record first');
  });

  it('names the field of a Contact Lens file that is missing its contact id', async () => {
    const file = contactLensChat({ contactId: randomUUID(), words: { customer: 'a', agent: 'b' } });
    const posted = await postChat(JSON.stringify({ ...file, CustomerMetadata: { InstanceId: 'x' } }));
    expect(posted.status).toBe(422);
    expect(posted.body.errors).toEqual([expect.objectContaining({ field: 'CustomerMetadata.ContactId' })]);
  });

  it('stores an S3 chat transcript of a transferred chat under its InitialContactId, with paged messages', async () => {
    const initialContactId = randomUUID();
    const word = uniqueWord('s3chat');
    const transcript = {
      ...chatTranscript({
        customerName: 'Ana',
        agentName: 'Ben',
        messages: Array.from({ length: 5 }, (_, i) => ({ from: i % 2 ? ('AGENT' as const) : ('CUSTOMER' as const), text: `${word} ${i}`, at: `2026-11-21T11:00:0${i}.000Z` })),
      }),
      InitialContactId: initialContactId,
    };
    const text = asDelivered(transcript);
    const posted = await postChat(text);
    const conversationId = conversationIdFor(AMAZON_CONNECT_SOURCE, initialContactId);
    expect(posted.body).toMatchObject({ conversationId, status: 'created', media: [expect.objectContaining({ sha256: sha256(text) })] });

    const first = await read(conversationId, '?messagesLimit=4');
    expect(first.body.chat.messages).toHaveLength(4);
    expect(first.body.chat.participants.map((p: { displayName: string }) => p.displayName).sort()).toEqual(['Ana', 'Ben']);
    const rest = await read(conversationId, `?messagesLimit=4&messagesAfter=${first.body.chat.nextMessagesCursor}`);
    expect(rest.body.chat.messages.map((m: { body: string }) => m.body)).toEqual([`${word} 3`, `${word} 4`]);
    expect(rest.body.chat.nextMessagesCursor).toBeNull();
  });

  it('keeps a 2017-format transferred call leg with hundreds of attributes and shows and finds its transfer target', async () => {
    const contactId = randomUUID();
    const target = `+4420794${String(Math.floor(Math.random() * 1e5)).padStart(5, '0')}`;
    const answer = await postRecords(transferredVoiceRecord({ contactId, nextContactId: randomUUID(), transferTo: target, at: '2026-11-21T12:00:00.000Z', attributes: manyAttributes(300) }));
    expect(answer.body.results[0]).toMatchObject({ status: 'created' });
    const conversationId = answer.body.results[0].conversationId;
    const conversation = await read(conversationId);
    expect(Object.keys(conversation.body.attributes)).toHaveLength(300);
    expect(conversation.body.transferTargets).toEqual([expect.objectContaining({ contactId, address: target, type: 'TELEPHONE_NUMBER' })]);
    expect(conversation.body).toMatchObject({ email: null, chat: null, segments: [] });
    expect(await searchIds(harness, { q: target })).toEqual([conversationId]);
  });

  it('keeps a MongoDB export with extra fields, and refuses one whose timestamps are $date objects naming the field', async () => {
    const record = chatContactRecord({ contactId: randomUUID(), at: '2026-11-21T13:00:00.000Z' });
    const kept = await postRecords(mongoExport(record, { wrapDates: false }));
    expect(kept.body.results[0]).toMatchObject({ contactId: record.ContactId, status: 'created' });

    const wrapped = await postRecords(mongoExport({ ...record, ContactId: randomUUID() }, { wrapDates: true }));
    expect(wrapped.status).toBe(422);
    expect(wrapped.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ field: 'LastUpdateTimestamp' })]));
  });
});
