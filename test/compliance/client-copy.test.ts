import { randomInt } from 'node:crypto';
import fs from 'node:fs';
import { and, eq } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { auditLog } from '../../src/db/schema/index.js';
import { sha256Hex } from '../../src/lib/digest.js';
import { auditTrailOf } from '../support/audit-entries.js';
import { contactRecord } from '../support/contact-records.js';
import { emailMessage, postEml, uniqueWord } from '../support/content-fixtures.js';
import { createHarness } from '../support/harness.js';
import { uniqueId } from '../support/lifecycle.js';
import { untar } from '../support/untar.js';

const harness = await createHarness();
afterAll(async () => {
  await harness.close();
});

const phoneNumber = () => `+4420${String(randomInt(10_000_000, 99_999_999))}`;

/** One client's records in three channels (call, email, meeting), and another client's call and email. */
async function twoClients() {
  const client = { phoneNumber: phoneNumber(), emailAddress: `${uniqueWord('jane')}@example.com`, clientId: uniqueId('client') };
  const other = { phoneNumber: phoneNumber(), emailAddress: `${uniqueWord('joe')}@example.com` };
  const call = async (address: string) => {
    const posted = await harness.http('POST', '/v1/contact-records', contactRecord({ CustomerEndpoint: { Address: address, Type: 'TELEPHONE_NUMBER' } }));
    expect(posted.body.results[0].status, JSON.stringify(posted.body)).toBe('created');
    return posted.body.results[0].conversationId as string;
  };
  const email = async (from: string) => {
    const attachment = { fileName: 'order.pdf', contentType: 'application/pdf', content: Buffer.from(`order form ${uniqueWord('pdf')}`) };
    const posted = await postEml(harness, emailMessage({ from: { address: from }, to: ['desk@firm.example'], subject: 'Please sell my bonds', body: 'Sell all at market.', attachment }));
    expect(posted.status, JSON.stringify(posted.body)).toBe(201);
    return posted.body.conversationId as string;
  };
  const meeting = await harness.http('POST', '/v1/meetings', {
    meetingId: uniqueId('meeting'),
    channel: 'VIDEO',
    occurredAt: '2026-11-24T14:00:00Z',
    location: 'Video call',
    attendees: [
      { name: 'Jane Client', role: 'client', clientId: client.clientId },
      { name: 'Adviser Ada', role: 'staff' },
    ],
    initiator: 'Adviser Ada',
    notes: 'Annual suitability review.',
  });
  expect(meeting.status, JSON.stringify(meeting.body)).toBe(201);
  return {
    client,
    theirs: { call: await call(client.phoneNumber), email: await email(client.emailAddress), meeting: meeting.body.conversationId as string },
    others: [await call(other.phoneNumber), await email(other.emailAddress)],
  };
}

async function requestCopy(body: unknown, token = harness.admin.token) {
  const response = await fetch(`${harness.baseUrl}/v1/client-copies`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: response.status, headers: response.headers, bytes: Buffer.from(await response.arrayBuffer()) };
}

