/** The audit checkpoint workflow's name, schedule and result; imported by the API, the worker and tests. */
export const AUDIT_CHECKPOINT_WORKFLOW = 'auditCheckpoint';

/** Often enough that a truncated tail is rarely longer than this; an idle chain writes no new checkpoint. */
export const AUDIT_CHECKPOINT_INTERVAL = '15 minutes';

/** One schedule per task queue, i.e. per deployment sharing a namespace. */
export function auditCheckpointScheduleId(taskQueue: string): string {
  return `audit-checkpoint-${taskQueue}`;
}

export interface AuditCheckpointRecord {
  id: string;
  chainSeq: number;
  hash: string;
  createdAt: string;
}

export interface AuditCheckpointResult {
  checkpoint: AuditCheckpointRecord;
  /** False when the chain had not moved since the latest checkpoint, which is then returned. */
  created: boolean;
}
