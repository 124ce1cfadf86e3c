import { proxyActivities } from '@temporalio/workflow';
import type { createActivities } from '../activities/index.js';
import type { MediaRemovalSweepResult } from './media-removal-sweep.contract.js';

const { sweepMediaRemovals } = proxyActivities<ReturnType<typeof createActivities>>({ startToCloseTimeout: '5 minutes' });
const PAGE = 500;

/** Started by a Temporal Schedule: removes the media files that disposals queued and no one removed. */
export async function mediaRemovalSweep(): Promise<MediaRemovalSweepResult> {
  const result: MediaRemovalSweepResult = { removed: 0, inUse: 0 };
  for (;;) {
    const page = await sweepMediaRemovals({ limit: PAGE });
    result.removed += page.removed;
    result.inUse += page.inUse;
    // A page that settled nothing is held by another sweeper: leave the rest to it.
    if (!page.more || page.removed + page.inUse === 0) return result;
  }
}
