import { eq } from 'drizzle-orm';
import type { Database } from '../db/client.js';
import { conversations } from '../db/schema/index.js';
import { currentRetentionDecision, retentionView } from './retention-decisions.js';

/** Why a conversation is kept and until when, from current policy: the decision the lifecycle and delete runs act on. */
export async function retentionOverview(db: Database, conversationId: string) {
  return db.transaction(async (tx) => {
    const [conversation] = await tx.select().from(conversations).where(eq(conversations.id, conversationId));
    if (!conversation) return undefined;
    const { facts, decision } = await currentRetentionDecision(tx, conversation);
    return {
      conversationId,
      state: conversation.lifecycleState,
      deletedAt: conversation.deletedAt?.toISOString() ?? null,
      protectedUntil: conversation.protectedUntil?.toISOString() ?? null,
      protectingTags: facts.protectingTags.map((tag) => ({ name: tag.name, protectionYears: tag.protectionYears })),
      activeHolds: facts.holds.map((hold) => ({ id: hold.id, reason: hold.reason, placedAt: hold.placedAt.toISOString(), placedBy: hold.placedBy })),
      ...retentionView(conversation.deletedAt ? 'deleted' : decision),
    };
  });
}
