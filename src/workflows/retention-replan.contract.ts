export const RETENTION_REPLAN_WORKFLOW = 'retentionReplan';

export interface RetentionReplanInput {
  /** The delete task that was created, changed, paused, resumed or removed. */
  taskId: string;
  /** Carried over continue-as-new. */
  resume?: { afterId: string; signalled: number };
}

export interface RetentionReplanResult {
  taskId: string;
  signalled: number;
}
