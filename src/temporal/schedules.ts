import { WorkflowIdConflictPolicy } from '@temporalio/common';
import { ScheduleAlreadyRunning, ScheduleNotFoundError, ScheduleOverlapPolicy, type Client, type ScheduleOptions } from '@temporalio/client';
import { ARCHIVE_RUN_WORKFLOW, archiveScheduleId } from '../workflows/archive-run.contract.js';
import { AUDIT_CHECKPOINT_INTERVAL, AUDIT_CHECKPOINT_WORKFLOW, auditCheckpointScheduleId } from '../workflows/audit-checkpoint.contract.js';
import { DATA_EXPORT_RUN_WORKFLOW, dataExportScheduleId, type DataExportRunInput } from '../workflows/data-export-run.contract.js';
import { DELETE_RUN_WORKFLOW, deleteScheduleId } from '../workflows/delete-run.contract.js';
import { MEDIA_LOCK_RECONCILE_INTERVAL, MEDIA_LOCK_RECONCILE_WORKFLOW, mediaLockReconcileScheduleId } from '../workflows/media-lock-reconcile.contract.js';
import { MEDIA_REMOVAL_SWEEP_INTERVAL, MEDIA_REMOVAL_SWEEP_WORKFLOW, mediaRemovalSweepScheduleId } from '../workflows/media-removal-sweep.contract.js';
import { NOTIFICATION_DISPATCH_WORKFLOW, notificationDispatchWorkflowId, type NotificationDispatchInput } from '../workflows/notification-dispatch.contract.js';
import { REVIEW_PLAN_RUN_WORKFLOW, reviewPlanScheduleId } from '../workflows/review-plan-run.contract.js';
import { RECORDING_FETCH_WORKFLOW, recordingFetchScheduleId } from '../workflows/recording-fetch.contract.js';
import { RETENTION_SWEEP_INTERVAL, RETENTION_SWEEP_WORKFLOW, retentionSweepScheduleId } from '../workflows/retention-sweep.contract.js';

/**
 * Every Temporal Schedule of the engine. Overlapping runs are always skipped: a run never races another
 * of the same schedule.
 */

/** Creates a schedule unless it exists: every process that starts a worker calls this, and the first one wins. */
async function ensureSchedule(client: Client, options: ScheduleOptions): Promise<string> {
  try {
    await client.schedule.create(options);
  } catch (error) {
    if (!(error instanceof ScheduleAlreadyRunning)) throw error;
  }
  return options.scheduleId;
}

/** Checkpoints the audit chain. A checkpoint missed while the cluster was down is worth one catch-up run, not one per interval. */
export function ensureAuditCheckpointSchedule(client: Client, taskQueue: string): Promise<string> {
  const scheduleId = auditCheckpointScheduleId(taskQueue);
  return ensureSchedule(client, {
    scheduleId,
    spec: { intervals: [{ every: AUDIT_CHECKPOINT_INTERVAL }] },
    action: { type: 'startWorkflow', workflowType: AUDIT_CHECKPOINT_WORKFLOW, workflowId: scheduleId, taskQueue, args: [] },
    policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '1 hour' },
  });
}

/** The delete tasks' hourly reconciliation run. */
export function ensureRetentionSweepSchedule(client: Client, taskQueue: string): Promise<string> {
  const scheduleId = retentionSweepScheduleId(taskQueue);
  return ensureSchedule(client, {
    scheduleId,
    spec: { intervals: [{ every: RETENTION_SWEEP_INTERVAL }] },
    action: { type: 'startWorkflow', workflowType: RETENTION_SWEEP_WORKFLOW, workflowId: scheduleId, taskQueue, args: [{ graceSeconds: 600 }] },
    policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '1 hour' },
  });
}

/** Removes the media files a crash left queued after their disposal committed. */
export function ensureMediaRemovalSweepSchedule(client: Client, taskQueue: string): Promise<string> {
  const scheduleId = mediaRemovalSweepScheduleId(taskQueue);
  return ensureSchedule(client, {
    scheduleId,
    spec: { intervals: [{ every: MEDIA_REMOVAL_SWEEP_INTERVAL }] },
    action: { type: 'startWorkflow', workflowType: MEDIA_REMOVAL_SWEEP_WORKFLOW, workflowId: scheduleId, taskQueue, args: [] },
    policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '1 hour' },
  });
}

/** Mirrors protection and legal holds onto the media bucket's Object Lock (MEDIA_STORE=s3; a no-op otherwise). */
export function ensureMediaLockReconcileSchedule(client: Client, taskQueue: string): Promise<string> {
  const scheduleId = mediaLockReconcileScheduleId(taskQueue);
  return ensureSchedule(client, {
    scheduleId,
    spec: { intervals: [{ every: MEDIA_LOCK_RECONCILE_INTERVAL }] },
    action: { type: 'startWorkflow', workflowType: MEDIA_LOCK_RECONCILE_WORKFLOW, workflowId: scheduleId, taskQueue, args: [] },
    policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '1 hour' },
  });
}

