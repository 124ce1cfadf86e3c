import { ApplicationFailure } from '@temporalio/activity';
import { eq, sql } from 'drizzle-orm';
import { workflowActor } from '../../audit/write/actor.js';
import { appendAudit, syncEntry, type AuditEntry } from '../../audit/write/audit-writer.js';
import { contactRecords, conversationMessages, conversations } from '../../db/schema/index.js';
import type { Executor } from '../../db/client.js';
import { readChatImport } from '../../domain/chat-import.js';
import { chatMessagesOf, chatTimespan } from '../../domain/chat-transcript.js';
import { FailureType } from '../../domain/failures.js';
import { canonicalJson, sha256Hex } from '../../lib/digest.js';
import { refreshSearchDocument } from '../../search/search-document.js';
import type { CaptureChatContent, CaptureContentResult } from '../../workflows/conversation-lifecycle.contract.js';
import type { RequestContext } from '../../audit/write/actor.js';
import type { ActivityDeps } from '../deps.js';
import { changedByRequest, claimConversation } from './captured-conversation.js';
import { readStoredOriginal } from './stored-original.js';
import { attachMedia, mediaOfConversation } from '../../media/conversation-media.js';

export interface StoreChatTranscriptInput {
  conversationId: string;
  source: string;
  externalKey: string;
  chat: CaptureChatContent['chat'];
  context: RequestContext;
  workflow: { workflowId: string; runId: string };
}

/** Rows per INSERT: PostgreSQL allows 65,535 parameters per statement. */
const INSERT_BATCH = 1_000;

/** When the contact began, from its contact record if stored: the base of a Contact Lens file's offsets. */
async function contactStartOf(db: Executor, contactId: string): Promise<string | null> {
  const [row] = await db.select({ at: contactRecords.initiationTimestamp }).from(contactRecords).where(eq(contactRecords.contactId, contactId));
  return row?.at ? row.at.toISOString() : null;
}

/** Reads the stored original (an S3 transcript or a Contact Lens file) in transcript terms. */
async function parseTranscript(db: Executor, stored: Buffer) {
  let json: unknown;
  try {
    json = JSON.parse(stored.toString('utf8'));
  } catch {
    json = undefined;
  }
  const contactId = (json as { CustomerMetadata?: { ContactId?: unknown } } | undefined)?.CustomerMetadata?.ContactId;
  const startedAt = typeof contactId === 'string' ? await contactStartOf(db, contactId) : null;
  const read = readChatImport(json, startedAt);
  if (!read.ok) throw ApplicationFailure.nonRetryable(read.message, FailureType.InvalidInput);
  if (read.chat.offsetsOnly && !startedAt) {
    throw ApplicationFailure.nonRetryable(`Contact Lens chat ${read.chat.transcript.ContactId} has only offsets and its contact record is not stored`, FailureType.InvalidInput);
  }
  return read.chat.transcript;
}

/**
 * Stores a chat transcript the API put in the media store: the conversation, its items in order, and a
 * reference to the transcript itself, from which the items can be proven. A re-delivery adds only items
 * not stored yet ("updated"); an identical one changes nothing ("duplicate").
 */
export async function storeChatTranscript({ db, media }: ActivityDeps, input: StoreChatTranscriptInput): Promise<CaptureContentResult> {
  const stored = await readStoredOriginal(media, input.chat.transcriptSha256);
  const transcript = await parseTranscript(db, stored);
  // Chats imported before they joined their contact record are keyed by ContactId alone.
  if (transcript.ContactId !== input.externalKey && transcript.InitialContactId !== input.externalKey) {
    throw ApplicationFailure.nonRetryable(`transcript of contact ${transcript.ContactId} does not belong to chat ${input.externalKey}`, FailureType.InvalidInput);
  }
  const messages = chatMessagesOf(transcript, (item) => sha256Hex(canonicalJson(item)));
  const span = chatTimespan(messages);
  const transcriptMedia = { sha256: input.chat.transcriptSha256, sizeBytes: stored.byteLength };
  const actor = workflowActor(input.workflow.workflowId, input.workflow.runId);
  const { conversationId, context } = input;

  return db.transaction(async (tx) => {
    const created = await claimConversation(tx, {
      id: conversationId,
      source: input.source,
      externalKey: input.externalKey,
      channel: 'CHAT',
      workflowId: input.workflow.workflowId,
      startedAt: span.startedAt ? new Date(span.startedAt) : null,
      endedAt: span.endedAt ? new Date(span.endedAt) : null,
    });

    const storedItems = await tx
      .select({ itemId: conversationMessages.itemId, seq: conversationMessages.seq })
      .from(conversationMessages)
      .where(eq(conversationMessages.conversationId, conversationId));
    const storedIds = new Set(storedItems.map((row) => row.itemId));
    let nextSeq = storedItems.reduce((max, row) => Math.max(max, row.seq + 1), 0);
    const fresh = messages
      .filter((message) => !storedIds.has(message.itemId))
      .map((message) => ({ ...message, conversationId, seq: nextSeq++, sentAt: new Date(message.sentAt) }));
    for (let start = 0; start < fresh.length; start += INSERT_BATCH) {
      await tx.insert(conversationMessages).values(fresh.slice(start, start + INSERT_BATCH));
    }
    const newTranscripts = await attachMedia(tx, conversationId, [
      { sha256: transcriptMedia.sha256, sizeBytes: transcriptMedia.sizeBytes, kind: 'transcript', fileName: null, contentType: 'application/json' },
    ]);

    if (!created && fresh.length > 0 && span.startedAt && span.endedAt) {
      await tx
        .update(conversations)
        .set({
          startedAt: sql`least(${conversations.startedAt}, ${span.startedAt}::timestamptz)`,
          endedAt: sql`greatest(${conversations.endedAt}, ${span.endedAt}::timestamptz)`,
          updatedAt: sql`now()`,
        })
        .where(eq(conversations.id, conversationId));
    }

    const details = { contactId: transcript.ContactId, items: messages.length, newItems: fresh.length, transcriptSha256: transcriptMedia.sha256, requestedBy: context.actor.id };
    const base = { actor, correlationId: context.correlationId, conversationId, details };
    let outcome: CaptureContentResult['outcome'];
    if (created) {
      outcome = 'created';
      await refreshSearchDocument(tx, conversationId);
      await appendAudit(tx, [
        syncEntry({ ...base, activity: 'CONVERSATION_CAPTURED', result: 'OK', description: `Conversation ${conversationId} captured from chat ${transcript.ContactId}` }),
      ]);
    } else if (fresh.length > 0 || newTranscripts > 0) {
      outcome = 'updated';
      await refreshSearchDocument(tx, conversationId);
      const change = { ...base, activity: 'CONVERSATION_EVENT_CHAT_CHANGE', description: `Chat ${transcript.ContactId} delivered with ${fresh.length} new item(s)` };
      const entries: AuditEntry[] = [
        { ...change, phase: 'BEGIN', result: null },
        { ...change, phase: 'END', result: 'OK' },
      ];
      await appendAudit(tx, entries);
    } else if (await changedByRequest(tx, conversationId, 'CONVERSATION_CAPTURED', context.correlationId)) {
      outcome = 'created';
    } else if (await changedByRequest(tx, conversationId, 'CONVERSATION_EVENT_CHAT_CHANGE', context.correlationId)) {
      outcome = 'updated';
    } else {
      outcome = 'duplicate';
    }
    return { conversationId, kind: 'chat', outcome, media: await mediaOfConversation(tx, conversationId) };
  });
}
