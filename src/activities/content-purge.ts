import { eq, inArray, sql } from 'drizzle-orm';
import type { Transaction } from '../db/client.js';
import { canonicalJson, sha256Hex } from '../lib/digest.js';
import { queryRows } from '../db/query-rows.js';
import { eraseHeldContactRecords } from '../contact-records/held-deliveries.js';
import {
  callRecordings,
  contactRecords,
  conversationEmails,
  conversationMedia,
  conversationMessages,
  conversationSearchDocuments,
  conversationSegments,
  conversationTags,
  mediaObjects,
  recordingFetches,
} from '../db/schema/index.js';

export interface DestroyedItem {
  what: string;
  sha256: string;
}

export interface PurgeResult {
  destroyed: DestroyedItem[];
  /** Media no other conversation uses any more: their files go once the transaction has committed. */
  orphanedMedia: string[];
}

/**
 * Removes a conversation's content and personal data, returning digests of what was destroyed for the
 * disposal ledger. Every table that holds conversation content must be purged here.
 */
export async function purgeConversationContent(tx: Transaction, conversationId: string, options: { keepTags?: boolean } = {}): Promise<PurgeResult> {
  const records = await tx
    .delete(contactRecords)
    .where(eq(contactRecords.conversationId, conversationId))
    .returning({ contactId: contactRecords.contactId, sha256: contactRecords.payloadSha256 });
  // Records delivered but not stored yet are content too: their lifecycle will find them gone and store nothing.
  const heldRecords = await eraseHeldContactRecords(tx, conversationId);
  // A recording's provenance row goes with its file reference: both name the audio to destroy.
  await tx.delete(callRecordings).where(eq(callRecordings.conversationId, conversationId));
  // Where the audio was fetched from (bucket, key, contact) goes with it.
  await tx.delete(recordingFetches).where(eq(recordingFetches.conversationId, conversationId));
  const media = await tx
    .delete(conversationMedia)
    .where(eq(conversationMedia.conversationId, conversationId))
    .returning({ kind: conversationMedia.kind, sha256: conversationMedia.sha256 });
  const emails = await tx
    .delete(conversationEmails)
    .where(eq(conversationEmails.conversationId, conversationId))
    .returning({ sha256: conversationEmails.rawSha256 });
  const messages = await tx
    .delete(conversationMessages)
    .where(eq(conversationMessages.conversationId, conversationId))
    .returning({ seq: conversationMessages.seq, itemId: conversationMessages.itemId, body: conversationMessages.body });
  await tx.delete(conversationSearchDocuments).where(eq(conversationSearchDocuments.conversationId, conversationId));
  await tx.delete(conversationSegments).where(eq(conversationSegments.conversationId, conversationId));
  // Anonymisation keeps tags: they are the regulatory skeleton (why it is kept), not personal data.
  if (!options.keepTags) await tx.delete(conversationTags).where(eq(conversationTags.conversationId, conversationId));

  const candidates = [...new Set([...media.map((item) => item.sha256), ...emails.map((item) => item.sha256)])];
  let orphanedMedia: string[] = [];
  if (candidates.length > 0) {
    const stillUsed = await queryRows<{ sha256: string }>(
      tx,
      sql`select sha256 from conversation_media where sha256 in ${candidates}
          union select raw_sha256 from conversation_emails where raw_sha256 in ${candidates}
          union select sha256 from call_recordings where sha256 in ${candidates}`,
    );
    const used = new Set(stillUsed.map((row) => row.sha256));
    orphanedMedia = candidates.filter((sha256) => !used.has(sha256));
    if (orphanedMedia.length > 0) await tx.delete(mediaObjects).where(inArray(mediaObjects.sha256, orphanedMedia));
  }
  return {
    destroyed: [
      ...records.map((record) => ({ what: `contact-record:${record.contactId}`, sha256: record.sha256 })),
      ...heldRecords.map((record) => ({ what: `held-contact-record:${record.contactId}`, sha256: record.sha256 })),
      ...media.map((item) => ({ what: `media:${item.kind}`, sha256: item.sha256 })),
      // One digest over the transcript items, in order: proof of what was destroyed without keeping it.
      ...(messages.length > 0
        ? [{ what: `chat-messages:${messages.length}`, sha256: sha256Hex(canonicalJson(messages.sort((a, b) => a.seq - b.seq))) }]
        : []),
    ],
    orphanedMedia,
  };
}
