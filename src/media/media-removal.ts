import { eq, sql } from 'drizzle-orm';
import { SYSTEM_ACTOR, type Actor } from '../audit/write/actor.js';
import { appendAudit, syncEntry } from '../audit/write/audit-writer.js';
import type { Database, Transaction } from '../db/client.js';
import { queryRows } from '../db/query-rows.js';
import { mediaRemovals, type MediaRemovalOutcome } from '../db/schema/index.js';
import { MediaLockedError } from './media-errors.js';
import type { MediaStore } from './media-store.js';

/**
 * Deletes files that were written for a capture that then failed, before any row referred to them. Files a
 * disposal orphans go through the removal outbox instead (queueMediaRemovals), so a crash cannot strand them.
 */
export async function removeMediaFiles(media: MediaStore, digests: readonly string[]): Promise<void> {
  for (const sha256 of digests) await media.remove(sha256);
}

/** Queues, in the disposing transaction, the removal of the files that disposal left without any reference. */
export async function queueMediaRemovals(tx: Transaction, disposal: { disposalId: string; conversationId: string }, digests: readonly string[]): Promise<void> {
  if (digests.length === 0) return;
  await tx
    .insert(mediaRemovals)
    .values(digests.map((sha256) => ({ sha256, conversationId: disposal.conversationId, disposalId: disposal.disposalId })))
    .onConflictDoNothing();
}

export interface MediaRemovalSummary {
  removed: number;
  /** Files kept because other conversations captured the same bytes after the disposal. */
  inUse: number;
  /** Files the store's Object Lock still protects: left pending, removed by a pass after the lock ends. */
  locked: number;
  /** Pending removals left for a later pass (the page limit was reached). */
  more: boolean;
}

interface PendingRemoval {
  id: string;
  sha256: string;
  conversation_id: string;
  disposal_id: string;
  queued_at: Date;
}

/**
 * Settles pending removals: each in its own transaction, which takes the row (skipping rows another
 * sweeper holds), re-checks under a per-digest lock that no conversation has captured the same content
 * since, removes the file (a missing file is already removed, so a retry is harmless), marks the row and
 * audits it. A crash before the commit leaves the row pending and the next pass does it again.
 */
export async function settleMediaRemovals(
  db: Database,
  media: MediaStore,
  options: { conversationId?: string; limit?: number; actor?: Actor } = {},
): Promise<MediaRemovalSummary> {
  const limit = options.limit ?? 1000;
  const pending = await queryRows<Pick<PendingRemoval, 'id'>>(
    db,
    sql`select id from media_removals where settled_at is null
        ${options.conversationId ? sql`and conversation_id = ${options.conversationId}::uuid` : sql``}
        order by queued_at, id limit ${limit + 1}`,
  );
  const summary: MediaRemovalSummary = { removed: 0, inUse: 0, locked: 0, more: pending.length > limit };
  for (const { id } of pending.slice(0, limit)) {
    const outcome = await db.transaction((tx) => settleOne(tx, media, id, options.actor ?? SYSTEM_ACTOR));
    if (outcome === 'removed') summary.removed += 1;
    else if (outcome === 'in-use') summary.inUse += 1;
    else if (outcome === 'locked') summary.locked += 1;
  }
  return summary;
}

async function settleOne(tx: Transaction, media: MediaStore, id: string, actor: Actor): Promise<MediaRemovalOutcome | 'locked' | null> {
  const [removal] = await queryRows<PendingRemoval>(
    tx,
    sql`select id, sha256, conversation_id, disposal_id, queued_at from media_removals
        where id = ${id}::uuid and settled_at is null for update skip locked`,
  );
  if (!removal) return null;
  // The same lock per digest for every removal of it: two disposals of shared bytes settle one after the other.
  await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`media-removal:${removal.sha256}`}, 0))`);
  const [stillStored] = await queryRows<{ found: number }>(tx, sql`select 1 as found from media_objects where sha256 = ${removal.sha256}`);
  const outcome: MediaRemovalOutcome = stillStored ? 'in-use' : 'removed';
  let destroyedVersionIds: string[] = [];
  if (outcome === 'removed') {
    try {
      ({ versionIds: destroyedVersionIds } = await media.remove(removal.sha256));
    } catch (error) {
      // Object Lock outlasts the disposal (only if protection was cut short outside the engine): stays pending.
      if (error instanceof MediaLockedError) return 'locked';
      throw error;
    }
  }
  await tx
    .update(mediaRemovals)
    .set({ settledAt: sql`now()`, outcome, destroyedVersionIds })
    .where(eq(mediaRemovals.id, removal.id));
  await appendAudit(tx, [
    syncEntry({
      activity: 'MEDIA_DESTROYED',
      result: 'OK',
      actor,
      description:
        outcome === 'removed'
          ? `Media file ${removal.sha256} of disposed conversation ${removal.conversation_id} removed from the media store`
          : `Media file ${removal.sha256} of disposed conversation ${removal.conversation_id} kept: another conversation captured the same content since`,
      details: { sha256: removal.sha256, disposalId: removal.disposal_id, outcome, queuedAt: new Date(removal.queued_at).toISOString(), destroyedVersionIds },
      correlationId: `media-removal-${removal.disposal_id}`,
      conversationId: removal.conversation_id,
    }),
  ]);
  return outcome;
}
