import { defineQuery } from '@temporalio/workflow';

export const RETENTION_SWEEP_WORKFLOW = 'retentionSweep';
export const RETENTION_SWEEP_INTERVAL = '1 hour';

export function retentionSweepScheduleId(taskQueue: string): string {
  return `retention-sweep-${taskQueue}`;
}

export interface RetentionSweepInput {
  /** How long past its due date a conversation must be before the sweep acts: normally its own lifecycle deletes it. */
  graceSeconds: number;
}

export interface RetentionSweepProgress {
  examined: number;
  nudged: number;
  restarted: number;
  finished: boolean;
}

export const retentionSweepProgressQuery = defineQuery<RetentionSweepProgress>('retentionSweepProgress');
