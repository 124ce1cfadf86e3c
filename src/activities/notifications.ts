import { log } from '@temporalio/activity';
import { dispatchDueNotifications } from '../notify/dispatch.js';
import type { NotificationDispatchRound } from '../workflows/notification-dispatch.contract.js';
import { callingWorkflow } from './calling-workflow.js';
import type { ActivityDeps } from './deps.js';

const BATCH_SIZE = 50;
/** Longer than the activity's start-to-close timeout (2 minutes), so a batch is never sent by two attempts at once. */
const LEASE_SECONDS = 300;

export function notificationActivities({ db, mailer }: ActivityDeps) {
  return {
    /** Sends one batch of due mails; safe to retry: every row is claimed before it is sent and marked after. */
    async dispatchNotifications(): Promise<NotificationDispatchRound> {
      // A worker built without a mailer sends nothing and leaves the rows to one that has one.
      if (!mailer) return { claimed: 0, sent: 0, failed: 0, gaveUp: [], more: false };
      const outcome = await dispatchDueNotifications(db, mailer, { batchSize: BATCH_SIZE, leaseSeconds: LEASE_SECONDS, ...callingWorkflow('notification-dispatch') });
      if (outcome.gaveUp.length > 0) log.warn('notification mails failed for good', { outboxIds: outcome.gaveUp });
      return { claimed: outcome.claimed, sent: outcome.sent, failed: outcome.failed, gaveUp: outcome.gaveUp, more: outcome.more };
    },
  };
}
