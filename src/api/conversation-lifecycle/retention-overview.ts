import { and, eq, isNotNull, isNull } from 'drizzle-orm';
import { currentRetentionPlan } from '../../activities/retention.js';
import type { Database } from '../../db/client.js';
import { conversationTags, conversations, legalHolds, tagDefinitions } from '../../db/schema/index.js';

/** Why a conversation is kept and until when, from current policy (the same planner the lifecycle uses). */
export async function retentionOverview(db: Database, conversationId: string) {
  return db.transaction(async (tx) => {
    const [conversation] = await tx.select().from(conversations).where(eq(conversations.id, conversationId));
    if (!conversation) return undefined;
    const holds = await tx.select().from(legalHolds).where(and(eq(legalHolds.conversationId, conversationId), isNull(legalHolds.releasedAt)));
    const protecting = await tx
      .selectDistinct({ name: tagDefinitions.name, protectionYears: tagDefinitions.protectionYears })
      .from(conversationTags)
      .innerJoin(tagDefinitions, eq(tagDefinitions.name, conversationTags.name))
      .where(and(eq(conversationTags.conversationId, conversationId), isNotNull(tagDefinitions.protectionYears)));
    const base = {
      conversationId,
      state: conversation.lifecycleState,
      deletedAt: conversation.deletedAt?.toISOString() ?? null,
      protectedUntil: conversation.protectedUntil?.toISOString() ?? null,
      protectingTags: protecting.map((tag) => ({ name: tag.name, protectionYears: tag.protectionYears! })),
      activeHolds: holds.map((hold) => ({ id: hold.id, reason: hold.reason, placedAt: hold.placedAt.toISOString(), placedBy: hold.placedBy })),
    };
    if (conversation.deletedAt) return { ...base, status: 'deleted' as const, deleteAt: null, deleteTask: null };
    const plan = await currentRetentionPlan(tx, conversation);
    return {
      ...base,
      status: plan.status,
      deleteAt: plan.status === 'due' ? plan.deleteAt.toISOString() : null,
      deleteTask: plan.status === 'due' ? { id: plan.taskId, name: plan.taskName } : null,
    };
  });
}
