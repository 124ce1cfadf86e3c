import { continueAsNew, proxyActivities, setHandler, sleep, workflowInfo } from '@temporalio/workflow';
import type { createActivities } from '../activities/index.js';
import { NON_RETRYABLE_FAILURES } from '../domain/failures.js';
import { nudgeLifecycle } from './lifecycle-nudge.js';
import { deleteRunProgressQuery, type DeleteRunInput, type DeleteRunProgress, type KeptConversation } from './delete-run.contract.js';

const activities = proxyActivities<ReturnType<typeof createActivities>>({
  startToCloseTimeout: '5 minutes',
  retry: { maximumInterval: '1 minute', nonRetryableErrorTypes: [...NON_RETRYABLE_FAILURES] },
});

const PAGE = 200;
/** How long a page's lifecycles get to delete before the rest of the page counts as failed. */
const SETTLE_ATTEMPTS = 30;
const SETTLE_INTERVAL = '2 seconds';
/** Failures and kept conversations listed by conversation in the report; beyond this only counted. */
const MAX_LISTED_FAILURES = 100;
const MAX_LISTED_KEPT = 100;

/**
 * One run of a delete task (the seed's MLM Delete Tool): find the conversations the task selects whose
 * window has passed, tell each lifecycle to delete now (deletion stays the lifecycle's own step, re-checked
 * under its row lock), and report what was deleted, what was kept and why. The report lives in delete_runs.
 */
export async function deleteRun(input: DeleteRunInput): Promise<DeleteRunProgress> {
  const { workflowId } = workflowInfo();
  const resumed = input.resume?.progress;
  const progress: DeleteRunProgress = resumed
    ? { ...resumed, skippedReasonCodes: resumed.skippedReasonCodes ?? {}, kept: resumed.kept ?? [] }
    : {
        taskId: input.taskId,
        selected: 0,
        done: 0,
        skipped: 0,
        failed: 0,
        skippedReasons: {},
        skippedReasonCodes: {},
        kept: [],
        failures: [],
        refused: null,
        finished: false,
      };
  setHandler(deleteRunProgressQuery, () => progress);
  const save = () => activities.recordDeleteRun({ runId: workflowId, progress });
  const skip = ({ conversationId, reason, code, reasons }: KeptConversation) => {
    progress.skipped += 1;
    progress.skippedReasons[reason] = (progress.skippedReasons[reason] ?? 0) + 1;
    if (code) progress.skippedReasonCodes[code] = (progress.skippedReasonCodes[code] ?? 0) + 1;
    if (reasons && progress.kept.length < MAX_LISTED_KEPT) progress.kept.push({ conversationId, reasons });
  };
  const fail = (conversationId: string, reason: string) => {
    progress.failed += 1;
    if (progress.failures.length < MAX_LISTED_FAILURES) progress.failures.push({ conversationId, reason });
  };

  if (!input.resume) {
    progress.refused = await activities.deleteRunRefusal({ taskId: input.taskId });
    await save();
    if (progress.refused) {
      progress.finished = true;
      await save();
      return progress;
    }
  }

  let afterId = input.resume?.afterId ?? null;
  for (;;) {
    const page = await activities.selectDeleteRunPage({ taskId: input.taskId, afterId, limit: PAGE });
    progress.selected += page.due.length + page.kept.length;
    for (const kept of page.kept) skip(kept);
    for (const conversationId of page.due) await nudgeLifecycle(conversationId);

    let pending = page.due;
    for (let attempt = 0; pending.length > 0 && attempt < SETTLE_ATTEMPTS; attempt += 1) {
      await sleep(SETTLE_INTERVAL);
      const tally = await activities.tallyDeleteRunPage({ taskId: input.taskId, conversationIds: pending });
      progress.done += tally.deleted.length;
      for (const kept of tally.kept) skip(kept);
      pending = tally.pending;
    }
    for (const conversationId of pending) fail(conversationId, 'still due: its lifecycle did not delete it in time; the next run retries');
    await save();
    if (page.lastId === null) break;
    afterId = page.lastId;
    if (workflowInfo().continueAsNewSuggested) return continueAsNew<typeof deleteRun>({ taskId: input.taskId, resume: { afterId, progress } });
  }
  progress.finished = true;
  await save();
  return progress;
}
