import { randomUUID } from 'node:crypto';
import { and, eq, sql } from 'drizzle-orm';
import { appendAudit, syncEntry, type AuditResult } from '../audit/write/audit-writer.js';
import type { Actor } from '../audit/write/actor.js';
import type { ExportsConfig } from '../config.js';
import type { Database, Executor } from '../db/client.js';
import { dataExportRuns, dataExports } from '../db/schema/index.js';
import { queryRows } from '../db/query-rows.js';
import { csvLine } from './csv.js';
import type { DataExportRow, DataExportRunRow } from './data-exports.js';
import { ExportRefused } from './export-errors.js';
import { exportFilePath, openExportFileWriter, resolveExportFile } from './export-files.js';
import { enqueueExportReadyMail } from './export-mail.js';
import { exportQuery } from './export-queries.js';
import type { ExportSource } from './export-filters.js';

export type ExportTrigger = 'manual' | 'scheduled';

export interface RunExportInput {
  exportId: string;
  trigger: ExportTrigger;
  /** A scheduled run's nominal time: one run per firing. Null for a manual run. */
  scheduledFor: Date | null;
  /** A manual run's id, made (with its row) by whoever started it; absent: a new run. */
  runId?: string;
  requestedBy: string;
  actor: Actor;
  correlationId: string;
  /** Called after every batch with the rows written so far (the activity heartbeats). */
  onProgress?: (rowsWritten: number) => void;
  /** Rows fetched from the cursor at a time. */
  batchSize?: number;
}

export interface RunExportOutcome {
  runId: string | null;
  /** skipped: a scheduled firing of a disabled export; completed: this call or an earlier one wrote the file. */
  status: 'completed' | 'skipped';
  /** An earlier attempt had completed this run: nothing was done again. */
  alreadyCompleted: boolean;
  rowCount: number;
  sizeBytes: number;
  sha256: string | null;
  mailQueued: boolean;
}

const DEFAULT_BATCH = 5_000;

const activityOf = (trigger: ExportTrigger) => (trigger === 'manual' ? 'DATA_EXPORT_RUN_MANUAL' : 'DATA_EXPORT_RUN_SCHEDULED');

/** Makes the run's row (a manual run's by its id, the API creates it first). A scheduled firing has one row per nominal time. */
export async function claimExportRun(
  executor: Executor,
  input: { exportId: string; trigger: ExportTrigger; scheduledFor: Date | null; runId?: string; requestedBy: string },
): Promise<DataExportRunRow> {
  const id = input.runId ?? randomUUID();
  const scheduledFor = input.scheduledFor?.toISOString() ?? null;
  if (scheduledFor) {
    await executor.execute(sql`insert into data_export_runs (id, export_id, trigger, scheduled_for, requested_by)
      values (${id}::uuid, ${input.exportId}::uuid, ${input.trigger}, ${scheduledFor}::timestamptz, ${input.requestedBy})
      on conflict (export_id, scheduled_for) where scheduled_for is not null do nothing`);
    const [row] = await executor.select().from(dataExportRuns).where(and(eq(dataExportRuns.exportId, input.exportId), eq(dataExportRuns.scheduledFor, new Date(scheduledFor))));
    return row!;
  }
  await executor.insert(dataExportRuns).values({ id, exportId: input.exportId, trigger: input.trigger, requestedBy: input.requestedBy }).onConflictDoNothing({ target: dataExportRuns.id });
  const [row] = await executor.select().from(dataExportRuns).where(eq(dataExportRuns.id, id));
  if (row!.exportId !== input.exportId) throw new ExportRefused('runId', `Run ${id} belongs to another export`, 409);
  return row!;
}

/** Streams the export's rows through a server-side cursor into the file: one batch in memory at a time. */
async function writeRows(db: Database, config: ExportsConfig, exportRow: DataExportRow, run: DataExportRunRow, input: RunExportInput) {
  const nominal = run.scheduledFor ?? run.startedAt;
  const { header, query } = exportQuery(exportRow.source as ExportSource, exportRow.filters, exportRow.timeZone, nominal);
  const relativePath = exportFilePath(exportRow.id, run.id);
  const writer = await openExportFileWriter(config.root, relativePath);
  const batch = input.batchSize ?? DEFAULT_BATCH;
  let rowCount = 0;
  try {
    // One snapshot for the whole file; the cursor's rows are fetched a batch at a time, never all at once.
    await db.transaction(
      async (tx) => {
        await tx.execute(sql`declare export_rows no scroll cursor for ${query}`);
        await writer.write(csvLine(header));
        for (;;) {
          const rows = await queryRows<Record<string, string | null>>(tx, sql.raw(`fetch forward ${batch} from export_rows`));
          if (rows.length === 0) break;
          let chunk = '';
          for (const row of rows) chunk += csvLine(Object.values(row));
          await writer.write(chunk);
          rowCount += rows.length;
          input.onProgress?.(rowCount);
          if (rows.length < batch) break;
        }
        await tx.execute(sql`close export_rows`);
      },
      { isolationLevel: 'repeatable read', accessMode: 'read only' },
    );
    const file = await writer.finish();
    return { ...file, rowCount, relativePath };
  } catch (error) {
    await writer.abort();
    throw error;
  }
}

