import { ScheduleAlreadyRunning, ScheduleOverlapPolicy, type Client } from '@temporalio/client';
import { RETENTION_SWEEP_INTERVAL, RETENTION_SWEEP_WORKFLOW, retentionSweepScheduleId } from '../workflows/retention-sweep.contract.js';

/** The delete tasks' hourly reconciliation run; created once, by whichever worker starts first. */
export async function ensureRetentionSweepSchedule(client: Client, taskQueue: string): Promise<string> {
  const scheduleId = retentionSweepScheduleId(taskQueue);
  try {
    await client.schedule.create({
      scheduleId,
      spec: { intervals: [{ every: RETENTION_SWEEP_INTERVAL }] },
      action: { type: 'startWorkflow', workflowType: RETENTION_SWEEP_WORKFLOW, workflowId: scheduleId, taskQueue, args: [{ graceSeconds: 600 }] },
      policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '1 hour' },
    });
  } catch (error) {
    if (!(error instanceof ScheduleAlreadyRunning)) throw error;
  }
  return scheduleId;
}
