import { proxyActivities } from '@temporalio/workflow';
import type { createActivities } from '../activities/index.js';
import type { RecordingFetchResult } from './recording-fetch.contract.js';

// One batch fetches and stores whole objects: minutes for large recordings on a slow link.
const { fetchDueRecordingBatch } = proxyActivities<ReturnType<typeof createActivities>>({
  startToCloseTimeout: '20 minutes',
  retry: { maximumInterval: '1 minute', maximumAttempts: 5 },
});

/** Batches per run: a backlog is worked off over several scheduled runs, never in one unbounded history. */
const MAX_BATCHES = 50;

/**
 * Started by a Temporal Schedule: fetches the recordings contact records named that are due (new, or
 * whose retry time has come). Failures are recorded per recording by the activity, not thrown.
 */
export async function recordingFetch(): Promise<RecordingFetchResult> {
  const total: RecordingFetchResult = { claimed: 0, fetched: 0, retrying: 0, givenUp: 0 };
  for (let batch = 0; batch < MAX_BATCHES; batch += 1) {
    const result = await fetchDueRecordingBatch();
    total.claimed += result.claimed;
    total.fetched += result.fetched;
    total.retrying += result.retrying;
    total.givenUp += result.givenUp;
    if (!result.more) break;
  }
  return total;
}
