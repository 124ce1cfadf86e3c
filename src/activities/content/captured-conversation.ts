import { and, eq } from 'drizzle-orm';
import type { Transaction } from '../../db/client.js';
import { auditLog, conversations } from '../../db/schema/index.js';
import { lockLiveConversation } from '../conversation-lock.js';

export interface ImportedConversation {
  id: string;
  source: string;
  externalKey: string;
  channel: 'CHAT' | 'EMAIL';
  workflowId: string;
  startedAt: Date | null;
  endedAt: Date | null;
  /** Facts about the capture itself, searchable as attributes (an email the parser refused: `unparsed`). */
  attributes?: Record<string, string>;
}

/**
 * Creates the conversation's row unless it exists, then holds its lock for the rest of the transaction
 * (a deleted conversation is refused, never brought back). True when this call created it.
 */
export async function claimConversation(tx: Transaction, conversation: ImportedConversation): Promise<boolean> {
  const inserted = await tx
    .insert(conversations)
    .values({ ...conversation, lifecycleState: 'captured' })
    .onConflictDoNothing()
    .returning({ id: conversations.id });
  await lockLiveConversation(tx, conversation.id);
  return inserted.length > 0;
}

/**
 * Whether this very request already made the change: an activity retried after its first attempt
 * committed must report what that attempt did, not a duplicate.
 */
export async function changedByRequest(tx: Transaction, conversationId: string, activity: string, correlationId: string): Promise<boolean> {
  const [entry] = await tx
    .select({ id: auditLog.id })
    .from(auditLog)
    .where(and(eq(auditLog.conversationId, conversationId), eq(auditLog.activity, activity), eq(auditLog.correlationId, correlationId)))
    .limit(1);
  return entry !== undefined;
}
