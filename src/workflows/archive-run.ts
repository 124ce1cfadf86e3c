import { condition, getExternalWorkflowHandle, proxyActivities, setHandler, workflowInfo } from '@temporalio/workflow';
import type { createActivities } from '../activities/index.js';
import { NON_RETRYABLE_FAILURES } from '../domain/failures.js';
import { archiveRunProgressQuery, archiveStepDoneSignal, type ArchiveRunInput, type ArchiveRunProgress } from './archive-run.contract.js';
import { archiveRequestedSignal, conversationWorkflowId } from './conversation-lifecycle.contract.js';

const activities = proxyActivities<ReturnType<typeof createActivities>>({
  startToCloseTimeout: '10 minutes',
  retry: { maximumInterval: '1 minute', nonRetryableErrorTypes: [...NON_RETRYABLE_FAILURES] },
});

const PAGE = 100;
/** A lifecycle that does not answer within this is counted as failed; the next run picks it up again. */
const STEP_TIMEOUT = '10 minutes';

/**
 * One run of an archive task: verify earlier packages, then ask each selected conversation's lifecycle to
 * archive itself and collect the answers. Progress is queryable; the report is kept in archive_runs.
 */
export async function archiveRun(input: ArchiveRunInput): Promise<ArchiveRunProgress> {
  const { workflowId } = workflowInfo();
  const progress: ArchiveRunProgress = { taskId: input.taskId, selected: 0, done: 0, skipped: 0, failed: 0, failures: [], verification: null, finished: false };
  const pending = new Set<string>();
  setHandler(archiveRunProgressQuery, () => progress);
  setHandler(archiveStepDoneSignal, (report) => {
    if (!pending.delete(report.conversationId)) return;
    if (report.status === 'archived' || report.status === 'already-archived') progress.done += 1;
    else if (report.status === 'skipped') progress.skipped += 1;
    else {
      progress.failed += 1;
      progress.failures.push({ conversationId: report.conversationId, reason: report.reason ?? 'failed' });
    }
  });
  const save = () =>
    activities.recordArchiveRun({
      runId: workflowId,
      taskId: input.taskId,
      counts: { selected: progress.selected, done: progress.done, skipped: progress.skipped, failed: progress.failed },
      report: { failures: progress.failures, verification: progress.verification },
      finished: progress.finished,
    });

  await save();
  progress.verification = await activities.verifyArchivePackages({ taskId: input.taskId });
  let afterId: string | null = null;
  for (;;) {
    const page: string[] = await activities.selectArchiveCandidates({ taskId: input.taskId, afterId, limit: PAGE });
    if (page.length === 0) break;
    progress.selected += page.length;
    for (const conversationId of page) {
      pending.add(conversationId);
      try {
        await getExternalWorkflowHandle(conversationWorkflowId(conversationId)).signal(archiveRequestedSignal, { taskId: input.taskId, runWorkflowId: workflowId });
      } catch {
        pending.delete(conversationId);
        progress.skipped += 1;
      }
    }
    if (!(await condition(() => pending.size === 0, STEP_TIMEOUT))) {
      for (const conversationId of pending) progress.failures.push({ conversationId, reason: 'lifecycle did not answer' });
      progress.failed += pending.size;
      pending.clear();
    }
    afterId = page[page.length - 1]!;
    await save();
  }
  progress.finished = true;
  await save();
  return progress;
}
