import { createHash, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditEntriesOf, auditTrailOf } from '../support/audit-entries.js';
import { createHarness, type Harness } from '../support/harness.js';
import { download, postEml, searchIds, uniqueWord } from '../support/content-fixtures.js';

let harness: Harness;
beforeAll(async () => {
  harness = await createHarness();
});
afterAll(async () => {
  await harness?.close();
});

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

/** A message of about 220 KB with 2,000 small attachments: more MIME parts than mailparser accepts (1,000). */
function manyAttachments(id: string): Buffer {
  const boundary = `b-${randomUUID()}`;
  const parts = Array.from({ length: 2_000 }, (_, index) =>
    [`--${boundary}`, `Content-Type: text/plain; name="a${index}.txt"`, `Content-Disposition: attachment; filename="a${index}.txt"`, '', `part ${index}`].join('\r\n'),
  );
  return Buffer.from(
    [
      `From: "Sender ${id}" <Sender.${id}@Example.com>`,
      `To: desk.${id}@bank.example.com`,
      `Subject: Statements ${id}`,
      'Date: Fri, 20 Nov 2026 10:00:00 +0000',
      `Message-ID: <${id}@mail.example.com>`,
      'MIME-Version: 1.0',
      `Content-Type: multipart/mixed; boundary="${boundary}"`,
      '',
      'This is a multi-part message.',
      ...parts,
      `--${boundary}--`,
      '',
    ].join('\r\n'),
  );
}

describe('an email the parser refuses', () => {
  it('is answered at once and captured all the same: flagged unparsed, searchable by its header, its original kept byte for byte', async () => {
    const id = uniqueWord('u');
    const eml = manyAttachments(id);
    expect(eml.byteLength).toBeGreaterThan(200_000);

    const posted = await postEml(harness, eml);
    expect(posted.status, JSON.stringify(posted.body)).toBe(201);
    expect(posted.body).toMatchObject({ kind: 'email', status: 'created', unparsed: { reason: 'Max allowed child nodes exceeded' } });
    expect(posted.body.media).toEqual([expect.objectContaining({ kind: 'original', sha256: sha256(eml), contentType: 'message/rfc822', sizeBytes: eml.byteLength })]);
    const { conversationId } = posted.body;
    expect(await auditTrailOf(harness.db, posted.headers.get('x-request-id'))).toEqual(['EMAIL_IMPORT:BEGIN:null', 'CONVERSATION_CAPTURED:SYNC:OK', 'EMAIL_IMPORT:END:OK']);
    const [, captured] = await auditEntriesOf(harness.db, posted.headers.get('x-request-id')!);
    expect(captured!.details).toMatchObject({ unparsed: 'Max allowed child nodes exceeded', messageId: `${id}@mail.example.com` });

    expect(await searchIds(harness, { 'attr.unparsed': 'true', q: id })).toEqual([conversationId]);
    expect(await searchIds(harness, { emailFrom: `sender.${id}@example.com` })).toEqual([conversationId]);
    expect(await searchIds(harness, { subject: `Statements ${id}` })).toEqual([conversationId]);
    const hit = (await harness.http('GET', `/v1/conversations?subject=${id}`)).body.items[0];
    expect(hit).toMatchObject({ channel: 'EMAIL', startedAt: '2026-11-20T10:00:00.000Z', attributes: { unparsed: 'true', unparsedReason: 'Max allowed child nodes exceeded' } });

    const original = await download(harness, conversationId, sha256(eml));
    expect(original.status).toBe(200);
    expect(sha256(original.bytes)).toBe(sha256(eml));
    expect(original.headers.get('x-content-sha256')).toBe(sha256(eml));

    // The same message again is a duplicate, still flagged.
    const again = await postEml(harness, eml);
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ conversationId, status: 'duplicate', unparsed: { reason: 'Max allowed child nodes exceeded' } });
  });
});
