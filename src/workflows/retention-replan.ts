import { continueAsNew, getExternalWorkflowHandle, proxyActivities, workflowInfo } from '@temporalio/workflow';
import type { createActivities } from '../activities/index.js';
import { conversationWorkflowId, retentionPolicyChangedSignal } from './conversation-lifecycle.contract.js';
import type { RetentionReplanInput, RetentionReplanResult } from './retention-replan.contract.js';

const activities = proxyActivities<ReturnType<typeof createActivities>>({ startToCloseTimeout: '5 minutes' });
const PAGE = 500;

/**
 * After a delete task changed: tells each lifecycle the change can affect to re-plan now. Runs in the
 * background, so a change over millions of conversations never holds the admin's request open; a
 * lifecycle that is gone is skipped (the hourly retention sweep and the monthly wake-up re-plan anyway).
 */
export async function retentionReplan(input: RetentionReplanInput): Promise<RetentionReplanResult> {
  let afterId: string | null = input.resume?.afterId ?? null;
  let signalled = input.resume?.signalled ?? 0;
  for (;;) {
    const page = await activities.findReplanCandidates({ taskId: input.taskId, afterId, limit: PAGE });
    if (page.length === 0) return { taskId: input.taskId, signalled };
    const outcomes = await Promise.allSettled(page.map((id) => getExternalWorkflowHandle(conversationWorkflowId(id)).signal(retentionPolicyChangedSignal)));
    signalled += outcomes.filter((outcome) => outcome.status === 'fulfilled').length;
    afterId = page[page.length - 1]!;
    if (workflowInfo().continueAsNewSuggested) return continueAsNew<typeof retentionReplan>({ taskId: input.taskId, resume: { afterId, signalled } });
  }
}
