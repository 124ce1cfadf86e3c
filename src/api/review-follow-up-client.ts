import { WorkflowNotFoundError } from '@temporalio/client';
import { notificationDispatchWorkflowId, notificationsQueuedSignal } from '../workflows/notification-dispatch.contract.js';
import { REVIEW_FOLLOW_UP_WORKFLOW, reviewChangedSignal, reviewWorkflowId } from '../workflows/review-follow-up.contract.js';
import { trainingAssignmentsOfReviews } from '../training/training-follow-up.js';
import type { ApiDeps } from './deps.js';
import { loggableError } from './middleware/hygiene/loggable-error.js';
import { pokeTrainingFollowUps } from './training-follow-up-client.js';

/**
 * Tells each review's follow-up workflow that its review changed, starting it when it is not running
 * (a new review, or a settled one reopened). The change is already committed with its outbox row: a poke
 * that fails is logged, not answered as an error, and the running workflow finds the row at its next wake.
 */
export async function pokeReviewFollowUps(deps: Pick<ApiDeps, 'temporal' | 'db'>, reviewIds: readonly string[]): Promise<void> {
  const outcomes = await Promise.allSettled([
    pokeNotificationDispatcher(deps),
    // A completion, dispute or reopen may have given or cancelled a training follow-up in the same transaction.
    trainingAssignmentsOfReviews(deps.db, reviewIds).then((assignmentIds) => (assignmentIds.length > 0 ? pokeTrainingFollowUps(deps, assignmentIds) : undefined)),
    ...reviewIds.map((reviewId) =>
      deps.temporal.client.workflow.signalWithStart(REVIEW_FOLLOW_UP_WORKFLOW, {
        workflowId: reviewWorkflowId(reviewId),
        taskQueue: deps.temporal.taskQueue,
        args: [{ reviewId }],
        signal: reviewChangedSignal,
        signalArgs: [],
      }),
    ),
  ]);
  for (const outcome of outcomes) {
    if (outcome.status === 'rejected') console.error(JSON.stringify({ level: 'warn', message: 'review follow-up not told', ...loggableError(outcome.reason) }));
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
