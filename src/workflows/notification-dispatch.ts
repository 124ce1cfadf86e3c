import { allHandlersFinished, condition, continueAsNew, proxyActivities, setHandler, workflowInfo } from '@temporalio/workflow';
import type { createActivities } from '../activities/index.js';
import { notificationsQueuedSignal, type NotificationDispatchInput } from './notification-dispatch.contract.js';

// A batch is leased for longer than this timeout (see the activity), so a timed-out attempt's rows are not sent twice.
const { dispatchNotifications } = proxyActivities<ReturnType<typeof createActivities>>({
  startToCloseTimeout: '2 minutes',
  retry: { maximumInterval: '1 minute' },
});

/**
 * The outbox's dispatcher: sends what is due, then waits for a poke or the poll interval. Runs for the
 * life of the deployment, continuing-as-new when its history grows long.
 */
export async function notificationDispatch(input: NotificationDispatchInput): Promise<never> {
  let poked = false;
  setHandler(notificationsQueuedSignal, () => void (poked = true));

  for (;;) {
    if (workflowInfo().continueAsNewSuggested) {
      await condition(allHandlersFinished);
      return continueAsNew<typeof notificationDispatch>(input);
    }
    poked = false;
    const round = await dispatchNotifications();
    if (round.more) continue;
    await condition(() => poked, Math.max(1, input.pollSeconds) * 1000);
  }
}
