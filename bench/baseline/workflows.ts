import { condition, proxyActivities, setHandler } from '@temporalio/workflow';
import type { BaselineActivities } from './activities.js';
import { storeBaselineRecordUpdate } from './contract.js';

const { storeBaselineRecord } = proxyActivities<BaselineActivities>({ startToCloseTimeout: '1 minute' });

/**
 * Started like a capture (update-with-start), it runs one activity doing one INSERT, answers the update,
 * then waits forever as a lifecycle waits out its retention (without a timer: the baseline has none).
 */
export async function baselineLifecycle(): Promise<void> {
  setHandler(storeBaselineRecordUpdate, (input) => storeBaselineRecord(input));
  await condition(() => false);
}
