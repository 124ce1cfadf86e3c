import { proxyActivities } from '@temporalio/workflow';
import type { createActivities } from '../activities/index.js';
import type { MediaLockSummary } from '../storage/media-locks.js';
import type { MediaLockReconcileResult } from './media-lock-reconcile.contract.js';

const { reconcileMediaLocks } = proxyActivities<ReturnType<typeof createActivities>>({ startToCloseTimeout: '5 minutes' });
const PAGE = 500;

/**
 * Started by a Temporal Schedule: walks every stored media object by digest and mirrors the protection
 * and legal holds of the conversations referring to it onto the store's Object Lock (a no-op on a local folder).
 */
export async function mediaLockReconcile(): Promise<MediaLockReconcileResult> {
  const result: MediaLockReconcileResult = { checked: 0, applied: 0, failed: 0 };
  let after: string | null = null;
  do {
    const page: MediaLockSummary = await reconcileMediaLocks({ after, limit: PAGE });
    result.checked += page.checked;
    result.applied += page.applied;
    result.failed += page.failed.length;
    after = page.nextAfter;
  } while (after !== null);
  return result;
}