/** Fetches the recordings contact records name in S3; a fetch missed while the cluster was down is simply due at the next run. */
export function ensureRecordingFetchSchedule(client: Client, taskQueue: string, intervalSeconds: number): Promise<string> {
  const scheduleId = recordingFetchScheduleId(taskQueue);
  return ensureSchedule(client, {
    scheduleId,
    spec: { intervals: [{ every: `${intervalSeconds}s` }] },
    action: { type: 'startWorkflow', workflowType: RECORDING_FETCH_WORKFLOW, workflowId: scheduleId, taskQueue, args: [] },
    policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '1 hour' },
  });
}

/**
 * The notification dispatcher is not a schedule but one long-running workflow per task queue (a poke must
 * reach a waiting dispatcher within a second); every process that starts a worker makes sure it runs.
 */
export async function ensureNotificationDispatcher(client: Client, taskQueue: string, input: NotificationDispatchInput): Promise<string> {
  const workflowId = notificationDispatchWorkflowId(taskQueue);
  await client.workflow.start(NOTIFICATION_DISPATCH_WORKFLOW, { workflowId, taskQueue, args: [input], workflowIdConflictPolicy: WorkflowIdConflictPolicy.USE_EXISTING });
  return workflowId;
}

/** One schedule per archive task with an interval. */
export async function createArchiveSchedule(client: Client, taskQueue: string, task: { id: string; intervalSeconds: number }): Promise<void> {
  await client.schedule.create({
    scheduleId: archiveScheduleId(task.id),
    spec: { intervals: [{ every: `${task.intervalSeconds}s` }] },
    action: { type: 'startWorkflow', workflowType: ARCHIVE_RUN_WORKFLOW, args: [{ taskId: task.id }], taskQueue, workflowId: `archive-run-${task.id}` },
    policies: { overlap: ScheduleOverlapPolicy.SKIP },
  });
}

/**
 * Makes a delete task's schedule match its definition: none without an interval, paused while the task
 * is. Recreated on change, so a new interval takes effect at once.
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

/** When a recurring plan runs: shortly after each period ends, in the plan's time zone, to review the period just ended. */
const PLAN_CALENDARS = {
  daily: { hour: 1 },
  weekly: { dayOfWeek: 'MONDAY', hour: 1 },
  monthly: { dayOfMonth: 1, hour: 1 },
} as const;

/**
 * Makes a review plan's schedule match it: none for a one-off, removed or paused plan beyond a paused
 * schedule. Recreated on change, so a new period or time zone takes effect at once. A run missed while the
 * cluster was down is worth one catch-up (each run reviews the period before it started).
 */
export async function syncReviewPlanSchedule(
  client: Client,
  taskQueue: string,
  plan: { id: string; period: string; timeZone: string; enabled: boolean; removed: boolean },
): Promise<void> {
  const scheduleId = reviewPlanScheduleId(plan.id);
  try {
    await client.schedule.getHandle(scheduleId).delete();
  } catch (error) {
    if (!(error instanceof ScheduleNotFoundError)) throw error;
  }
  if (plan.removed || plan.period === 'once') return;
  const calendar = PLAN_CALENDARS[plan.period as keyof typeof PLAN_CALENDARS];
  await client.schedule.create({
    scheduleId,
    spec: { calendars: [calendar], timezone: plan.timeZone },
    action: { type: 'startWorkflow', workflowType: REVIEW_PLAN_RUN_WORKFLOW, args: [{ planId: plan.id }], taskQueue, workflowId: `review-plan-run-${plan.id}` },
    policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '1 day' },
    state: { paused: !plan.enabled, note: plan.enabled ? undefined : 'review plan disabled' },
  });
}

/** When a scheduled export runs, in its time zone: every day, every Monday, or on the 1st, at its HH:MM. */
function exportCalendar(schedule: { every: string; at: string }) {
  const [hour, minute] = schedule.at.split(':').map(Number) as [number, number];
  if (schedule.every === 'week') return { dayOfWeek: 'MONDAY', hour, minute } as const;
  if (schedule.every === 'month') return { dayOfMonth: 1, hour, minute };
  return { hour, minute };
}

/**
 * Makes a data export's schedule match it: none for an export run by hand or removed, paused while the
 * export is disabled. Recreated on change, so a new time or zone takes effect at once. A firing missed while
 * the cluster was down is worth one catch-up; each firing is one run (its nominal time is the run's key).
 */
export async function syncDataExportSchedule(
  client: Client,
  taskQueue: string,
  dataExport: { id: string; schedule: { every: string; at: string } | null; timeZone: string; enabled: boolean; removed: boolean },
): Promise<void> {
  const scheduleId = dataExportScheduleId(dataExport.id);
  try {
    await client.schedule.getHandle(scheduleId).delete();
  } catch (error) {
    if (!(error instanceof ScheduleNotFoundError)) throw error;
  }
  if (dataExport.removed || !dataExport.schedule) return;
  const input: DataExportRunInput = { exportId: dataExport.id, trigger: 'scheduled' };
  await client.schedule.create({
    scheduleId,
    spec: { calendars: [exportCalendar(dataExport.schedule)], timezone: dataExport.timeZone },
    action: { type: 'startWorkflow', workflowType: DATA_EXPORT_RUN_WORKFLOW, args: [input], taskQueue, workflowId: `data-export-run-${dataExport.id}` },
    policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '1 day' },
    state: { paused: !dataExport.enabled, note: dataExport.enabled ? undefined : 'data export disabled' },
  });
}
