import { ScheduleOverlapPolicy, type Client } from '@temporalio/client';
import { ARCHIVE_RUN_WORKFLOW, archiveScheduleId } from '../../workflows/archive-run.contract.js';

/** One Temporal Schedule per archive task; overlapping runs are skipped, a run never races another. */
export async function createArchiveSchedule(client: Client, taskQueue: string, task: { id: string; intervalSeconds: number }): Promise<void> {
  await client.schedule.create({
    scheduleId: archiveScheduleId(task.id),
    spec: { intervals: [{ every: `${task.intervalSeconds}s` }] },
    action: { type: 'startWorkflow', workflowType: ARCHIVE_RUN_WORKFLOW, args: [{ taskId: task.id }], taskQueue, workflowId: `archive-run-${task.id}` },
    policies: { overlap: ScheduleOverlapPolicy.SKIP },
  });
}