async function auditRun(executor: Executor, input: Pick<RunExportInput, 'exportId' | 'trigger' | 'actor' | 'correlationId'>, result: AuditResult, description: string, details: Record<string, unknown>) {
  await appendAudit(executor, [syncEntry({ activity: activityOf(input.trigger), result, actor: input.actor, description, details: { exportId: input.exportId, ...details }, correlationId: input.correlationId })]);
}

/**
 * One run of an export: claims its row, writes the CSV (temporary name, fsync, rename), then in one
 * transaction marks the run completed, audits it (DATA_EXPORT_RUN_MANUAL or _SCHEDULED) and, for an
 * emailed export, queues the owner's mail. A retried run of a completed one does nothing; a failure marks
 * the run failed and audits FAIL, and a retry runs it again.
 */
export async function runExport(db: Database, config: ExportsConfig, input: RunExportInput): Promise<RunExportOutcome> {
  const [exportRow] = await db.select().from(dataExports).where(eq(dataExports.id, input.exportId));
  if (!exportRow || exportRow.removedAt) throw new ExportRefused('exportId', `No data export ${input.exportId}`, 404);
  const none = { rowCount: 0, sizeBytes: 0, sha256: null, mailQueued: false };
  if (input.trigger === 'scheduled' && !exportRow.enabled) return { runId: null, status: 'skipped', alreadyCompleted: false, ...none };

  const claimed = await claimExportRun(db, input);
  if (claimed.status === 'completed') {
    return { runId: claimed.id, status: 'completed', alreadyCompleted: true, rowCount: claimed.rowCount ?? 0, sizeBytes: claimed.sizeBytes ?? 0, sha256: claimed.sha256, mailQueued: false };
  }
  const [run] = await db.update(dataExportRuns).set({ status: 'running', error: null, finishedAt: null }).where(eq(dataExportRuns.id, claimed.id)).returning();

  let file: Awaited<ReturnType<typeof writeRows>>;
  try {
    file = await writeRows(db, config, exportRow, run!, input);
  } catch (error) {
    await failExportRun(db, { ...input, runId: run!.id }, error);
    throw error;
  }

  return db.transaction(async (tx) => {
    const [done] = await tx
      .update(dataExportRuns)
      .set({ status: 'completed', finishedAt: sql`now()`, rowCount: file.rowCount, sizeBytes: file.sizeBytes, sha256: file.sha256, filePath: file.relativePath, error: null })
      .where(and(eq(dataExportRuns.id, run!.id), eq(dataExportRuns.status, 'running')))
      .returning();
    if (!done) throw new Error(`run ${run!.id} was finished by another attempt`);
    const mailQueued =
      exportRow.delivery === 'email' &&
      (await enqueueExportReadyMail(
        tx,
        {
          exportId: exportRow.id,
          runId: done.id,
          ownerId: exportRow.ownerId,
          trigger: input.trigger,
          scheduledFor: done.scheduledFor,
          finishedAt: done.finishedAt!,
          rowCount: file.rowCount,
          sizeBytes: file.sizeBytes,
          sha256: file.sha256,
          absolutePath: resolveExportFile(config.root, file.relativePath),
        },
        config.attachmentMaxBytes,
      ));
    await auditRun(tx, input, 'OK', `Data export ${input.exportId} run ${done.id} wrote ${file.rowCount} rows`, {
      runId: done.id,
      trigger: input.trigger,
      scheduledFor: done.scheduledFor?.toISOString() ?? null,
      rowCount: file.rowCount,
      sizeBytes: file.sizeBytes,
      sha256: file.sha256,
      mailQueued,
    });
    return { runId: done.id, status: 'completed' as const, alreadyCompleted: false, rowCount: file.rowCount, sizeBytes: file.sizeBytes, sha256: file.sha256, mailQueued };
  });
}

/** A run that never got going (its workflow could not be started): failed, and audited FAIL. */
export async function failExportRun(
  db: Database,
  input: { exportId: string; runId: string; trigger: ExportTrigger; actor: Actor; correlationId: string },
  error: unknown,
): Promise<void> {
  const message = error instanceof Error ? error.message : String(error);
  await db.transaction(async (tx) => {
    await tx.update(dataExportRuns).set({ status: 'failed', error: message.slice(0, 2000), finishedAt: sql`now()` }).where(and(eq(dataExportRuns.id, input.runId), eq(dataExportRuns.status, 'running')));
    await auditRun(tx, input, 'FAIL', `Data export ${input.exportId} run ${input.runId} failed`, { runId: input.runId, error: message });
  });
}
