import { defineQuery } from '@temporalio/workflow';

export const SEARCH_HOLD_RUN_WORKFLOW = 'searchHoldRun';

/** One run per hold group: a retried request finds the run already started instead of starting another. */
export function searchHoldRunWorkflowId(holdGroupId: string): string {
  return `search-hold-run-${holdGroupId}`;
}

/** Conversations per page (one transaction each) and pages per workflow run before continue-as-new. */
export const SEARCH_HOLD_RUN_DEFAULTS = { pageSize: 200, pagesPerRun: 100 } as const;

export interface SearchHoldRunProgress {
  pagesDone: number;
  matched: number;
  held: number;
  /** Matched conversations deleted before their hold could be written. */
  skipped: number;
}

export interface SearchHoldRunInput {
  holdGroupId: string;
  pageSize: number;
  pagesPerRun: number;
  /** Carried over continue-as-new. */
  resume?: { pageIndex: number; progress: SearchHoldRunProgress };
}

export interface SearchHoldRunResult extends SearchHoldRunProgress {
  holdGroupId: string;
  status: 'in_force' | 'failed';
  failure: string | null;
}

export const searchHoldRunProgressQuery = defineQuery<SearchHoldRunProgress>('searchHoldRunProgress');
