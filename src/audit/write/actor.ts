/** Who performed an audited activity: a person or integration (through the API) or a lifecycle workflow. */
export interface Actor {
  type: 'user' | 'workflow' | 'system';
  id: string;
  username: string;
  fullName: string;
}

/**
 * What a workflow or service needs to know about the request that started a change: who, and the
 * request's correlation id. Plain data, so it travels in workflow inputs and updates.
 */
export interface RequestContext {
  correlationId: string;
  actor: { type: 'user' | 'system'; id: string; username: string; fullName: string };
}

export function workflowActor(workflowId: string, runId: string): Actor {
  return { type: 'workflow', id: `${workflowId}/${runId}`, username: workflowId, fullName: `workflow run ${runId}` };
}

export const SYSTEM_ACTOR: Actor = { type: 'system', id: 'system', username: 'system', fullName: 'Recordkeeper engine' };
