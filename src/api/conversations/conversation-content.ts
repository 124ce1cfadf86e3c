import { and, asc, eq, gt, inArray } from 'drizzle-orm';
import type { Executor } from '../../db/client.js';
import { callRecordings, contactRecords, conversationEmails, conversationMedia, conversationMessages, conversationSegments, conversationTags } from '../../db/schema/index.js';

const iso = (date: Date | null) => (date ? date.toISOString() : null);

/** Enough of a body to recognise the message; the whole message is the `original` media. */
export const BODY_EXCERPT_CHARS = 4_000;
export const DEFAULT_MESSAGES_LIMIT = 200;

export interface MessagesPage {
  /** At most this many chat messages, after the cursor (the `seq` of the last one already read). */
  limit: number;
  after: number | null;
}

async function mediaOf(db: Executor, conversationId: string, kinds: ('attachment' | 'recording')[]) {
  return db
    .select({ kind: conversationMedia.kind, sha256: conversationMedia.sha256, fileName: conversationMedia.fileName, contentType: conversationMedia.contentType, segmentIndex: conversationMedia.segmentIndex, position: conversationMedia.position })
    .from(conversationMedia)
    .where(and(eq(conversationMedia.conversationId, conversationId), inArray(conversationMedia.kind, kinds)))
    .orderBy(asc(conversationMedia.kind), asc(conversationMedia.position));
}

/** An imported email's parties, subject, a body excerpt and its attachments' names with digests; null for others. */
export async function emailContentOf(db: Executor, conversationId: string) {
  const [email] = await db.select().from(conversationEmails).where(eq(conversationEmails.conversationId, conversationId));
  if (!email) return null;
  const attachments = (await mediaOf(db, conversationId, ['attachment'])).map((m) => ({ fileName: m.fileName, contentType: m.contentType, sha256: m.sha256 }));
  const body = email.bodyText ?? null;
  return {
    messageId: email.messageId,
    from: email.fromAddress,
    to: email.toAddresses,
    cc: email.ccAddresses,
    subject: email.subject,
    sentAt: iso(email.sentAt),
    bodyExcerpt: body === null ? null : body.slice(0, BODY_EXCERPT_CHARS),
    bodyTruncated: body !== null && body.length > BODY_EXCERPT_CHARS,
    originalSha256: email.rawSha256,
    attachments,
  };
}

/** A chat's participants and one page of its messages (keyset by seq); null when the conversation has none. */
export async function chatContentOf(db: Executor, conversationId: string, page: MessagesPage) {
  const m = conversationMessages;
  const participants = await db
    .selectDistinct({ participantId: m.participantId, role: m.participantRole, displayName: m.displayName })
    .from(m)
    .where(eq(m.conversationId, conversationId))
    .orderBy(asc(m.participantId), asc(m.participantRole), asc(m.displayName));
  if (participants.length === 0) return null;
  const rows = await db
    .select()
    .from(m)
    .where(and(eq(m.conversationId, conversationId), page.after === null ? undefined : gt(m.seq, page.after)))
    .orderBy(asc(m.seq))
    .limit(page.limit + 1);
  const messages = rows.slice(0, page.limit).map((row) => ({
    seq: row.seq,
    itemId: row.itemId,
    type: row.itemType,
    sentAt: row.sentAt.toISOString(),
    participantId: row.participantId,
    participantRole: row.participantRole,
    displayName: row.displayName,
    contentType: row.contentType,
    body: row.body,
  }));
  return {
    participants: participants.filter((p) => p.participantId !== null || p.displayName !== null),
    messages,
    nextMessagesCursor: rows.length > page.limit ? String(messages.at(-1)!.seq) : null,
  };
}

/** A call's recorded segments, each with the recordings bound to it (digests to fetch from the media route). */
export async function segmentsOf(db: Executor, conversationId: string) {
  const s = conversationSegments;
  const segments = await db.select().from(s).where(eq(s.conversationId, conversationId)).orderBy(asc(s.segmentIndex));
  const recordings = await mediaOf(db, conversationId, ['recording']);
  // Provenance (upload or S3 location) and size, where the recording came in through call_recordings.
  const provenance = await db.select().from(callRecordings).where(eq(callRecordings.conversationId, conversationId));
  const provenanceOf = (segmentIndex: number, sha256: string) => provenance.find((row) => row.segmentIndex === segmentIndex && row.sha256 === sha256);
  return segments.map((segment) => ({
    segmentIndex: segment.segmentIndex,
    kind: segment.kind,
    partyA: segment.partyA,
    partyB: segment.partyB,
    startedAt: segment.startedAt.toISOString(),
    endedAt: iso(segment.endedAt),
    recorded: segment.recorded,
    consent: segment.consent,
    mediaKept: segment.mediaKept,
    recordings: recordings
      .filter((r) => r.segmentIndex === segment.segmentIndex)
      .map((r) => {
        const origin = provenanceOf(segment.segmentIndex, r.sha256);
        return { sha256: r.sha256, contentType: r.contentType, fileName: r.fileName, sizeBytes: origin?.sizeBytes ?? null, source: origin?.source ?? null, sourceLocation: origin?.sourceLocation ?? null };
      }),
  }));
}

/** Every tag per segment and source (segment 0: the conversation as a whole), as the seed's call-flow tables list them. */
export async function tagsOf(db: Executor, conversationId: string) {
  const t = conversationTags;
  const rows = await db.select().from(t).where(eq(t.conversationId, conversationId)).orderBy(asc(t.segmentIndex), asc(t.source), asc(t.name));
  return rows.map((row) => ({ segmentIndex: row.segmentIndex, name: row.name, value: row.value, source: row.source, appliedAt: row.appliedAt.toISOString() }));
}

interface TransferringRecord {
  TransferredToEndpoint?: { Address?: string | null; Type?: string | null } | null;
  TransferCompletedTimestamp?: string | null;
}

/** Where a contact was transferred to, as its contact records say (TransferredToEndpoint). */
export async function transferTargetsOf(db: Executor, conversationId: string) {
  const rows = await db
    .select({ contactId: contactRecords.contactId, nextContactId: contactRecords.nextContactId, record: contactRecords.record })
    .from(contactRecords)
    .where(eq(contactRecords.conversationId, conversationId))
    .orderBy(asc(contactRecords.initiationTimestamp), asc(contactRecords.contactId));
  return rows.flatMap((row) => {
    const record = row.record as TransferringRecord;
    const address = record.TransferredToEndpoint?.Address;
    if (!address) return [];
    return [{ contactId: row.contactId, address, type: record.TransferredToEndpoint?.Type ?? null, completedAt: record.TransferCompletedTimestamp ?? null, nextContactId: row.nextContactId }];
  });
}
