import { WorkflowNotFoundError } from '@temporalio/client';
import { notificationDispatchWorkflowId, notificationsQueuedSignal } from '../workflows/notification-dispatch.contract.js';
import { TRAINING_FOLLOW_UP_WORKFLOW, trainingChangedSignal, trainingWorkflowId } from '../workflows/training-follow-up.contract.js';
import type { ApiDeps } from './deps.js';
import { loggableError } from './middleware/hygiene/loggable-error.js';

/**
 * Tells each training assignment's follow-up workflow that its assignment changed, starting it when it is
 * not running. The change is already committed with its outbox row: a poke that fails is logged, not
 * answered as an error, and the running workflow finds the row at its next wake.
 */
export async function pokeTrainingFollowUps(deps: Pick<ApiDeps, 'temporal'>, assignmentIds: readonly string[]): Promise<void> {
  const outcomes = await Promise.allSettled([
    pokeNotificationDispatcher(deps),
    ...[...new Set(assignmentIds)].map((assignmentId) =>
      deps.temporal.client.workflow.signalWithStart(TRAINING_FOLLOW_UP_WORKFLOW, {
        workflowId: trainingWorkflowId(assignmentId),
        taskQueue: deps.temporal.taskQueue,
        args: [{ assignmentId }],
        signal: trainingChangedSignal,
        signalArgs: [],
      }),
    ),
  ]);
  for (const outcome of outcomes) {
    if (outcome.status === 'rejected') console.error(JSON.stringify({ level: 'warn', message: 'training follow-up not told', ...loggableError(outcome.reason) }));
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
