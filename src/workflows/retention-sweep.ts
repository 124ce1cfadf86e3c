import { proxyActivities, setHandler } from '@temporalio/workflow';
import type { createActivities } from '../activities/index.js';
import { nudgeLifecycle } from './lifecycle-nudge.js';
import { retentionSweepProgressQuery, type RetentionSweepInput, type RetentionSweepProgress } from './retention-sweep.contract.js';

const activities = proxyActivities<ReturnType<typeof createActivities>>({ startToCloseTimeout: '5 minutes' });
const PAGE = 200;

/**
 * The delete tasks' scheduled run: PostgreSQL holds every conversation's due date, so a conversation whose
 * deletion is overdue has a stalled or missing lifecycle. Nudge the stalled ones to re-plan; restart the
 * missing ones from the state PostgreSQL holds. Deletion itself stays the lifecycle's own step.
 */
export async function retentionSweep(input: RetentionSweepInput): Promise<RetentionSweepProgress> {
  const progress: RetentionSweepProgress = { examined: 0, nudged: 0, restarted: 0, finished: false };
  setHandler(retentionSweepProgressQuery, () => progress);
  let afterId: string | null = null;
  for (;;) {
    const page: string[] = await activities.findOverdueConversations({ afterId, limit: PAGE, graceSeconds: input.graceSeconds });
    if (page.length === 0) break;
    for (const conversationId of page) {
      progress.examined += 1;
      const outcome = await nudgeLifecycle(conversationId);
      if (outcome === 'nudged') progress.nudged += 1;
      else if (outcome === 'restarted') progress.restarted += 1;
    }
    afterId = page[page.length - 1]!;
  }
  progress.finished = true;
  return progress;
}