describe('client copy on request (Art. 16(7))', () => {
  it("packages one client's call, email and meeting minutes with a manifest of digests, leaves other clients out, and audits it", async () => {
    const { client, theirs, others } = await twoClients();
    const copy = await requestCopy(client);
    expect(copy.status, copy.bytes.toString('utf8')).toBe(200);
    expect(copy.headers.get('content-type')).toBe('application/x-tar');

    const files = untar(copy.bytes);
    const manifestBytes = files.get('manifest.json')!;
    expect(copy.headers.get('x-manifest-sha256')).toBe(sha256Hex(manifestBytes));
    const manifest = JSON.parse(manifestBytes.toString('utf8'));
    expect(manifest.client).toEqual(client);
    const ids = manifest.conversations.map((c: { conversationId: string }) => c.conversationId);
    expect(ids.sort()).toEqual([theirs.call, theirs.email, theirs.meeting].sort());
    for (const other of others) expect(ids).not.toContain(other);

    // Every file the manifest lists is in the package, and hashes to its digest; nothing else is.
    expect([...files.keys()].sort()).toEqual(['manifest.json', ...manifest.files.map((f: { path: string }) => f.path)].sort());
    for (const file of manifest.files) expect(sha256Hex(files.get(file.path)!), file.path).toBe(file.sha256);
    const kinds = (conversationId: string) => manifest.files.filter((f: { conversationId: string }) => f.conversationId === conversationId).map((f: { kind: string }) => f.kind).sort();
    expect(kinds(theirs.call)).toEqual(['conversation']);
    expect(kinds(theirs.email)).toEqual(['attachment', 'conversation', 'original']);
    expect(kinds(theirs.meeting)).toEqual(['conversation', 'original']);
    const callRecord = JSON.parse(files.get(`conversations/${theirs.call}/conversation.json`)!.toString('utf8'));
    expect(callRecord).toMatchObject({ id: theirs.call, customerAddress: client.phoneNumber, legs: [expect.objectContaining({ channel: 'VOICE' })] });
    const minutesFile = manifest.files.find((f: { conversationId: string; kind: string }) => f.conversationId === theirs.meeting && f.kind === 'original');
    expect(JSON.parse(files.get(minutesFile.path)!.toString('utf8'))).toMatchObject({ notes: 'Annual suitability review.' });

    const correlationId = copy.headers.get('x-request-id');
    expect(await auditTrailOf(harness.db, correlationId)).toEqual(['CLIENT_COPY_EXPORT:BEGIN:null', ...ids.map(() => 'CONVERSATION_DISCLOSED:SYNC:OK'), 'CLIENT_COPY_EXPORT:END:OK']);
    const [end] = await harness.db.select().from(auditLog).where(and(eq(auditLog.correlationId, correlationId!), eq(auditLog.phase, 'END')));
    expect(end?.details).toMatchObject({ manifestSha256: sha256Hex(manifestBytes), files: { conversation: 3, original: 2, attachment: 1 } });
    expect(((end?.details as { conversationIds: string[] }).conversationIds).sort()).toEqual(ids.sort());
    // Each conversation's own history shows the disclosure.
    const disclosed = await harness.db.select().from(auditLog).where(and(eq(auditLog.correlationId, correlationId!), eq(auditLog.activity, 'CONVERSATION_DISCLOSED')));
    expect(disclosed.map((entry) => entry.conversationId).sort()).toEqual(ids.sort());
  });

  it('finds a client by any one identifier alone', async () => {
    const { client, theirs } = await twoClients();
    const idsOf = async (body: unknown) => JSON.parse(untar((await requestCopy(body)).bytes).get('manifest.json')!.toString('utf8')).conversations.map((c: { conversationId: string }) => c.conversationId);
    expect(await idsOf({ phoneNumber: client.phoneNumber })).toEqual([theirs.call]);
    expect(await idsOf({ emailAddress: client.emailAddress.toUpperCase() })).toEqual([theirs.email]);
    expect(await idsOf({ clientId: client.clientId })).toEqual([theirs.meeting]);
  });

  it('sends nothing when one of the client’s files no longer matches its digest, and audits the failure', async () => {
    const { client, theirs } = await twoClients();
    const media = (await harness.http('GET', `/v1/conversations/${theirs.email}/media`)).body.items as { kind: string; sha256: string }[];
    const attachment = media.find((item) => item.kind === 'attachment')!;
    const file = harness.media.pathOf(attachment.sha256);
    fs.chmodSync(file, 0o644);
    fs.writeFileSync(file, 'altered on disk');

    const copy = await requestCopy({ emailAddress: client.emailAddress });
    expect(copy.status).toBe(500);
    expect(JSON.parse(copy.bytes.toString('utf8'))).toMatchObject({ title: 'Media integrity violation' });
    expect(await auditTrailOf(harness.db, copy.headers.get('x-request-id'))).toEqual(['CLIENT_COPY_EXPORT:BEGIN:null', 'CLIENT_COPY_EXPORT:END:FAIL']);
  });

  it('refuses a request naming no client (422 naming the field) and callers outside compliance (403)', async () => {
    const empty = await harness.http('POST', '/v1/client-copies', {});
    expect(empty.status).toBe(422);
    expect(empty.body.errors).toEqual([expect.objectContaining({ field: 'phoneNumber' })]);
    const agent = await harness.tokenFor('agent');
    expect((await requestCopy({ phoneNumber: phoneNumber() }, agent)).status).toBe(403);
  });
});
