/**
 * Reads just enough of an RFC 5322 message to import it: that it is a message at all, and
 * its Message-ID (the conversation's key). Full parsing, with bodies and attachments, happens in the
 * capture activity.
 */
export interface EnvelopeIssue {
  field: string;
  message: string;
}

export type EmailEnvelope = { ok: true; messageId: string | null } | { ok: false; issues: EnvelopeIssue[] };

const FIELD_LINE = /^([!-9;-~]+):(.*)$/;
/** mbox exports start each message with a `From sender date` separator line; it is not a header. */
const MBOX_SEPARATOR = /^From \S/;

/** `<id@host>` as written in Message-ID, In-Reply-To or References; the bare id when there are no brackets. */
export function normalizeMessageId(value: string | null | undefined): string | null {
  if (!value) return null;
  const bracketed = /<([^<>\s]+)>/.exec(value);
  if (bracketed) return bracketed[1]!;
  const bare = value.trim();
  return bare !== '' && !/\s/.test(bare) ? bare : null;
}

/**
 * Header fields in order, folded lines joined. A line that is neither a field nor a continuation is skipped, as
 * mailparser skips it: one malformed line does not hide the fields after it.
 */
function headerFields(message: string): { name: string; value: string }[] {
  const end = message.search(/\r?\n\r?\n/);
  const lines = (end === -1 ? message : message.slice(0, end)).split(/\r?\n/);
  if (lines[0] !== undefined && MBOX_SEPARATOR.test(lines[0])) lines.shift();
  const fields: { name: string; value: string }[] = [];
  let last: { name: string; value: string } | undefined;
  for (const line of lines) {
    if (/^[ \t]/.test(line) && last) {
      last.value += ` ${line.trim()}`;
      continue;
    }
    const match = FIELD_LINE.exec(line);
    last = match ? { name: match[1]!.toLowerCase(), value: match[2]!.trim() } : undefined;
    if (last) fields.push(last);
  }
  return fields;
}

/** Fields only a message has: text with none of them in its header block is not an email at all. */
const MESSAGE_FIELDS = new Set(['from', 'sender', 'to', 'cc', 'bcc', 'subject', 'date', 'message-id', 'received', 'return-path', 'reply-to', 'mime-version', 'content-type']);

/**
 * `message` is the raw message decoded byte for byte (latin1), so no input can fail to decode. Only what is
 * not a message at all is refused; a message without a sender is the parser's to read and the capture's to flag.
 */
export function readEmailEnvelope(message: string): EmailEnvelope {
  if (message.trim() === '') return { ok: false, issues: [{ field: 'eml', message: 'the message is empty' }] };
  const fields = headerFields(message);
  if (!fields.some((field) => MESSAGE_FIELDS.has(field.name))) {
    return { ok: false, issues: [{ field: 'eml', message: 'not an RFC 5322 message: no header field of a message (From, To, Subject, Date, Message-ID, ...) before the first empty line' }] };
  }
  const messageId = fields.find((field) => field.name === 'message-id');
  return { ok: true, messageId: normalizeMessageId(messageId?.value) };
}

const SHARED_KEY_MARK = '#sha256:';

/**
 * The key of an email's conversation. The first message with a Message-ID is keyed by it; a different message
 * (other bytes) with a Message-ID already used is keyed by the Message-ID and its digest, so importing it again
 * is still a duplicate and it never overwrites or hides the first. No Message-ID: the digest alone.
 */
export function emailExternalKey(messageId: string | null, sha256: string, messageIdTaken: boolean): string {
  if (messageId === null) return sha256;
  return messageIdTaken ? `${messageId}${SHARED_KEY_MARK}${sha256}` : messageId;
}

/** Whether a key is that of a message whose Message-ID another, different message had first. */
export const sharesMessageId = (externalKey: string): boolean => externalKey.includes(SHARED_KEY_MARK);
