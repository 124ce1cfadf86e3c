import { ApplicationFailure } from '@temporalio/activity';
import { convert } from 'html-to-text';
import { simpleParser, type AddressObject, type EmailAddress, type ParsedMail } from 'mailparser';
import { normalizeMessageId } from '../../domain/email-envelope.js';
import { FailureType } from '../../domain/failures.js';

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
  /** A Date header is there but says no date: mailparser would date the message when it was parsed. */
  dateUnreadable: boolean;
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

const PARSER_OPTIONS = { skipImageLinks: true, skipTextToHtml: true, skipTextLinks: true } as const;

/** mailparser replaces a Date it cannot read with the time of parsing; the header line itself tells. */
function dateOf(parsed: ParsedMail): { sentAt: Date | null; dateUnreadable: boolean } {
  const line = parsed.headerLines.find((header) => header.key === 'date');
  if (!line) return { sentAt: null, dateUnreadable: false };
  const written = new Date(line.line.slice(line.line.indexOf(':') + 1).trim());
  if (Number.isNaN(written.getTime())) return { sentAt: null, dateUnreadable: true };
  return { sentAt: parsed.date && !Number.isNaN(parsed.date.getTime()) ? parsed.date : written, dateUnreadable: false };
}

/**
 * The searchable body: the text part, or the HTML's text when the text part is missing or empty (mailparser
 * converts only a message whose root is HTML, not an HTML part beside attachments or an empty text part).
 */
function bodyTextOf(parsed: ParsedMail): string | null {
  if (parsed.text && parsed.text.trim() !== '') return parsed.text;
  if (typeof parsed.html !== 'string' || parsed.html.trim() === '') return parsed.text || null;
  return convert(parsed.html, { wordwrap: false, selectors: [{ selector: 'img', format: 'skip' }, { selector: 'a', options: { ignoreHref: true } }] });
}

function parsedEmailOf(parsed: ParsedMail): ParsedEmail {
  return {
    messageId: normalizeMessageId(parsed.messageId),
    from: partiesOf(parsed.from)[0] ?? null,
    to: partiesOf(parsed.to),
    cc: partiesOf(parsed.cc),
    bcc: partiesOf(parsed.bcc),
    subject: storable(parsed.subject),
    bodyText: storable(bodyTextOf(parsed)),
    ...dateOf(parsed),
    attachments: parsed.attachments.map((attachment) => ({
      fileName: storable(attachment.filename),
      contentType: attachment.contentType || 'application/octet-stream',
      content: attachment.content,
    })),
  };
}

/**
 * Parses an RFC 5322 message with mailparser (bodies decoded, HTML-only messages turned into text,
 * attachments, including inline images, buffered). CPU work, kept out of workflow and domain code.
 * The message is in memory, so a parser error is a refusal of these bytes (mailparser's limits: more than
 * 1,000 parts, a header over 1 MiB), never transient: it is thrown non-retryable as UnparsableEmail.
 */
export async function parseEmail(raw: Buffer): Promise<ParsedEmail> {
  let parsed: ParsedMail;
  try {
    parsed = await simpleParser(raw, PARSER_OPTIONS);
  } catch (error) {
    throw ApplicationFailure.nonRetryable(error instanceof Error ? error.message : String(error), FailureType.UnparsableEmail);
  }
  return parsedEmailOf(parsed);
}

/** Whether an error is parseEmail's refusal of the message. */
export function isEmailRefusal(error: unknown): error is ApplicationFailure {
  return error instanceof ApplicationFailure && error.type === FailureType.UnparsableEmail;
}

/**
 * What the top-level header of a refused message says (parties, subject, date, Message-ID), read by
 * parsing the header block alone; no body, no attachments. Null when even that is refused.
 */
export async function parseEmailHeaders(raw: Buffer): Promise<ParsedEmail | null> {
  const crlf = raw.indexOf('\r\n\r\n');
  const lf = raw.indexOf('\n\n');
  const ends = [crlf, lf].filter((index) => index !== -1);
  const header = ends.length === 0 ? raw : raw.subarray(0, Math.min(...ends));
  try {
    const parsed = parsedEmailOf(await simpleParser(Buffer.concat([header, Buffer.from('\r\n\r\n')]), PARSER_OPTIONS));
    return { ...parsed, bodyText: null, attachments: [] };
  } catch {
    return null;
  }
}
