/** The media lock reconciler's name, schedule and result; imported by the worker, the schedules and tests. */
export const MEDIA_LOCK_RECONCILE_WORKFLOW = 'mediaLockReconcile';

/**
 * How long a protection extension or a legal hold may take to reach the media bucket's Object Lock. The
 * engine itself refuses early deletion meanwhile; the lock is the store's own, second refusal.
 */
export const MEDIA_LOCK_RECONCILE_INTERVAL = '5 minutes';

export function mediaLockReconcileScheduleId(taskQueue: string): string {
  return `media-lock-reconcile-${taskQueue}`;
}

export interface MediaLockReconcileResult {
  checked: number;
  applied: number;
  failed: number;
}
