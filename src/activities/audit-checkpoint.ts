import { Context } from '@temporalio/activity';
import { SYSTEM_ACTOR, workflowActor } from '../audit/write/actor.js';
import { writeAuditCheckpoint } from '../audit/write/checkpoint-writer.js';
import type { AuditCheckpointResult } from '../workflows/audit-checkpoint.contract.js';
import type { ActivityDeps } from './deps.js';

export function auditCheckpointActivities({ db }: ActivityDeps) {
  return {
    async recordAuditCheckpoint(): Promise<AuditCheckpointResult> {
      const execution = Context.current().info.workflowExecution;
      const actor = execution ? workflowActor(execution.workflowId, execution.runId) : SYSTEM_ACTOR;
      return writeAuditCheckpoint(db, { actor, correlationId: execution?.workflowId ?? 'audit-checkpoint', onlyIfMoved: true });
    },
  };
}
