import { ApplicationFailure } from '@temporalio/activity';
import { and, asc, count, eq, gt, isNotNull, isNull, sql } from 'drizzle-orm';
import { appendAudit, syncEntry } from '../audit/write/audit-writer.js';
import type { Transaction } from '../db/client.js';
import { legalHolds } from '../db/schema/index.js';
import { FailureType } from '../domain/failures.js';
import type { LegalHoldResult, PlaceLegalHoldArgs, ReleaseLegalHoldArgs } from '../workflows/conversation-lifecycle.contract.js';
import { lockLiveConversation } from './conversation-lock.js';
import type { ActivityDeps } from './deps.js';
import { NIL_UUID } from '../lib/ids.js';

async function activeHoldCount(tx: Transaction, conversationId: string): Promise<number> {
  const [row] = await tx
    .select({ value: count() })
    .from(legalHolds)
    .where(and(eq(legalHolds.conversationId, conversationId), isNull(legalHolds.releasedAt)));
  return row?.value ?? 0;
}

export function legalHoldActivities({ db }: ActivityDeps) {
  return {
    /** One page of a search hold group's holds (active ones, or released ones), in conversation order. */
    async findHoldGroupMembers(input: {
      holdGroupId: string;
      change: 'placed' | 'released';
      afterConversationId: string | null;
      limit: number;
    }): Promise<{ conversationId: string; holdId: string }[]> {
      return db
        .select({ conversationId: legalHolds.conversationId, holdId: legalHolds.id })
        .from(legalHolds)
        .where(
          and(
            sql`${legalHolds.scope}->>'holdGroupId' = ${input.holdGroupId}`,
            input.change === 'placed' ? isNull(legalHolds.releasedAt) : isNotNull(legalHolds.releasedAt),
            gt(legalHolds.conversationId, input.afterConversationId ?? NIL_UUID),
          ),
        )
        .orderBy(asc(legalHolds.conversationId))
        .limit(input.limit);
    },

    /** Idempotent on the hold id: a retry finds the hold already placed. */
    async placeLegalHold(input: PlaceLegalHoldArgs & { conversationId: string }): Promise<LegalHoldResult> {
      return db.transaction(async (tx) => {
        await lockLiveConversation(tx, input.conversationId);
        const inserted = await tx
          .insert(legalHolds)
          .values({
            id: input.holdId,
            conversationId: input.conversationId,
            reason: input.reason,
            reference: input.reference,
            scope: input.scope,
            placedBy: input.context.actor.id,
          })
          .onConflictDoNothing()
          .returning({ id: legalHolds.id });
        if (inserted.length > 0) {
          await appendAudit(tx, [
            syncEntry({
              activity: 'LEGAL_HOLD_ADD',
              result: 'OK',
              actor: input.context.actor,
              description: `Legal hold ${input.holdId} placed on conversation ${input.conversationId}: ${input.reason}`,
              details: { holdId: input.holdId, reason: input.reason, reference: input.reference, scope: input.scope },
              correlationId: input.context.correlationId,
              conversationId: input.conversationId,
            }),
          ]);
        }
        return { conversationId: input.conversationId, holdId: input.holdId, status: 'active', activeHolds: await activeHoldCount(tx, input.conversationId) };
      });
    },

    async releaseLegalHold(input: ReleaseLegalHoldArgs & { conversationId: string }): Promise<LegalHoldResult> {
      return db.transaction(async (tx) => {
        await lockLiveConversation(tx, input.conversationId);
        const [hold] = await tx
          .select()
          .from(legalHolds)
          .where(and(eq(legalHolds.id, input.holdId), eq(legalHolds.conversationId, input.conversationId)));
        if (!hold) throw ApplicationFailure.nonRetryable(`no legal hold ${input.holdId} on this conversation`, FailureType.NotFound);
        if (!hold.releasedAt) {
          await tx
            .update(legalHolds)
            .set({ releasedAt: new Date(), releasedBy: input.context.actor.id, releaseReason: input.reason })
            .where(eq(legalHolds.id, input.holdId));
          await appendAudit(tx, [
            syncEntry({
              activity: 'LEGAL_HOLD_RELEASE',
              result: 'OK',
              actor: input.context.actor,
              description: `Legal hold ${input.holdId} released on conversation ${input.conversationId}: ${input.reason}`,
              details: { holdId: input.holdId, reason: input.reason },
              correlationId: input.context.correlationId,
              conversationId: input.conversationId,
            }),
          ]);
        }
        return { conversationId: input.conversationId, holdId: input.holdId, status: 'released', activeHolds: await activeHoldCount(tx, input.conversationId) };
      });
    },
  };
}
