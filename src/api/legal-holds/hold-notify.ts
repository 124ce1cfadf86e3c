import type { LegalHoldChange } from '../../workflows/conversation-lifecycle.contract.js';
import { LEGAL_HOLD_NOTIFY_WORKFLOW, legalHoldNotifyWorkflowId } from '../../workflows/legal-hold-notify.contract.js';
import type { ApiDeps } from '../deps.js';

/** The holds are in force once written; the lifecycles are told in the background (legalHoldNotify). */
export async function notifyLifecycles(deps: ApiDeps, holdGroupId: string, change: LegalHoldChange['change'], reason: string): Promise<void> {
  await deps.temporal.client.workflow.start(LEGAL_HOLD_NOTIFY_WORKFLOW, {
    workflowId: legalHoldNotifyWorkflowId(holdGroupId, change),
    taskQueue: deps.temporal.taskQueue,
    args: [{ holdGroupId, change, reason }],
  });
}

