import { expect } from 'vitest';
import { MEDIA_LOCK_RECONCILE_WORKFLOW, type MediaLockReconcileResult } from '../../src/workflows/media-lock-reconcile.contract.js';
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

  /** The media lock reconciler, as its schedule starts it (the recorder's local media store has no Object Lock: pages checked, nothing applied). */
  async 'media-lock-reconcile'(harness) {
    const workflowId = uniqueId('replay-media-lock');
    const result: MediaLockReconcileResult = await harness.client.workflow.execute(MEDIA_LOCK_RECONCILE_WORKFLOW, { taskQueue: harness.taskQueue, workflowId, args: [] });
    expect(result.applied).toBe(0);
    return [{ workflowId }];
  },
};
