import { and, eq, type SQL } from 'drizzle-orm';
import type { Executor } from '../../../db/client.js';
import { conversationMedia, conversations } from '../../../db/schema/index.js';

/**
 * The conversation's reference to one file, if the conversation exists within the caller's scope and
 * holds that file; `deleted` when the conversation is a tombstone.
 */
export async function findMediaReference(db: Executor, conversationId: string, sha256: string, scope: SQL | undefined) {
  const [row] = await db
    .select({ fileName: conversationMedia.fileName, contentType: conversationMedia.contentType, kind: conversationMedia.kind, deletedAt: conversations.deletedAt })
    .from(conversationMedia)
    .innerJoin(conversations, eq(conversations.id, conversationMedia.conversationId))
    .where(and(eq(conversationMedia.conversationId, conversationId), eq(conversationMedia.sha256, sha256), scope))
    .limit(1);
  return row;
}

/** Whether the conversation exists within the caller's scope. */
export async function conversationVisible(db: Executor, conversationId: string, scope: SQL | undefined): Promise<boolean> {
  const [row] = await db
    .select({ id: conversations.id })
    .from(conversations)
    .where(and(eq(conversations.id, conversationId), scope));
  return row !== undefined;
}
