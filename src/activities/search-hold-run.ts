import { ApplicationFailure, heartbeat } from '@temporalio/activity';
import { FailureType } from '../domain/failures.js';
import { finishSearchHoldRun, placeSearchHoldRunPage, SearchHoldRunInvalid, SearchHoldRunNotFound, type SearchHoldRunPageOutcome } from '../legal-holds/search-hold-runs.js';
import type { SearchHoldRunResult } from '../workflows/search-hold-run.contract.js';
import type { ActivityDeps } from './deps.js';

/** Well inside the workflow's heartbeat timeout. */
const HEARTBEAT_INTERVAL_MS = 5_000;

/**
 * Heartbeats while the page's transaction runs (it may wait on row locks), so a worker that dies mid-page
 * is noticed within the heartbeat timeout, not the start-to-close one. A run without its row, or with a
 * search that no longer parses, fails at once: retrying cannot mend either.
 */
async function asPageActivity<T>(work: () => Promise<T>): Promise<T> {
  const alive = setInterval(() => heartbeat(), HEARTBEAT_INTERVAL_MS);
  try {
    return await work();
  } catch (error) {
    if (error instanceof SearchHoldRunNotFound) throw ApplicationFailure.nonRetryable(error.message, FailureType.NotFound);
    if (error instanceof SearchHoldRunInvalid) throw ApplicationFailure.nonRetryable(error.message, FailureType.InvalidInput);
    throw error;
  } finally {
    clearInterval(alive);
  }
}

export function searchHoldRunActivities({ db }: ActivityDeps) {
  return {
    /** One page of a search hold's run; a page already placed (a retry) is not placed again. */
    async placeSearchHoldRunPage(input: { holdGroupId: string; pageIndex: number; limit: number }): Promise<SearchHoldRunPageOutcome> {
      return asPageActivity(() => placeSearchHoldRunPage(db, input));
    },

    /** Ends the run as in force (failure null) or failed; what the workflow needs of it to report and notify. */
    async finishSearchHoldRun(input: { holdGroupId: string; failure: string | null }): Promise<Omit<SearchHoldRunResult, 'holdGroupId'> & { reason: string }> {
      const run = await asPageActivity(() => finishSearchHoldRun(db, input));
      // An ended run keeps how it ended (e.g. failed by the API when starting this workflow seemed to fail).
      const status = run.status === 'failed' ? 'failed' : 'in_force';
      return { status, failure: run.failure, reason: run.reason, pagesDone: run.pagesDone, matched: run.matched, held: run.held, skipped: run.skipped };
    },
  };
}
