import { randomUUID } from 'node:crypto';
import type { Harness } from './harness.js';

/** A word no other test (or test file sharing the database) will ever use. */
export const uniqueWord = (prefix: string) => `${prefix}${randomUUID().replaceAll('-', '').slice(0, 12)}`;

/** An Amazon Connect chat transcript as Connect writes it to S3: join events with null content, unknown fields. */
export function chatTranscript(options: { contactId?: string; customerName: string; agentName: string; messages: { from: 'AGENT' | 'CUSTOMER'; text: string; at: string }[] }) {
  const contactId = options.contactId ?? randomUUID();
  const customer = randomUUID();
  const agent = randomUUID();
  const participant = (role: 'AGENT' | 'CUSTOMER') =>
    role === 'AGENT' ? { ParticipantId: agent, DisplayName: options.agentName, ParticipantRole: 'AGENT' } : { ParticipantId: customer, DisplayName: options.customerName, ParticipantRole: 'CUSTOMER' };
  const first = options.messages[0]?.at ?? '2026-11-20T10:00:00.000Z';
  return {
    Version: '2019-08-26',
    AWSAccountId: '123456789012',
    InstanceId: 'a1b2c3d4-0000-0000-0000-000000000000',
    InitialContactId: contactId,
    ContactId: contactId,
    Participants: [{ ParticipantId: customer }, { ParticipantId: agent }],
    Transcript: [
      {
        AbsoluteTime: first,
        Content: null,
        ContentType: 'application/vnd.amazonaws.connect.event.participant.joined',
        Id: randomUUID(),
        Type: 'EVENT',
        ...participant('CUSTOMER'),
      },
      ...options.messages.map((message) => ({
        AbsoluteTime: message.at,
        Content: message.text,
        ContentType: 'text/plain',
        Id: randomUUID(),
        Type: 'MESSAGE',
        ...participant(message.from),
        MessageMetadata: { Receipts: [{ DeliveredTimestamp: message.at, ReadTimestamp: null }] },
      })),
    ],
    NewFieldConnectAddedLater: { anything: true },
  };
}

export interface EmailOptions {
  messageId?: string | null;
  from: { address: string; name?: string };
  to: string[];
  cc?: string[];
  subject: string;
  body: string;
  date?: string;
  attachment?: { fileName: string; contentType: string; content: Buffer };
}

const wrap = (base64: string) => base64.replace(/.{1,76}/g, (line) => `${line}\r\n`);

/** A raw RFC 5322 message (.eml) with CRLF line ends, multipart when it has an attachment. */
export function emailMessage(options: EmailOptions): string {
  const headers = [
    `From: ${options.from.name ? `"${options.from.name}" ` : ''}<${options.from.address}>`,
    `To: ${options.to.join(', ')}`,
    ...(options.cc?.length ? [`Cc: ${options.cc.join(', ')}`] : []),
    `Subject: ${options.subject}`,
    `Date: ${options.date ?? 'Fri, 20 Nov 2026 10:00:00 +0000'}`,
    ...(options.messageId === null ? [] : [`Message-ID: <${options.messageId ?? `${randomUUID()}@mail.example.com`}>`]),
    'MIME-Version: 1.0',
  ];
  if (!options.attachment) {
    return [...headers, 'Content-Type: text/plain; charset=utf-8', 'Content-Transfer-Encoding: 8bit', '', options.body, ''].join('\r\n');
  }
  const boundary = `b-${randomUUID()}`;
  return [
    ...headers,
    `Content-Type: multipart/mixed; boundary="${boundary}"`,
    '',
    `--${boundary}`,
    'Content-Type: text/plain; charset=utf-8',
    'Content-Transfer-Encoding: 8bit',
    '',
    options.body,
    `--${boundary}`,
    `Content-Type: ${options.attachment.contentType}; name="${options.attachment.fileName}"`,
    `Content-Disposition: attachment; filename="${options.attachment.fileName}"`,
    'Content-Transfer-Encoding: base64',
    '',
    wrap(options.attachment.content.toString('base64')),
    `--${boundary}--`,
    '',
  ].join('\r\n');
}

export const postEml = (harness: Harness, eml: string | Uint8Array) => harness.http('POST', '/v1/emails', eml, { 'content-type': 'message/rfc822' });

/** Searches as the harness's admin; `params` values may repeat (arrays). */
export function search(harness: Harness, params: Record<string, string | number | string[]>) {
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    for (const entry of Array.isArray(value) ? value : [value]) query.append(key, String(entry));
  }
  return harness.http('GET', `/v1/conversations?${query}`);
}

/** The ids a search finds, asserting it succeeded. */
export async function searchIds(harness: Harness, params: Record<string, string | number | string[]>): Promise<string[]> {
  const answer = await search(harness, params);
  if (answer.status !== 200) throw new Error(`search ${JSON.stringify(params)} answered ${answer.status}: ${JSON.stringify(answer.body)}`);
  return answer.body.items.map((item: { id: string }) => item.id);
}

/** Downloads a media file with the admin's token, as bytes. */
export async function download(harness: Harness, conversationId: string, sha256: string) {
  const response = await fetch(`${harness.baseUrl}/v1/conversations/${conversationId}/media/${sha256}`, {
    headers: { authorization: `Bearer ${harness.admin.token}` },
  });
  return { status: response.status, headers: response.headers, bytes: Buffer.from(await response.arrayBuffer()) };
}
