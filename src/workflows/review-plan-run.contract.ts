export const REVIEW_PLAN_RUN_WORKFLOW = 'reviewPlanRun';

export function reviewPlanScheduleId(planId: string): string {
  return `review-plan-${planId}`;
}

export interface ReviewPlanRunInput {
  planId: string;
  /** An instant in the period to review; absent: the last complete period before the run starts (a scheduled run). */
  periodContaining?: string;
  /** Who asked: a user's manual "run now", or the schedule. */
  requestedBy?: { username: string; correlationId: string };
}

export interface ReviewPlanRunResult {
  planId: string;
  runId: string;
  periodStart: string;
  periodEnd: string;
  created: number;
  followUpsStarted: number;
}
