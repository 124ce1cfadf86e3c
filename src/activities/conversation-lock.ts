import { ApplicationFailure } from '@temporalio/activity';
import { eq } from 'drizzle-orm';
import type { Transaction } from '../db/client.js';
import { conversations } from '../db/schema/index.js';
import { FailureType } from '../domain/failures.js';

/**
 * Locks a conversation's row for the rest of the transaction. Deletion takes the same lock and re-checks
 * protection under it, so a hold or extension and a deletion are decided one after the other, never both.
 */
export async function lockLiveConversation(tx: Transaction, conversationId: string) {
  const [row] = await tx.select().from(conversations).where(eq(conversations.id, conversationId)).for('update');
  if (!row) throw ApplicationFailure.nonRetryable(`conversation ${conversationId} does not exist`, FailureType.NotFound);
  if (row.deletedAt) {
    throw ApplicationFailure.nonRetryable(`conversation ${conversationId} was deleted at ${row.deletedAt.toISOString()}`, FailureType.ConversationDisposed);
  }
  return row;
}
