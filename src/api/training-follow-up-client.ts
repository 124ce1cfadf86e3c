import { TRAINING_FOLLOW_UP_WORKFLOW, trainingChangedSignal, trainingWorkflowId } from '../workflows/training-follow-up.contract.js';
import type { ApiDeps } from './deps.js';
import { pokeFollowUps } from './follow-up-client.js';

/** Tells each training assignment's follow-up workflow that its assignment changed (src/api/follow-up-client.ts). */
export async function pokeTrainingFollowUps(deps: Pick<ApiDeps, 'temporal'>, assignmentIds: readonly string[]): Promise<void> {
  const followUps = [...new Set(assignmentIds)].map((assignmentId) => ({
    workflowType: TRAINING_FOLLOW_UP_WORKFLOW,
    workflowId: trainingWorkflowId(assignmentId),
    changed: trainingChangedSignal,
    input: { assignmentId },
  }));
  await pokeFollowUps(deps, 'training follow-up not told', followUps);
}
