import { proxyActivities } from '@temporalio/workflow';
import type { createActivities } from '../../activities/index.js';
import { NON_RETRYABLE_FAILURES } from '../../domain/failures.js';

/** The lifecycle's activities, shared by its handler modules. */
export const lifecycleActivities = proxyActivities<ReturnType<typeof createActivities>>({
  startToCloseTimeout: '1 minute',
  retry: { maximumInterval: '1 minute', nonRetryableErrorTypes: [...NON_RETRYABLE_FAILURES] },
});
