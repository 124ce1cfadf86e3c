import { eq } from 'drizzle-orm';
import type { Database } from '../../../db/client.js';
import { conversationEmails, mediaObjects } from '../../../db/schema/index.js';
import { emailExternalKey } from '../../../domain/email-envelope.js';
import { conversationIdFor } from '../../../lib/ids.js';
import { EMAIL_CAPTURE_SOURCE } from '../../../workflows/conversation-lifecycle.contract.js';

export interface EmailKey {
  externalKey: string;
  /** The conversation of the different message that had this Message-ID first; null when it is not shared. */
  sharedWith: string | null;
}

/** The first conversation keyed by this Message-ID, and the digest of the message it holds (null: none yet). */
async function firstWithMessageId(db: Database, messageId: string): Promise<{ conversationId: string; rawSha256: string | null }> {
  const conversationId = conversationIdFor(EMAIL_CAPTURE_SOURCE, emailExternalKey(messageId, '', false));
  const [row] = await db.select({ rawSha256: conversationEmails.rawSha256 }).from(conversationEmails).where(eq(conversationEmails.conversationId, conversationId));
  return { conversationId, rawSha256: row?.rawSha256 ?? null };
}

/**
 * Which conversation these bytes belong to: a message is a duplicate only of the same bytes, so a different
 * message with a Message-ID already used gets its own key (src/domain/email-envelope.ts emailExternalKey).
 */
export async function emailKeyOf(db: Database, messageId: string | null, sha256: string): Promise<EmailKey> {
  if (messageId === null) return { externalKey: emailExternalKey(null, sha256, false), sharedWith: null };
  const first = await firstWithMessageId(db, messageId);
  if (first.rawSha256 === null || first.rawSha256 === sha256) return { externalKey: emailExternalKey(messageId, sha256, false), sharedWith: null };
  return sharedKey(messageId, sha256, first.conversationId);
}

export const sharedKey = (messageId: string, sha256: string, firstConversationId: string): EmailKey => ({
  externalKey: emailExternalKey(messageId, sha256, true),
  sharedWith: firstConversationId,
});

/** Whether any conversation refers to a stored file: a file no row refers to is removed, not left behind. */
export async function isReferenced(db: Database, sha256: string): Promise<boolean> {
  const [row] = await db.select({ sha256: mediaObjects.sha256 }).from(mediaObjects).where(eq(mediaObjects.sha256, sha256)).limit(1);
  return row !== undefined;
}
