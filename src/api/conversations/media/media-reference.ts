import { and, eq } from 'drizzle-orm';
import type { Executor } from '../../../db/client.js';
import { conversationMedia, conversations } from '../../../db/schema/index.js';

/**
 * The conversation's reference to one file, if the conversation holds it; `deletedAt` is set when the
 * conversation is a tombstone. Access control has already checked the caller's scope.
 */
export async function findMediaReference(db: Executor, conversationId: string, sha256: string) {
  const [row] = await db
    .select({ fileName: conversationMedia.fileName, contentType: conversationMedia.contentType, kind: conversationMedia.kind, deletedAt: conversations.deletedAt })
    .from(conversationMedia)
    .innerJoin(conversations, eq(conversations.id, conversationMedia.conversationId))
    .where(and(eq(conversationMedia.conversationId, conversationId), eq(conversationMedia.sha256, sha256)))
    .limit(1);
  return row;
}

export async function conversationExists(db: Executor, conversationId: string): Promise<boolean> {
  const [row] = await db.select({ id: conversations.id }).from(conversations).where(eq(conversations.id, conversationId));
  return row !== undefined;
}
