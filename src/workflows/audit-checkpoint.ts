import { proxyActivities } from '@temporalio/workflow';
import type { createActivities } from '../activities/index.js';
import type { AuditCheckpointResult } from './audit-checkpoint.contract.js';

const { recordAuditCheckpoint } = proxyActivities<ReturnType<typeof createActivities>>({
  startToCloseTimeout: '1 minute',
  retry: { maximumInterval: '1 minute' },
});

/**
 * Started by a Temporal Schedule: records the audit chain's head in audit_checkpoints. The result also
 * stays in this run's history, a copy of the checkpoint kept outside PostgreSQL.
 */
export async function auditCheckpoint(): Promise<AuditCheckpointResult> {
  return recordAuditCheckpoint();
}
