import { randomUUID } from 'node:crypto';
import { RETENTION_REPLAN_WORKFLOW } from '../../workflows/retention-replan.contract.js';
import type { ApiDeps } from '../deps.js';

/**
 * Starts the background re-plan of the conversations a delete-task change can affect. Protections are
 * never shortened by it: the lifecycle re-plans from PostgreSQL, where protection only ever moves later.
 */
export async function startReplan(deps: ApiDeps, taskId: string): Promise<string> {
  const workflowId = `retention-replan-${taskId}-${randomUUID()}`;
  await deps.temporal.client.workflow.start(RETENTION_REPLAN_WORKFLOW, { workflowId, taskQueue: deps.temporal.taskQueue, args: [{ taskId }] });
  return workflowId;
}
