import { ApplicationFailure, Context } from '@temporalio/activity';
import { workflowActor } from '../audit/write/actor.js';
import { FailureType } from '../domain/failures.js';
import { ExportRefused } from '../exports/export-errors.js';
import { runExport, type RunExportOutcome } from '../exports/export-run.js';
import type { DataExportRunInput } from '../workflows/data-export-run.contract.js';
import type { ActivityDeps } from './deps.js';

export function exportActivities({ db, exports }: ActivityDeps) {
  return {
    async runDataExport(input: DataExportRunInput): Promise<RunExportOutcome> {
      if (!exports) throw ApplicationFailure.nonRetryable('no exports folder is configured', FailureType.InvalidInput);
      const context = Context.current();
      const { workflowId, runId } = context.info.workflowExecution ?? { workflowId: 'data-export-run', runId: context.info.activityId };
      const actor = input.requestedBy?.actor ?? workflowActor(workflowId, runId);
      try {
        return await runExport(db, exports, {
          exportId: input.exportId,
          trigger: input.trigger,
          scheduledFor: input.scheduledFor ? new Date(input.scheduledFor) : null,
          runId: input.runId,
          requestedBy: input.requestedBy?.actor.username ?? 'schedule',
          actor,
          correlationId: input.requestedBy?.correlationId ?? `${workflowId}/${runId}`,
          onProgress: (rowsWritten) => context.heartbeat({ rowsWritten }),
        });
      } catch (error) {
        // A removed export stays removed: retrying cannot help.
        if (error instanceof ExportRefused) throw ApplicationFailure.create({ type: error.status === 404 ? FailureType.NotFound : FailureType.Conflict, message: error.message, nonRetryable: true });
        throw error;
      }
    },
  };
}
