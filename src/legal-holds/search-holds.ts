import { and, asc, inArray, isNull, sql } from 'drizzle-orm';
import { appendAudit, syncEntry } from '../audit/write/audit-writer.js';
import type { Database, Transaction } from '../db/client.js';
import { conversations, legalHolds } from '../db/schema/index.js';
import { uuidV5 } from '../lib/ids.js';
import type { RequestContext } from '../audit/write/actor.js';

export interface SearchHoldPage {
  holdGroupId: string;
  conversationIds: readonly string[];
  reason: string;
  reference: string | null;
  scope: Record<string, unknown>;
  context: RequestContext;
}

export interface PlacedHold {
  conversationId: string;
  holdId: string;
}

/** Derived from the group, so a retried request never places a second hold on a conversation. */
export function searchHoldId(holdGroupId: string, conversationId: string): string {
  return uuidV5(`${holdGroupId}/${conversationId}`);
}

/** One audit entry per hold placed or released, in the transaction that did it, on the hold's conversation. */
async function auditEachHold(
  tx: Transaction,
  activity: 'LEGAL_HOLD_ADD' | 'LEGAL_HOLD_RELEASE',
  context: RequestContext,
  holds: readonly PlacedHold[],
  describe: (hold: PlacedHold) => { description: string; details: Record<string, unknown> },
): Promise<void> {
  await appendAudit(
    tx,
    holds.map((hold) => syncEntry({ activity, result: 'OK', actor: context.actor, correlationId: context.correlationId, conversationId: hold.conversationId, ...describe(hold) })),
  );
}

/**
 * Places one page of a search hold inside `tx` (a run writes its progress in the same transaction): the live conversations' rows are locked (the lock deletion
 * takes, so a hold and a deletion are decided one after the other), the holds and their audit entries are
 * written in one batch each. A conversation deleted meanwhile is returned as skipped.
 */
export async function placeHoldsIn(tx: Transaction, page: SearchHoldPage): Promise<{ placed: PlacedHold[]; deleted: string[] }> {
  if (page.conversationIds.length === 0) return { placed: [], deleted: [] };
  // Locked in id order, so two bulk operations over overlapping pages cannot deadlock.
  const live = await tx
    .select({ id: conversations.id })
    .from(conversations)
    .where(and(inArray(conversations.id, [...page.conversationIds]), isNull(conversations.deletedAt)))
    .orderBy(asc(conversations.id))
    .for('update');
  const liveIds = new Set(live.map((row) => row.id));
  const deleted = page.conversationIds.filter((id) => !liveIds.has(id));
  if (live.length === 0) return { placed: [], deleted };
  const inserted = await tx
    .insert(legalHolds)
    .values(
      live.map((row) => ({
        id: searchHoldId(page.holdGroupId, row.id),
        conversationId: row.id,
        reason: page.reason,
        reference: page.reference,
        scope: page.scope,
        placedBy: page.context.actor.id,
      })),
    )
    .onConflictDoNothing()
    .returning({ holdId: legalHolds.id, conversationId: legalHolds.conversationId });
  await auditEachHold(tx, 'LEGAL_HOLD_ADD', page.context, inserted, (hold) => ({
    description: `Legal hold ${hold.holdId} placed on conversation ${hold.conversationId}: ${page.reason}`,
    details: { holdId: hold.holdId, reason: page.reason, reference: page.reference, scope: page.scope },
  }));
  return { placed: inserted, deleted };
}

/** One page of a search hold in a transaction of its own. */
export async function placeSearchHoldPage(db: Database, page: SearchHoldPage): Promise<{ placed: PlacedHold[]; deleted: string[] }> {
  if (page.conversationIds.length === 0) return { placed: [], deleted: [] };
  return db.transaction((tx) => placeHoldsIn(tx, page));
}

/** Releases every active hold of a group in one transaction, one audit entry per released hold. */
export async function releaseSearchHoldGroup(db: Database, input: { holdGroupId: string; reason: string; context: RequestContext }): Promise<PlacedHold[]> {
  return db.transaction(async (tx) => {
    const released = await tx
      .update(legalHolds)
      .set({ releasedAt: new Date(), releasedBy: input.context.actor.id, releaseReason: input.reason })
      .where(and(isNull(legalHolds.releasedAt), sql`${legalHolds.scope}->>'holdGroupId' = ${input.holdGroupId}`))
      .returning({ holdId: legalHolds.id, conversationId: legalHolds.conversationId });
    await auditEachHold(tx, 'LEGAL_HOLD_RELEASE', input.context, released, (hold) => ({
      description: `Legal hold ${hold.holdId} released on conversation ${hold.conversationId}: ${input.reason}`,
      details: { holdId: hold.holdId, holdGroupId: input.holdGroupId, reason: input.reason },
    }));
    return released;
  });
}

