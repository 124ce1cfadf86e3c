import { expect } from 'vitest';
import { RECORDING_FETCH_WORKFLOW, type RecordingFetchResult } from '../../src/workflows/recording-fetch.contract.js';
import { uniqueId } from '../support/lifecycle.js';
import type { Scenario } from './scenario.js';

/** The recording fetch sweep, as its schedule starts it (the recorder's harness has no S3: one empty batch). */
export const RECORDING_FETCH_SCENARIOS: Record<string, Scenario> = {
  async 'recording-fetch-sweep'(harness) {
    const workflowId = uniqueId('replay-recording-fetch');
    const result: RecordingFetchResult = await harness.client.workflow.execute(RECORDING_FETCH_WORKFLOW, { taskQueue: harness.taskQueue, workflowId, args: [] });
    expect(result).toMatchObject({ claimed: 0, fetched: 0 });
    return [{ workflowId }];
  },
};
