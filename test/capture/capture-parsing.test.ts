import { describe, expect, it } from 'vitest';
import { parseEmail } from '../../src/activities/content/email-parser.js';
import { chatMessagesOf, chatTranscriptSchema } from '../../src/domain/chat-transcript.js';
import { readEmailEnvelope } from '../../src/domain/email-envelope.js';
import { chatTranscript, emailMessage } from '../support/content-fixtures.js';

describe('reading an email envelope', () => {
  it('finds the Message-ID in folded headers after an mbox separator line', () => {
    const message = 'From sender@example.com Fri Nov 20 10:00:00 2026\r\nFrom: a@example.com\r\nMessage-ID:\r\n <abc.123@mail.example.com>\r\nSubject: x\r\n\r\nMessage-ID: <not-this@body>\r\n';
    expect(readEmailEnvelope(message)).toEqual({ ok: true, messageId: 'abc.123@mail.example.com' });
  });

  it('accepts a message without Message-ID and refuses text that is not a message', () => {
    expect(readEmailEnvelope('From: a@example.com\n\nhi')).toEqual({ ok: true, messageId: null });
    expect(readEmailEnvelope('hello there, this is not an email')).toMatchObject({ ok: false, issues: [{ field: 'eml' }] });
    expect(readEmailEnvelope('')).toMatchObject({ ok: false, issues: [{ field: 'eml' }] });
  });

  it('reads past a malformed header line and accepts a message without From', () => {
    const message = 'Received: from mx\r\nbroken line without a colon\r\nFrom: a@example.com\r\nMessage-ID: <m.1@example.com>\r\n\r\nhi';
    expect(readEmailEnvelope(message)).toEqual({ ok: true, messageId: 'm.1@example.com' });
    expect(readEmailEnvelope('To: b@example.com\r\nSubject: x\r\n\r\nhi')).toEqual({ ok: true, messageId: null });
    expect(readEmailEnvelope('Note: call me\r\n\r\nlater')).toMatchObject({ ok: false, issues: [{ field: 'eml' }] });
  });
});

describe('parsing an email', () => {
  it('lower-cases addresses, keeps display names, decodes the body and buffers attachments', async () => {
    const content = Buffer.from('%PDF-1.7 test');
    const raw = emailMessage({
      messageId: 'id-1@example.com',
      from: { address: 'Alice@Example.COM', name: 'Alice Smith' },
      to: ['"Bob" <bob@example.org>', 'desk@example.org'],
      cc: ['Undisclosed: carol@example.org, dave@example.org;'],
      subject: '=?UTF-8?B?UmVjaG51bmcgw5xiZXJ3ZWlzdW5n?=',
      body: 'Grüße',
      attachment: { fileName: 'a.pdf', contentType: 'application/pdf', content },
    });
    const email = await parseEmail(Buffer.from(raw));
    expect(email).toMatchObject({
      messageId: 'id-1@example.com',
      from: { address: 'alice@example.com', name: 'Alice Smith' },
      to: [{ address: 'bob@example.org', name: 'Bob' }, { address: 'desk@example.org', name: null }],
      cc: [{ address: 'carol@example.org' }, { address: 'dave@example.org' }],
      subject: 'Rechnung Überweisung',
      sentAt: new Date('2026-11-20T10:00:00Z'),
    });
    expect(email.bodyText?.trim()).toBe('Grüße');
    expect(email.attachments).toEqual([{ fileName: 'a.pdf', contentType: 'application/pdf', content }]);
  });
});

describe('chat transcript items', () => {
  it('are ordered by time, keep attachment names as text, and get a stable key when they have no Id', () => {
    const transcript = chatTranscriptSchema.parse({
      ContactId: 'c-1',
      Transcript: [
        { Type: 'MESSAGE', AbsoluteTime: '2026-11-20T10:00:02Z', Content: 'second', Id: null },
        { Type: 'ATTACHMENT', AbsoluteTime: '2026-11-20T10:00:03Z', Id: 'att', Attachments: [{ AttachmentName: 'statement.pdf' }] },
        { Type: 'MESSAGE', AbsoluteTime: '2026-11-20T10:00:01Z', Content: 'first', Id: 'm1', ParticipantRole: 'CUSTOMER' },
      ],
    });
    const messages = chatMessagesOf(transcript, (item) => `key-${item.Content}`);
    expect(messages.map((message) => [message.seq, message.itemId, message.body])).toEqual([
      [0, 'm1', 'first'],
      [1, 'key-second', 'second'],
      [2, 'att', 'statement.pdf'],
    ]);
  });

  it('accept the shape Connect writes, with nulls and fields not listed', () => {
    const transcript = chatTranscript({ customerName: 'Jo', agentName: 'Sam', messages: [{ from: 'AGENT', text: 'hi', at: '2026-11-20T10:00:00Z' }] });
    expect(chatTranscriptSchema.safeParse(transcript).success).toBe(true);
  });
});
