import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog, conversations } from '../../src/db/schema/index.js';
import { EMAIL_CAPTURE_SOURCE } from '../../src/workflows/conversation-lifecycle.contract.js';
import { auditTrailOf } from '../support/audit-entries.js';
import { createHarness, type Harness } from '../support/harness.js';
import { download, emailMessage, postEml, searchIds, uniqueWord } from '../support/content-fixtures.js';

let harness: Harness;
beforeAll(async () => {
  harness = await createHarness();
});
afterAll(async () => {
  await harness?.close();
});

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

function tradeEmail() {
  const id = uniqueWord('t');
  const attachment = { fileName: `confirmation-${id}.pdf`, contentType: 'application/pdf', content: Buffer.concat([Buffer.from('%PDF-1.7\n'), randomBytes(3000)]) };
  const options = {
    from: { address: `Trader.${id}@Bank.example.com`, name: `Alex ${id}` },
    to: [`client.${id}@example.org`, `desk.${id}@bank.example.com`],
    cc: [`compliance.${id}@bank.example.com`],
    subject: `Trade confirmation ${id} bund futures`,
    body: `Dear client, we executed your order ${id}zeta for 10 Bund futures.`,
    attachment,
  };
  return { id, options, attachment, eml: emailMessage(options) };
}

describe('email import through the API', () => {
  it('makes an email with an attachment a conversation searchable by from, to, cc, subject and body', async () => {
    const { id, options, attachment, eml } = tradeEmail();
    const posted = await postEml(harness, eml);
    expect(posted.status).toBe(201);
    expect(posted.body).toMatchObject({ kind: 'email', status: 'created' });
    const { conversationId } = posted.body;

    const ids = [conversationId];
    expect(await searchIds(harness, { emailFrom: options.from.address })).toEqual(ids);
    expect(await searchIds(harness, { emailTo: options.to[1]! })).toEqual(ids);
    expect(await searchIds(harness, { cc: options.cc[0]!.toUpperCase() })).toEqual(ids);
    expect(await searchIds(harness, { emailTo: options.cc[0]! })).toEqual([]);
    expect(await searchIds(harness, { subject: `confirmation ${id}` })).toEqual(ids);
    expect(await searchIds(harness, { subject: `${id}zeta` })).toEqual([]);
    expect(await searchIds(harness, { q: `${id}zeta` })).toEqual(ids);
    expect(await searchIds(harness, { q: `Alex ${id}`, channel: 'EMAIL' })).toEqual(ids);

    const hit = (await harness.http('GET', `/v1/conversations?subject=${id}`)).body.items[0];
    expect(hit).toMatchObject({
      channel: 'EMAIL',
      startedAt: '2026-11-20T10:00:00.000Z',
      email: { from: options.from.address.toLowerCase(), to: options.to.map((address) => address.toLowerCase()), subject: options.subject },
    });
    expect(await auditTrailOf(harness.db, posted.headers.get('x-request-id'))).toEqual(['EMAIL_IMPORT:BEGIN:null', 'CONVERSATION_CAPTURED:SYNC:OK', 'EMAIL_IMPORT:END:OK']);

    // The attachment and the original message are media whose digests verify on read.
    const listed = await harness.http('GET', `/v1/conversations/${conversationId}/media`);
    expect(listed.body.items).toEqual([
      expect.objectContaining({ kind: 'attachment', sha256: sha256(attachment.content), fileName: attachment.fileName, contentType: 'application/pdf', sizeBytes: attachment.content.length }),
      expect.objectContaining({ kind: 'original', sha256: sha256(Buffer.from(eml)), contentType: 'message/rfc822' }),
    ]);
    const file = await download(harness, conversationId, sha256(attachment.content));
    expect(file.status).toBe(200);
    expect(file.bytes.equals(attachment.content)).toBe(true);
    expect(file.headers.get('x-content-sha256')).toBe(sha256(attachment.content));
    expect(file.headers.get('content-disposition')).toContain(`filename="${attachment.fileName}"`);
    const original = await download(harness, conversationId, sha256(Buffer.from(eml)));
    expect(original.bytes.toString()).toBe(eml);
  });

  it('refuses to serve a media file altered on disk, with an integrity error that is audited', async () => {
    const { attachment, eml } = tradeEmail();
    const { conversationId } = (await postEml(harness, eml)).body;
    const digest = sha256(attachment.content);
    const file = harness.media.pathOf(digest);
    fs.chmodSync(file, 0o644);
    const tampered = Buffer.from(attachment.content);
    tampered[100] = tampered[100]! ^ 0xff;
    fs.writeFileSync(file, tampered);

    const response = await fetch(`${harness.baseUrl}/v1/conversations/${conversationId}/media/${digest}`, { headers: { authorization: `Bearer ${harness.admin.token}` } });
    expect(response.status).toBe(500);
    expect(response.headers.get('content-type')).toContain('application/problem+json');
    const body = (await response.json()) as { title: string; detail: string };
    expect(body.title).toBe('Media integrity violation');
    expect(body.detail).toContain(digest);
    const accesses = await harness.db.select().from(auditLog).where(and(eq(auditLog.correlationId, response.headers.get('x-request-id')!), eq(auditLog.activity, 'ACCESS_MEDIA')));
    expect(accesses).toEqual([expect.objectContaining({ phase: 'SYNC', result: 'FAIL', conversationId })]);
  });

  it('reports a re-imported email as a duplicate of the one conversation', async () => {
    const { options, eml } = tradeEmail();
    const first = await postEml(harness, eml);
    const again = await harness.http('POST', '/v1/emails', { eml: Buffer.from(eml).toString('base64') });
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ status: 'duplicate', conversationId: first.body.conversationId });
    expect(await searchIds(harness, { emailFrom: options.from.address })).toEqual([first.body.conversationId]);
  });

  it('keys an email without Message-ID by its digest, so a replay is still a duplicate', async () => {
    const word = uniqueWord('nomsgid');
    const eml = emailMessage({ messageId: null, from: { address: `${word}@example.com` }, to: ['desk@bank.example.com'], subject: word, body: 'no id' });
    const first = await harness.http('POST', '/v1/emails', { eml: Buffer.from(eml).toString('base64') });
    expect(first.status).toBe(201);
    expect((await postEml(harness, eml)).body).toMatchObject({ status: 'duplicate', conversationId: first.body.conversationId });
    const [row] = await harness.db.select().from(conversations).where(eq(conversations.id, first.body.conversationId));
    expect(row).toMatchObject({ source: EMAIL_CAPTURE_SOURCE, externalKey: sha256(Buffer.from(eml)), channel: 'EMAIL' });
  });

  it('answers something that is not an email with 422 naming why, and keeps a message without From flagged', async () => {
    const word = uniqueWord('nofrom');
    const noFrom = await postEml(harness, `To: someone@example.com\r\nSubject: ${word}\r\n\r\nbody\r\n`);
    expect(noFrom.status).toBe(201);
    const read = await harness.http('GET', `/v1/conversations/${noFrom.body.conversationId}`);
    expect(read.body.captureFlags).toEqual([expect.objectContaining({ code: 'email-without-sender' })]);
    const notEmail = await postEml(harness, 'hello, this is not an email\r\n');
    expect(notEmail.status).toBe(422);
    expect(notEmail.body.errors).toEqual([expect.objectContaining({ field: 'eml' })]);
    expect(await auditTrailOf(harness.db, notEmail.headers.get('x-request-id'))).toEqual(['EMAIL_IMPORT:BEGIN:null', 'EMAIL_IMPORT:END:FAIL']);
    const notBase64 = await harness.http('POST', '/v1/emails', { eml: '!!not base64!!' });
    expect(notBase64.status).toBe(422);
    expect(notBase64.body.errors).toEqual([expect.objectContaining({ field: 'eml' })]);
  });
});
