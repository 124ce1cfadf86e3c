import { expect } from 'vitest';
import { MEDIA_REMOVAL_SWEEP_WORKFLOW, type MediaRemovalSweepResult } from '../../src/workflows/media-removal-sweep.contract.js';
import { uniqueId } from '../support/lifecycle.js';
import type { Scenario } from './scenario.js';

/** The media removal sweep, as its schedule starts it (nothing queued in the recorder's database: one empty page). */
export const MEDIA_REMOVAL_SCENARIOS: Record<string, Scenario> = {
  async 'media-removal-sweep'(harness) {
    const workflowId = uniqueId('replay-media-removal');
    const result: MediaRemovalSweepResult = await harness.client.workflow.execute(MEDIA_REMOVAL_SWEEP_WORKFLOW, { taskQueue: harness.taskQueue, workflowId, args: [] });
    expect(result.removed + result.inUse).toBeGreaterThanOrEqual(0);
    return [{ workflowId }];
  },
};
