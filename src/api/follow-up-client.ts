import { WorkflowNotFoundError } from '@temporalio/client';
import type { SignalDefinition } from '@temporalio/common';
import { notificationDispatchWorkflowId, notificationsQueuedSignal } from '../workflows/notification-dispatch.contract.js';
import type { ApiDeps } from './deps.js';
import { loggableError } from './middleware/hygiene/loggable-error.js';

/** One record's follow-up workflow (src/workflows/follow-up-loop.ts), as its contract names it. */
export interface FollowUpWorkflow<Input> {
  workflowType: string;
  workflowId: string;
  changed: SignalDefinition<[]>;
  input: Input;
}

/**
 * Tells follow-up workflows that their records changed, starting each that is not running, and the
 * notification dispatcher that mails may be queued. The change is already committed with its outbox row:
 * a poke that fails is logged (as `notTold`), not answered as an error, and the running workflow finds
 * the row at its next wake. `alsoTell` are further pokes the change calls for, logged the same way.
 */
export async function pokeFollowUps<Input>(
  deps: Pick<ApiDeps, 'temporal'>,
  notTold: string,
  followUps: readonly FollowUpWorkflow<Input>[],
  alsoTell: readonly Promise<unknown>[] = [],
): Promise<void> {
  const outcomes = await Promise.allSettled([
    pokeNotificationDispatcher(deps),
    ...alsoTell,
    ...followUps.map((followUp) =>
      deps.temporal.client.workflow.signalWithStart(followUp.workflowType, {
        workflowId: followUp.workflowId,
        taskQueue: deps.temporal.taskQueue,
        args: [followUp.input],
        signal: followUp.changed,
        signalArgs: [],
      }),
    ),
  ]);
  for (const outcome of outcomes) {
    if (outcome.status === 'rejected') console.error(JSON.stringify({ level: 'warn', message: notTold, ...loggableError(outcome.reason) }));
  }
}

/** The change may have queued mails: the dispatcher sends them now rather than at its next poll. */
async function pokeNotificationDispatcher(deps: Pick<ApiDeps, 'temporal'>): Promise<void> {
  try {
    await deps.temporal.client.workflow.getHandle(notificationDispatchWorkflowId(deps.temporal.taskQueue)).signal(notificationsQueuedSignal);
  } catch (error) {
    // No dispatcher on this task queue (yet): the worker starts one, and it polls.
    if (!(error instanceof WorkflowNotFoundError)) throw error;
  }
}
