import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditEntriesOf } from '../support/audit-entries.js';
import { contactRecord } from '../support/contact-records.js';
import { createHarness, type Harness } from '../support/harness.js';
import { ensureTags } from '../support/lifecycle.js';
import { search, searchIds, uniqueWord } from '../support/content-fixtures.js';

let harness: Harness;
beforeAll(async () => {
  harness = await createHarness();
});
afterAll(async () => {
  await harness?.close();
});

/** Posts a contact record and returns its conversation's id. */
async function capture(overrides: Record<string, unknown>): Promise<string> {
  const posted = await harness.http('POST', '/v1/contact-records', contactRecord(overrides));
  expect(posted.body.results[0]).toMatchObject({ status: 'created' });
  return posted.body.results[0].conversationId;
}

const uniquePhone = () => `+4420${Math.floor(Math.random() * 1e9).toString().padStart(9, '0')}`;

describe('the Conversation Explorer over contact-record conversations', () => {
  it('finds calls by channel, agent, queue, phone, attribute and time range', async () => {
    const agent = uniqueWord('agent.');
    const queue = uniqueWord('Desk ');
    const phone = uniquePhone();
    const book = uniqueWord('book');
    const voice = await capture({
      Agent: { Username: agent },
      Queue: { Name: queue },
      CustomerEndpoint: { Address: phone, Type: 'TELEPHONE_NUMBER' },
      Attributes: { book, clientTier: 'retail' },
      InitiationTimestamp: '2026-10-01T09:00:00Z',
    });
    const chat = await capture({
      Channel: 'CHAT',
      Agent: { Username: agent },
      Queue: { Name: queue },
      Attributes: { book, clientTier: 'professional' },
      InitiationTimestamp: '2026-10-02T09:00:00Z',
    });

    expect(await searchIds(harness, { agent })).toEqual([chat, voice]);
    expect(await searchIds(harness, { agent, channel: 'VOICE' })).toEqual([voice]);
    expect(await searchIds(harness, { queue, channel: 'CHAT' })).toEqual([chat]);
    expect(await searchIds(harness, { phone })).toEqual([voice]);
    expect(await searchIds(harness, { [`attr.book`]: book })).toEqual([chat, voice]);
    expect(await searchIds(harness, { 'attr.book': book, 'attr.clientTier': 'retail' })).toEqual([voice]);
    expect(await searchIds(harness, { agent, from: '2026-10-02T00:00:00Z' })).toEqual([chat]);
    expect(await searchIds(harness, { agent, to: '2026-10-02T00:00:00Z' })).toEqual([voice]);
    expect(await searchIds(harness, { agent, from: '2026-10-03T00:00:00Z' })).toEqual([]);
    expect(await searchIds(harness, { agent, state: 'captured' })).toEqual([chat, voice]);
    expect(await searchIds(harness, { agent, state: 'deleted' })).toEqual([]);
    // Call metadata is in the full-text document too.
    expect(await searchIds(harness, { q: book })).toEqual([chat, voice]);
    expect(await searchIds(harness, { q: `${book} professional` })).toEqual([chat]);
  });

  it('finds conversations by tag name, and by name=value', async () => {
    const agent = uniqueWord('agent.');
    const tag = uniqueWord('mifid');
    await ensureTags(harness, [{ name: tag }]);
    const tagged = await capture({ Agent: { Username: agent } });
    const untagged = await capture({ Agent: { Username: agent } });
    expect((await harness.http('POST', `/v1/conversations/${tagged}/tags`, { name: tag, value: 'advice' })).status).toBeLessThan(300);

    expect(await searchIds(harness, { agent, tag })).toEqual([tagged]);
    expect(await searchIds(harness, { agent, tag: `${tag}=advice` })).toEqual([tagged]);
    expect(await searchIds(harness, { agent, tag: `${tag}=other` })).toEqual([]);
    expect(untagged).not.toBe(tagged);
  });

  it('pages newest first with a keyset cursor, returning every match exactly once', async () => {
    const queue = uniqueWord('Paging ');
    const at = ['2026-09-01T10:00:00Z', '2026-09-03T10:00:00Z', '2026-09-03T10:00:00Z', '2026-09-02T10:00:00Z', '2026-09-05T10:00:00Z', '2026-09-04T10:00:00Z'];
    const created: string[] = [];
    for (const timestamp of at) created.push(await capture({ Queue: { Name: queue }, InitiationTimestamp: timestamp }));
    // No start time at all: listed after every dated conversation.
    const undated = await capture({ Queue: { Name: queue }, InitiationTimestamp: null });

    const seen: string[] = [];
    const startTimes: (string | null)[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const answer = await search(harness, { queue, limit: 2, ...(cursor ? { cursor } : {}) });
      expect(answer.status).toBe(200);
      expect(answer.body.items.length).toBeLessThanOrEqual(2);
      seen.push(...answer.body.items.map((item: { id: string }) => item.id));
      startTimes.push(...answer.body.items.map((item: { startedAt: string | null }) => item.startedAt));
      cursor = answer.body.nextCursor;
      pages += 1;
    } while (cursor && pages < 10);

    expect(seen).toHaveLength(created.length + 1);
    expect(new Set(seen)).toEqual(new Set([...created, undated]));
    expect(seen.at(-1)).toBe(undated);
    const dated = startTimes.slice(0, -1) as string[];
    expect(dated).toEqual([...dated].sort().reverse());
    expect(pages).toBe(4);
  });

  it('audits each search with its filters and result count', async () => {
    const agent = uniqueWord('agent.');
    await capture({ Agent: { Username: agent } });
    const answer = await search(harness, { agent, channel: 'VOICE' });
    const entries = await auditEntriesOf(harness.db, answer.headers.get('x-request-id')!);
    expect(entries.map((entry) => `${entry.activity}:${entry.phase}:${entry.result}`)).toEqual(['CONVERSATION_SEARCH:BEGIN:null', 'CONVERSATION_SEARCH:END:OK']);
    expect(entries[0]?.details).toMatchObject({ filters: { agent, channel: 'VOICE' } });
    expect(entries[1]?.details).toMatchObject({ count: 1, filters: { agent } });
    expect(entries[1]?.actorId).toBe(harness.admin.userId);
  });

  it('shows agents only their own conversations', async () => {
    const me = await harness.identityFor('agent');
    const queue = uniqueWord('Scoped ');
    const mine = await capture({ Agent: { Username: me.username }, Queue: { Name: queue } });
    const theirs = await capture({ Agent: { Username: uniqueWord('other.') }, Queue: { Name: queue } });
    const answer = await harness.as(me.token).http('GET', `/v1/conversations?queue=${encodeURIComponent(queue)}`);
    expect(answer.status).toBe(200);
    expect(answer.body.items.map((item: { id: string }) => item.id)).toEqual([mine]);
    expect(await searchIds(harness, { queue })).toEqual(expect.arrayContaining([mine, theirs]));
  });

  it('refuses malformed filters and cursors with 422 naming them', async () => {
    const badCursor = await search(harness, { cursor: Buffer.from(JSON.stringify({ id: randomUUID() })).toString('base64url') });
    expect(badCursor.status).toBe(422);
    expect(badCursor.body.errors).toEqual([expect.objectContaining({ field: 'cursor' })]);
    const badTime = await search(harness, { from: 'last tuesday' });
    expect(badTime.status).toBe(422);
    expect(badTime.body.errors).toEqual([expect.objectContaining({ field: 'from' })]);
    expect((await search(harness, { limit: 201 })).status).toBe(422);
  });
});
