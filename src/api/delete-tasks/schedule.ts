import { ScheduleNotFoundError, ScheduleOverlapPolicy, type Client } from '@temporalio/client';
import { DELETE_RUN_WORKFLOW, deleteScheduleId } from '../../workflows/delete-run.contract.js';

/**
 * Makes the task's Temporal Schedule match its definition: none without an interval, paused while the task
 * is. Recreated on change, so a new interval takes effect at once; overlapping runs are skipped.
 */
export async function syncDeleteSchedule(client: Client, taskQueue: string, task: { id: string; intervalSeconds: number | null; enabled: boolean; removed: boolean }): Promise<void> {
  const scheduleId = deleteScheduleId(task.id);
  try {
    await client.schedule.getHandle(scheduleId).delete();
  } catch (error) {
    if (!(error instanceof ScheduleNotFoundError)) throw error;
  }
  if (task.removed || task.intervalSeconds === null) return;
  await client.schedule.create({
    scheduleId,
    spec: { intervals: [{ every: `${task.intervalSeconds}s` }] },
    action: { type: 'startWorkflow', workflowType: DELETE_RUN_WORKFLOW, args: [{ taskId: task.id }], taskQueue, workflowId: `delete-run-${task.id}` },
    policies: { overlap: ScheduleOverlapPolicy.SKIP },
    state: { paused: !task.enabled, note: task.enabled ? undefined : 'delete task paused' },
  });
}
