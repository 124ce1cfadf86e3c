import { getExternalWorkflowHandle, patched, setHandler, workflowInfo } from '@temporalio/workflow';
import { archiveStepDoneSignal, type ArchiveStepReport } from '../archive-run.contract.js';
import { archiveRequestedSignal, type ConversationLifecycleState } from '../conversation-lifecycle.contract.js';
import { lifecycleActivities as activities } from './activities.js';
import type { SerialRunner } from './serial.js';
import { BOUNDED_STATE_PATCH, recordStep } from './steps.js';

/** The archive step: the lifecycle writes its own package, records where it went, and tells the run. */
export function registerArchiveHandlers(state: ConversationLifecycleState, serially: SerialRunner): void {
  const { workflowId, runId } = workflowInfo();
  setHandler(archiveRequestedSignal, async ({ taskId, runWorkflowId }) => {
    let report: ArchiveStepReport;
    if (state.stage === 'deleted') {
      report = { conversationId: state.conversationId, status: 'skipped', path: null, reason: 'deleted' };
    } else {
      report = await serially(async () => {
        try {
          const result = await activities.writeArchivePackage({ taskId, conversationId: state.conversationId, workflow: { workflowId, runId } });
          if (result.status === 'archived' && result.path && result.manifestSha256) {
            if (!patched(BOUNDED_STATE_PATCH)) state.archiveCopies = [...(state.archiveCopies ?? []), { taskId, path: result.path, manifestSha256: result.manifestSha256 }];
            recordStep(state, 'archived', { taskId, path: result.path, manifestSha256: result.manifestSha256 });
          }
          return { conversationId: state.conversationId, status: result.status, path: result.path, ...(result.reason ? { reason: result.reason } : {}) };
        } catch (error) {
          return { conversationId: state.conversationId, status: 'failed' as const, path: null, reason: error instanceof Error ? error.message : String(error) };
        }
      });
    }
    await getExternalWorkflowHandle(runWorkflowId).signal(archiveStepDoneSignal, report);
  });
}
