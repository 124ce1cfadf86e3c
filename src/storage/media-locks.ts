import { sql } from 'drizzle-orm';
import { SYSTEM_ACTOR, type Actor } from '../audit/write/actor.js';
import { appendAudit, syncEntry } from '../audit/write/audit-writer.js';
import type { Database } from '../db/client.js';
import { queryRows } from '../db/query-rows.js';
import { mediaObjectLocks } from '../db/schema/index.js';
import type { MediaLock, MediaStore } from '../media/media-store.js';

export interface MediaLockSummary {
  checked: number;
  /** Objects whose retention was extended or whose legal hold was set or cleared. */
  applied: number;
  /** Objects the store refused or did not answer for: left as they were, tried again on the next pass. */
  failed: { sha256: string; reason: string }[];
  /** The keyset cursor for the next page; null when this page was the last. */
  nextAfter: string | null;
}

interface LockRow {
  sha256: string;
  /** Latest protection over the live conversations referring to the object. */
  retain_until: Date | null;
  /** Whether any of them is under an active legal hold. */
  legal_hold: boolean;
  applied_retain_until: Date | null;
  applied_legal_hold: boolean | null;
}

/**
 * The lock an object should carry, given what is already applied: retention is the latest protection end
 * and never moves earlier (so content disposed or shared later keeps the date it had); null when no change is due.
 */
export function lockChange(row: LockRow, now: Date): MediaLock | null {
  const desired = row.retain_until ? new Date(row.retain_until) : null;
  const applied = row.applied_retain_until ? new Date(row.applied_retain_until) : null;
  const extendsRetention = desired !== null && desired.getTime() > now.getTime() && (applied === null || desired.getTime() > applied.getTime());
  const holdChanges = row.legal_hold !== (row.applied_legal_hold ?? false);
  if (!extendsRetention && !holdChanges) return null;
  return { retainUntil: extendsRetention ? desired : applied, legalHold: row.legal_hold };
}

/**
 * One keyset page of the reconciler that mirrors protection and legal holds onto the store's Object Lock:
 * compares the state the referring conversations ask for with the state applied last (media_object_locks),
 * applies each difference to the store and then records and audits it in one transaction. A crash between
 * the two leaves the row behind and the next pass applies the same (idempotent) change again.
 */
export async function reconcileMediaLocks(
  db: Database,
  media: MediaStore,
  options: { after?: string | null; limit?: number; actor?: Actor } = {},
): Promise<MediaLockSummary> {
  const summary: MediaLockSummary = { checked: 0, applied: 0, failed: [], nextAfter: null };
  const locking = media.locking;
  if (!locking) return summary;
  const limit = options.limit ?? 500;
  const rows = await queryRows<LockRow>(
    db,
    sql`with page as (
          select m.sha256 from media_objects m where m.sha256 > ${options.after ?? ''} order by m.sha256 limit ${limit}
        )
        select p.sha256,
          (select max(c.protected_until) from conversation_media cm join conversations c on c.id = cm.conversation_id
            where cm.sha256 = p.sha256 and c.deleted_at is null) as retain_until,
          exists (select 1 from conversation_media cm join legal_holds h on h.conversation_id = cm.conversation_id and h.released_at is null
            where cm.sha256 = p.sha256) as legal_hold,
          l.retain_until as applied_retain_until, l.legal_hold as applied_legal_hold
        from page p left join media_object_locks l on l.sha256 = p.sha256
        order by p.sha256`,
  );
  summary.checked = rows.length;
  summary.nextAfter = rows.length === limit ? rows[rows.length - 1]!.sha256 : null;
  const now = new Date();
  for (const row of rows) {
    const change = lockChange(row, now);
    if (!change) continue;
    let versionId: string | null;
    try {
      ({ versionId } = await locking.apply(row.sha256, change));
    } catch (error) {
      summary.failed.push({ sha256: row.sha256, reason: error instanceof Error ? `${error.name}: ${error.message}` : String(error) });
      continue;
    }
    await db.transaction(async (tx) => {
      await tx
        .insert(mediaObjectLocks)
        .values({ sha256: row.sha256, versionId, retainUntil: change.retainUntil, legalHold: change.legalHold })
        .onConflictDoUpdate({
          target: mediaObjectLocks.sha256,
          set: {
            versionId,
            retainUntil: sql`greatest(${mediaObjectLocks.retainUntil}, excluded.retain_until)`,
            legalHold: change.legalHold,
            appliedAt: sql`now()`,
          },
        });
      await appendAudit(tx, [
        syncEntry({
          activity: 'MEDIA_LOCK_APPLIED',
          result: 'OK',
          actor: options.actor ?? SYSTEM_ACTOR,
          description: `Object Lock of media ${row.sha256}: retained until ${change.retainUntil?.toISOString() ?? 'no date'}, legal hold ${change.legalHold ? 'on' : 'off'}`,
          details: {
            sha256: row.sha256,
            versionId,
            retainUntil: change.retainUntil?.toISOString() ?? null,
            previousRetainUntil: row.applied_retain_until ? new Date(row.applied_retain_until).toISOString() : null,
            legalHold: change.legalHold,
            previousLegalHold: row.applied_legal_hold ?? false,
          },
          correlationId: `media-lock-${row.sha256}`,
        }),
      ]);
    });
    summary.applied += 1;
  }
  return summary;
}
