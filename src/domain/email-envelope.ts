/**
 * Reads just enough of an RFC 5322 message to import it: that it is a message at all, who sent it, and
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

/** Header fields in order, folded lines joined; `undefined` when the text does not start with a header. */
function headerFields(message: string): { name: string; value: string }[] | undefined {
  const end = message.search(/\r?\n\r?\n/);
  const lines = (end === -1 ? message : message.slice(0, end)).split(/\r?\n/);
  if (lines[0] !== undefined && MBOX_SEPARATOR.test(lines[0])) lines.shift();
  const fields: { name: string; value: string }[] = [];
  for (const line of lines) {
    const last = fields.at(-1);
    if (/^[ \t]/.test(line) && last) {
      last.value += ` ${line.trim()}`;
      continue;
    }
    const match = FIELD_LINE.exec(line);
    if (!match) return fields.length === 0 ? undefined : fields;
    fields.push({ name: match[1]!.toLowerCase(), value: match[2]!.trim() });
  }
  return fields.length === 0 ? undefined : fields;
}

/** `message` is the raw message decoded byte for byte (latin1), so no input can fail to decode. */
export function readEmailEnvelope(message: string): EmailEnvelope {
  if (message.trim() === '') return { ok: false, issues: [{ field: 'eml', message: 'the message is empty' }] };
  const fields = headerFields(message);
  if (!fields) return { ok: false, issues: [{ field: 'eml', message: 'not an RFC 5322 message: it does not start with header fields' }] };
  const from = fields.find((field) => field.name === 'from');
  if (!from || from.value === '') return { ok: false, issues: [{ field: 'From', message: 'an email needs a From header' }] };
  const messageId = fields.find((field) => field.name === 'message-id');
  return { ok: true, messageId: normalizeMessageId(messageId?.value) };
}
