import { defineSignal } from '@temporalio/workflow';

export const NOTIFICATION_DISPATCH_WORKFLOW = 'notificationDispatch';

/** One dispatcher per task queue (a deployment), started at worker start and kept running. */
export function notificationDispatchWorkflowId(taskQueue: string): string {
  return `notification-dispatch-${taskQueue}`;
}

/** Mails were queued: look now rather than at the next poll. A lost poke only delays mail by one interval. */
export const notificationsQueuedSignal = defineSignal('notificationsQueued');

export interface NotificationDispatchInput {
  /** Look for due mails at least this often (NOTIFICATION_POLL_SECONDS); retries become due between pokes. */
  pollSeconds: number;
}

/** What one dispatch round did: counts and outbox ids only. */
export interface NotificationDispatchRound {
  claimed: number;
  sent: number;
  failed: number;
  gaveUp: string[];
  more: boolean;
}
