import { ScheduleAlreadyRunning, ScheduleOverlapPolicy, type Client } from '@temporalio/client';
import { AUDIT_CHECKPOINT_INTERVAL, AUDIT_CHECKPOINT_WORKFLOW, auditCheckpointScheduleId } from '../workflows/audit-checkpoint.contract.js';

/**
 * Creates the schedule that checkpoints the audit chain, unless it exists: every process that starts a
 * worker calls this, and the first one wins.
 */
export async function ensureAuditCheckpointSchedule(client: Client, taskQueue: string): Promise<string> {
  const scheduleId = auditCheckpointScheduleId(taskQueue);
  try {
    await client.schedule.create({
      scheduleId,
      spec: { intervals: [{ every: AUDIT_CHECKPOINT_INTERVAL }] },
      action: { type: 'startWorkflow', workflowType: AUDIT_CHECKPOINT_WORKFLOW, workflowId: scheduleId, taskQueue, args: [] },
      // A checkpoint missed while the cluster was down is worth one catch-up run, not one per interval.
      policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '1 hour' },
    });
  } catch (error) {
    if (!(error instanceof ScheduleAlreadyRunning)) throw error;
  }
  return scheduleId;
}
