import { inArray, sql } from 'drizzle-orm';
import { appendAudit, syncEntry } from '../audit/write/audit-writer.js';
import type { Actor } from '../audit/write/actor.js';
import type { Executor } from '../db/client.js';
import { dataExportRuns } from '../db/schema/index.js';
import type { ClaimedNotification } from './outbox.js';

export const EXPORT_READY_KIND = 'export-ready';

const EXPORT_RUN_KEY_PREFIX = 'data-export-run:';

/** The outbox event key of a run's "export ready" mail to one recipient. */
export function exportRunEventKey(runId: string, recipientUserId: string): string {
  return `${EXPORT_RUN_KEY_PREFIX}${runId}:${recipientUserId}`;
}

/** `data-export-run:<runId>:<userId>` (exportRunEventKey) → its run id; undefined for any other key. */
export function exportRunOfEventKey(eventKey: string): { runId: string; userId: string } | undefined {
  const match = /^data-export-run:([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}):([^:]+)$/i.exec(eventKey);
  return match ? { runId: match[1]!, userId: match[2]! } : undefined;
}

/**
 * In the transaction that marks export-ready mails sent: one DATA_EXPORT_EMAILED entry per mail and the
 * run's `emailed_at`, so the audit says "emailed" exactly when (and as often as) the mail went out.
 */
export async function recordExportsEmailed(executor: Executor, sent: readonly ClaimedNotification[], actor: Actor, correlationId: string): Promise<void> {
  const mails = sent
    .filter((row) => row.kind === EXPORT_READY_KIND)
    .map((row) => ({ row, key: exportRunOfEventKey(row.eventKey) }))
    .filter((mail): mail is { row: ClaimedNotification; key: { runId: string; userId: string } } => mail.key !== undefined);
  if (mails.length === 0) return;
  const runIds = [...new Set(mails.map((mail) => mail.key.runId))];
  const runs = await executor
    .update(dataExportRuns)
    .set({ emailedAt: sql`now()` })
    .where(inArray(dataExportRuns.id, runIds))
    .returning({ id: dataExportRuns.id, exportId: dataExportRuns.exportId });
  const exportOf = new Map(runs.map((run) => [run.id, run.exportId]));
  await appendAudit(
    executor,
    mails.map(({ row, key }) =>
      syncEntry({
        activity: 'DATA_EXPORT_EMAILED',
        result: 'OK',
        actor,
        correlationId,
        description: `Data export run ${key.runId} emailed to user ${row.recipientUserId}${row.attachment ? ' with its file attached' : ' as a link'}`,
        details: { exportId: exportOf.get(key.runId) ?? null, runId: key.runId, recipientUserId: row.recipientUserId, attached: row.attachment !== null, outboxId: row.id },
      }),
    ),
  );
}

