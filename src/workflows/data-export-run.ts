import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';
import { getExternalWorkflowHandle, proxyActivities, workflowInfo } from '@temporalio/workflow';
import type { createActivities } from '../activities/index.js';
import type { DataExportRunInput, DataExportRunResult } from './data-export-run.contract.js';
import { notificationDispatchWorkflowId, notificationsQueuedSignal } from './notification-dispatch.contract.js';

// A million rows take tens of seconds; the heartbeat (every batch) finds a dead worker within a minute.
const { runDataExport } = proxyActivities<ReturnType<typeof createActivities>>({
  startToCloseTimeout: '2 hours',
  heartbeatTimeout: '1 minute',
  retry: { maximumAttempts: 5, initialInterval: '5 seconds' },
});

/** Set by the Temporal server on every workflow a schedule starts: the firing's nominal time. */
const SCHEDULED_START_TIME = defineSearchAttributeKey('TemporalScheduledStartTime', SearchAttributeType.DATETIME);

function nominalTime(input: DataExportRunInput): string {
  if (input.scheduledFor) return input.scheduledFor;
  const info = workflowInfo();
  const fired = info.typedSearchAttributes.get(SCHEDULED_START_TIME);
  return (fired ?? info.startTime).toISOString();
}

/**
 * One run of a data export, by hand or by its schedule: the activity writes the file, completes the run and
 * queues its mail in one transaction; then the dispatcher is woken so the mail leaves at once.
 */
export async function dataExportRun(input: DataExportRunInput): Promise<DataExportRunResult> {
  const scheduledFor = input.trigger === 'scheduled' ? nominalTime(input) : undefined;
  const outcome = await runDataExport({ ...input, scheduledFor });
  if (outcome.mailQueued) {
    try {
      await getExternalWorkflowHandle(notificationDispatchWorkflowId(workflowInfo().taskQueue)).signal(notificationsQueuedSignal);
    } catch {
      // No dispatcher running: the mail waits for the next one's poll.
    }
  }
  return { exportId: input.exportId, runId: outcome.runId, status: outcome.status, rowCount: outcome.rowCount, sizeBytes: outcome.sizeBytes, sha256: outcome.sha256, mailQueued: outcome.mailQueued };
}
