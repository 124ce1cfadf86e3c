import { Context } from '@temporalio/activity';
import { SYSTEM_ACTOR, workflowActor } from '../audit/write/actor.js';
import { anchorCheckpoints } from '../audit/anchor/anchor-writer.js';
import { writeAuditCheckpoint } from '../audit/write/checkpoint-writer.js';
import type { AuditCheckpointResult } from '../workflows/audit-checkpoint.contract.js';
import type { ActivityDeps } from './deps.js';

export function auditCheckpointActivities({ db, auditAnchor }: ActivityDeps) {
  return {
    async recordAuditCheckpoint(): Promise<AuditCheckpointResult> {
      const execution = Context.current().info.workflowExecution;
      const actor = execution ? workflowActor(execution.workflowId, execution.runId) : SYSTEM_ACTOR;
      const result = await writeAuditCheckpoint(db, { actor, correlationId: execution?.workflowId ?? 'audit-checkpoint', onlyIfMoved: true });
      // After the commit: the checkpoint row is the anchor's outbox, so a failure here is retried, and a
      // checkpoint made through the API is anchored by the next scheduled run.
      if (auditAnchor) await anchorCheckpoints(db, auditAnchor);
      return result;
    },
  };
}
