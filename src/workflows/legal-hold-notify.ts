import { continueAsNew, getExternalWorkflowHandle, proxyActivities, workflowInfo } from '@temporalio/workflow';
import type { createActivities } from '../activities/index.js';
import { conversationWorkflowId, legalHoldChangedSignal } from './conversation-lifecycle.contract.js';
import type { LegalHoldNotifyInput, LegalHoldNotifyResult } from './legal-hold-notify.contract.js';

const activities = proxyActivities<ReturnType<typeof createActivities>>({ startToCloseTimeout: '5 minutes' });
const PAGE = 500;

/**
 * Tells each lifecycle of a search hold's group that its hold was placed or released, so it records the
 * step and re-plans. The holds themselves are already in force in PostgreSQL; this only informs, in the
 * background, so a hold over a large search answers as soon as the holds are written.
 */
export async function legalHoldNotify(input: LegalHoldNotifyInput): Promise<LegalHoldNotifyResult> {
  let after: string | null = input.resume?.afterConversationId ?? null;
  let signalled = input.resume?.signalled ?? 0;
  let unreachable = input.resume?.unreachable ?? 0;
  for (;;) {
    const page = await activities.findHoldGroupMembers({ holdGroupId: input.holdGroupId, change: input.change, afterConversationId: after, limit: PAGE });
    if (page.length === 0) return { holdGroupId: input.holdGroupId, signalled, unreachable };
    const outcomes = await Promise.allSettled(
      page.map(({ conversationId, holdId }) =>
        getExternalWorkflowHandle(conversationWorkflowId(conversationId)).signal(legalHoldChangedSignal, { holdId, change: input.change, reason: input.reason }),
      ),
    );
    const delivered = outcomes.filter((outcome) => outcome.status === 'fulfilled').length;
    signalled += delivered;
    unreachable += page.length - delivered;
    after = page[page.length - 1]!.conversationId;
    if (workflowInfo().continueAsNewSuggested) {
      return continueAsNew<typeof legalHoldNotify>({ ...input, resume: { afterConversationId: after, signalled, unreachable } });
    }
  }
}
