import type { RequestContext } from '../audit/write/actor.js';

export const DATA_EXPORT_RUN_WORKFLOW = 'dataExportRun';

export function dataExportScheduleId(exportId: string): string {
  return `data-export-${exportId}`;
}

/** A manual run's workflow id: one per run. Scheduled runs are `data-export-run-<exportId>` plus the firing's time (added by the schedule). */
export function dataExportManualRunWorkflowId(exportId: string, runId: string): string {
  return `data-export-run-${exportId}-manual-${runId}`;
}

export interface DataExportRunInput {
  exportId: string;
  trigger: 'manual' | 'scheduled';
  /** A manual run's id (its row is made by the API before the workflow starts). */
  runId?: string;
  /** A scheduled run's nominal time; absent: the schedule's firing time, else the workflow's start. */
  scheduledFor?: string;
  /** Who asked for a manual run; a scheduled run is the workflow's own. */
  requestedBy?: RequestContext;
}

export interface DataExportRunResult {
  exportId: string;
  runId: string | null;
  status: 'completed' | 'skipped';
  rowCount: number;
  sizeBytes: number;
  sha256: string | null;
  mailQueued: boolean;
}
