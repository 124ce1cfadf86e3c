import { defineUpdate } from '@temporalio/workflow';

/** The bare Temporal baseline: what a capture would cost with no engine around it. */
export const BASELINE_WORKFLOW = 'baselineLifecycle';
export const BASELINE_TABLE = 'bench_baseline_records';

export interface BaselineRecord {
  key: string;
  record: Record<string, unknown>;
}

export const storeBaselineRecordUpdate = defineUpdate<{ stored: boolean }, [BaselineRecord]>('storeRecord');
