import { simpleParser, type AddressObject, type EmailAddress } from 'mailparser';
import { normalizeMessageId } from '../../domain/email-envelope.js';

export interface EmailParty {
  address: string;
  name: string | null;
}

export interface ParsedEmail {
  messageId: string | null;
  from: EmailParty | null;
  to: EmailParty[];
  cc: EmailParty[];
  bcc: EmailParty[];
  subject: string | null;
  bodyText: string | null;
  sentAt: Date | null;
  attachments: { fileName: string | null; contentType: string; content: Buffer }[];
}

/** PostgreSQL text cannot hold NUL, which a message may well contain; nothing else is altered. */
const storable = (text: string | null | undefined): string | null => (text ? text.replaceAll('\u0000', '') : null);

function partiesOf(field: AddressObject | AddressObject[] | undefined): EmailParty[] {
  const flatten = (addresses: EmailAddress[]): EmailAddress[] => addresses.flatMap((entry) => (entry.group ? flatten(entry.group) : [entry]));
  const objects = field === undefined ? [] : Array.isArray(field) ? field : [field];
  return flatten(objects.flatMap((object) => object.value))
    .filter((entry) => entry.address)
    .map((entry) => ({ address: storable(entry.address!.trim().toLowerCase())!, name: storable(entry.name.trim()) || null }));
}

/**
 * Parses an RFC 5322 message with mailparser (bodies decoded, HTML-only messages turned into text,
 * attachments, including inline images, buffered). CPU work, kept out of workflow and domain code.
 */
export async function parseEmail(raw: Buffer): Promise<ParsedEmail> {
  const parsed = await simpleParser(raw, { skipImageLinks: true, skipTextToHtml: true, skipTextLinks: true });
  const date = parsed.date && !Number.isNaN(parsed.date.getTime()) ? parsed.date : null;
  return {
    messageId: normalizeMessageId(parsed.messageId),
    from: partiesOf(parsed.from)[0] ?? null,
    to: partiesOf(parsed.to),
    cc: partiesOf(parsed.cc),
    bcc: partiesOf(parsed.bcc),
    subject: storable(parsed.subject),
    bodyText: storable(parsed.text),
    sentAt: date,
    attachments: parsed.attachments.map((attachment) => ({
      fileName: storable(attachment.filename),
      contentType: attachment.contentType || 'application/octet-stream',
      content: attachment.content,
    })),
  };
}
