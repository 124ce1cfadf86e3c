import { Context } from '@temporalio/activity';
import { SYSTEM_ACTOR, workflowActor, type Actor } from '../audit/write/actor.js';

/**
 * Who the audit log names for an activity's change: the workflow run calling it, with that run as the
 * correlation id; the engine itself, with `fallbackCorrelationId`, when called outside an activity (tests, scripts).
 */
export function callingWorkflow(fallbackCorrelationId: string): { actor: Actor; correlationId: string } {
  let execution: { workflowId: string; runId: string } | undefined;
  try {
    execution = Context.current().info.workflowExecution;
  } catch {
    execution = undefined;
  }
  if (!execution) return { actor: SYSTEM_ACTOR, correlationId: fallbackCorrelationId };
  return { actor: workflowActor(execution.workflowId, execution.runId), correlationId: `${execution.workflowId}/${execution.runId}` };
}
