import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import { ActivityFailure, ApplicationFailure, ParentClosePolicy, continueAsNew, proxyActivities, setHandler, startChild, workflowInfo } from '@temporalio/workflow';
import type { createActivities } from '../activities/index.js';
import { NON_RETRYABLE_FAILURES } from '../domain/failures.js';
import { legalHoldNotify } from './legal-hold-notify.js';
import { legalHoldNotifyWorkflowId } from './legal-hold-notify.contract.js';
import { searchHoldRunProgressQuery, type SearchHoldRunInput, type SearchHoldRunProgress, type SearchHoldRunResult } from './search-hold-run.contract.js';

const activities = proxyActivities<ReturnType<typeof createActivities>>({
  startToCloseTimeout: '5 minutes',
  // The activities heartbeat every 5 s: a page whose worker died is retried elsewhere within this.
  heartbeatTimeout: '20 seconds',
  // A database outage keeps the run placing (and saying so) until it is back; only what cannot pass fails it.
  retry: { maximumInterval: '1 minute', nonRetryableErrorTypes: [...NON_RETRYABLE_FAILURES] },
});

/**
 * Places a legal hold over a search, page by page: each page's holds, their audit entries and the run's
 * progress commit together (search_hold_runs), so the run reports `in_force` only once every conversation
 * it matched is held. Then the lifecycles are told, in the background (legalHoldNotify).
 */
export async function searchHoldRun(input: SearchHoldRunInput): Promise<SearchHoldRunResult> {
  let pageIndex = input.resume?.pageIndex ?? 0;
  let progress: SearchHoldRunProgress = input.resume?.progress ?? { pagesDone: 0, matched: 0, held: 0, skipped: 0 };
  setHandler(searchHoldRunProgressQuery, () => progress);

  try {
    for (let pagesThisRun = 0; ; pagesThisRun += 1) {
      if (pagesThisRun >= input.pagesPerRun || workflowInfo().continueAsNewSuggested) {
        return await continueAsNew<typeof searchHoldRun>({ ...input, resume: { pageIndex, progress } });
      }
      const { done, ...totals } = await activities.placeSearchHoldRunPage({ holdGroupId: input.holdGroupId, pageIndex, limit: input.pageSize });
      progress = totals;
      pageIndex += 1;
      if (done) break;
    }
  } catch (error) {
    if (!(error instanceof ActivityFailure)) throw error;
    const failure = error.cause instanceof ApplicationFailure ? error.cause.message : error.message;
    const run = await activities.finishSearchHoldRun({ holdGroupId: input.holdGroupId, failure });
    return { holdGroupId: input.holdGroupId, status: run.status, failure: run.failure, pagesDone: run.pagesDone, matched: run.matched, held: run.held, skipped: run.skipped };
  }

  const { reason, ...run } = await activities.finishSearchHoldRun({ holdGroupId: input.holdGroupId, failure: null });
  // `!== 'failed'`: results recorded before the activity reported a status mean in force.
  if (run.status !== 'failed' && run.held > 0) {
    try {
      await startChild(legalHoldNotify, {
        workflowId: legalHoldNotifyWorkflowId(input.holdGroupId, 'placed'),
        args: [{ holdGroupId: input.holdGroupId, change: 'placed', reason }],
        parentClosePolicy: ParentClosePolicy.ABANDON,
      });
    } catch (error) {
      // The lifecycles are already being told of this group (the run was started again): once is enough.
      if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
    }
  }
  return { holdGroupId: input.holdGroupId, ...run };
}
