import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditEntriesOf } from '../support/audit-entries.js';
import { createHarness, type Harness } from '../support/harness.js';
import { postEml, search } from '../support/content-fixtures.js';
import * as shapes from '../support/email-shapes.js';
import type { EmailShape } from '../support/email-shapes.js';

let harness: Harness;
beforeAll(async () => {
  harness = await createHarness();
});
afterAll(async () => {
  await harness?.close();
});

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

/** Posts a shape and asserts it is stored, found by its body's word, with its sender and decoded subject. */
async function postAndFind(shape: EmailShape) {
  const posted = await postEml(harness, shape.raw);
  expect(posted.status, JSON.stringify(posted.body)).toBe(201);
  expect(posted.body).toMatchObject({ kind: 'email', status: 'created' });
  const found = await search(harness, { q: shape.word });
  expect(found.body.items.map((item: { id: string }) => item.id)).toEqual([posted.body.conversationId]);
  expect(found.body.items[0].email).toMatchObject({ from: shape.from, subject: shape.subject, messageId: shape.messageId });
  const read = await harness.http('GET', `/v1/conversations/${posted.body.conversationId}`);
  expect(read.status).toBe(200);
  return { posted, read: read.body, flags: read.body.captureFlags.map((flag: { code: string }) => flag.code) as string[] };
}

describe('emails as real mail systems send them', () => {
  it.each([
    ['ISO-2022-JP with encoded-word headers', shapes.iso2022jp],
    ['Shift_JIS with a base64 body', shapes.shiftJis],
    ['EUC-KR with a quoted-printable encoded word', shapes.eucKr],
    ['an mbox message with LF-only line ends', shapes.mboxLf],
  ])('stores %s with its sender, decoded subject and searchable body', async (_name, shape) => {
    const { flags } = await postAndFind(shape());
    expect(flags).toEqual([]);
  });

  it('stores a message with a malformed header line before From: with its sender', async () => {
    const { flags } = await postAndFind(shapes.malformedHeaderLine());
    expect(flags).toEqual([]);
  });

  it('stores a message whose Date is no date, dated on import and flagged', async () => {
    const { posted, read, flags } = await postAndFind(shapes.malformedDate());
    expect(flags).toEqual(['email-unreadable-date']);
    expect(Date.now() - new Date(read.startedAt).getTime()).toBeLessThan(60_000);
    const [, captured] = await auditEntriesOf(harness.db, posted.headers.get('x-request-id')!);
    expect(captured!.details).toMatchObject({ captureFlags: ['email-unreadable-date'] });
  });

  it('stores a message without a sender, flagged email-without-sender, instead of refusing it', async () => {
    const { flags } = await postAndFind(shapes.withoutSender());
    expect(flags).toEqual(['email-without-sender']);
  });

  it('makes an HTML-only body searchable through its text', async () => {
    const shape = shapes.htmlOnly();
    const { posted } = await postAndFind(shape);
    expect((await search(harness, { q: `rates ${shape.word}` })).body.items).toHaveLength(1);
    expect((await search(harness, { q: `color ${shape.word}` })).body.items).toHaveLength(0);
    expect(posted.body.media).toEqual(expect.arrayContaining([expect.objectContaining({ kind: 'attachment', fileName: 'rates.pdf' })]));
  });

  it('keeps a forwarded message/rfc822 attachment as media of the outer message', async () => {
    const shape = shapes.nestedRfc822();
    const { posted } = await postAndFind(shape);
    expect(posted.body.media).toEqual(expect.arrayContaining([expect.objectContaining({ kind: 'original', sha256: sha256(shape.raw) })]));
    expect(posted.body.media.length).toBeGreaterThanOrEqual(2);
  });

  it('keeps two different messages sharing a Message-ID as two conversations; only the same bytes are a duplicate', async () => {
    const [first, second] = shapes.sharingMessageId();
    const a = await postAndFind(first);
    const b = await postAndFind(second);
    expect(b.posted.body.conversationId).not.toBe(a.posted.body.conversationId);
    expect(b.posted.body.sharedMessageId).toEqual({ messageId: first.messageId, firstConversationId: a.posted.body.conversationId });
    expect(a.posted.body.sharedMessageId).toBeUndefined();
    expect(b.flags).toEqual(['email-shared-message-id']);
    const [, captured, end] = await auditEntriesOf(harness.db, b.posted.headers.get('x-request-id')!);
    expect(captured!.details).toMatchObject({ externalKey: `${first.messageId}#sha256:${sha256(second.raw)}`, captureFlags: ['email-shared-message-id'] });
    expect(end!.details).toMatchObject({ outcome: 'created', sharedMessageIdWith: a.posted.body.conversationId });

    // Each message's bytes are referred to by its own conversation: nothing is left on disk without a row.
    expect(b.posted.body.media).toEqual([expect.objectContaining({ kind: 'original', sha256: sha256(second.raw) })]);
    expect(fs.existsSync(harness.media.pathOf(sha256(second.raw)))).toBe(true);

    for (const [shape, conversationId] of [[first, a.posted.body.conversationId], [second, b.posted.body.conversationId]] as const) {
      const again = await postEml(harness, shape.raw);
      expect(again.status).toBe(200);
      expect(again.body).toMatchObject({ status: 'duplicate', conversationId });
    }
  });

  it('refuses text that is not a message at all, naming why', async () => {
    const refused = await postEml(harness, 'Dear desk,\r\nplease call me back.\r\n');
    expect(refused.status).toBe(422);
    expect(refused.headers.get('content-type')).toContain('application/problem+json');
    expect(refused.body.errors).toEqual([expect.objectContaining({ field: 'eml', message: expect.stringContaining('not an RFC 5322 message') })]);
  });
});
