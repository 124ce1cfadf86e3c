import { appendAudit, syncEntry, type AuditResult } from '../audit/write/audit-writer.js';
import type { AuditContext } from '../audit/write/audited.js';
import type { ExportsConfig } from '../config.js';
import type { Database } from '../db/client.js';
import { exportFileName } from '../domain/export-notifications.js';
import { dataExport, dataExportRun, type DataExportRunRow } from './data-exports.js';
import { maySeeExport, type ExportViewer } from './export-access.js';
import { ExportRefused } from './export-errors.js';
import { ExportFileIntegrityError, openVerifiedExportFile, type VerifiedExportFile } from './export-files.js';

export interface ExportDownload {
  run: DataExportRunRow;
  fileName: string;
  file: VerifiedExportFile;
}

/**
 * A completed run's file for download: checked against its recorded digest before anything is served (and
 * hashed again while it streams). Every download and every refused one is audited (DATA_EXPORT_DOWNLOAD).
 */
export async function openExportDownload(
  db: Database,
  config: ExportsConfig,
  input: AuditContext & { exportId: string; runId: string; viewer: ExportViewer },
): Promise<ExportDownload> {
  const audit = (result: AuditResult, description: string, details: Record<string, unknown> = {}) =>
    appendAudit(db, [
      syncEntry({ activity: 'DATA_EXPORT_DOWNLOAD', result, actor: input.actor, description, details: { exportId: input.exportId, runId: input.runId, ...details }, correlationId: input.correlationId }),
    ]);
  const refuse = async (error: ExportRefused): Promise<never> => {
    await audit(error.status === 403 ? 'UNAUTHORIZED' : 'FAIL', `Data export ${input.exportId} run ${input.runId} download refused`, { error: error.message });
    throw error;
  };

  const exportRow = await dataExport(db, input.exportId);
  // Someone who may not see the export is told it does not exist, as for any object outside their scope.
  if (!exportRow || !maySeeExport(input.viewer, exportRow.ownerId)) return refuse(new ExportRefused('exportId', `No data export ${input.exportId}`, 404));
  const run = await dataExportRun(db, input.exportId, input.runId);
  if (!run) return refuse(new ExportRefused('runId', `No run ${input.runId} of data export ${input.exportId}`, 404));
  if (run.status !== 'completed' || !run.filePath || !run.sha256) return refuse(new ExportRefused('runId', `Run ${input.runId} is ${run.status}: it has no file`, 409));

  let file: VerifiedExportFile;
  try {
    file = await openVerifiedExportFile(config.root, run.filePath, run.sha256);
  } catch (error) {
    const missing = (error as NodeJS.ErrnoException).code === 'ENOENT';
    if (!missing && !(error instanceof ExportFileIntegrityError)) throw error;
    await audit('FAIL', `Data export ${input.exportId} run ${input.runId}: file ${missing ? 'missing' : 'failed its integrity check'}, not served`, { error: (error as Error).message });
    throw error;
  }
  try {
    await audit('OK', `Data export ${input.exportId} run ${input.runId} downloaded`, { sha256: run.sha256, sizeBytes: run.sizeBytes, rowCount: run.rowCount });
  } catch (error) {
    await file.close();
    throw error;
  }
  return { run, fileName: exportFileName(run.id), file };
}
