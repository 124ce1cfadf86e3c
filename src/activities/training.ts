import { Context } from '@temporalio/activity';
import { SYSTEM_ACTOR, workflowActor } from '../audit/write/actor.js';
import { markTrainingDue, markTrainingStepsForwarded, trainingFollowUpView } from '../training/training-follow-up.js';
import type { ActivityDeps } from './deps.js';

function callingWorkflow() {
  const execution = Context.current().info.workflowExecution;
  if (!execution) return { actor: SYSTEM_ACTOR, correlationId: 'training-activity' };
  return { actor: workflowActor(execution.workflowId, execution.runId), correlationId: `${execution.workflowId}/${execution.runId}` };
}

export function trainingActivities({ db }: ActivityDeps) {
  return {
    trainingFollowUpView(input: { assignmentId: string; afterEventId: number }) {
      return trainingFollowUpView(db, input.assignmentId, input.afterEventId);
    },

    markTrainingStepsForwarded(input: { assignmentId: string; eventId: number }): Promise<void> {
      return markTrainingStepsForwarded(db, input.assignmentId, input.eventId);
    },

    async markTrainingDue(input: { assignmentId: string; mark: 'reminder' | 'overdue' }): Promise<boolean> {
      const { actor, correlationId } = callingWorkflow();
      return markTrainingDue(db, input.assignmentId, input.mark, actor, correlationId);
    },
  };
}
