import { markTrainingDue, markTrainingStepsForwarded, trainingFollowUpView } from '../training/training-follow-up.js';
import { callingWorkflow } from './calling-workflow.js';
import type { ActivityDeps } from './deps.js';

export function trainingActivities({ db }: ActivityDeps) {
  return {
    trainingFollowUpView(input: { assignmentId: string; afterEventId: number }) {
      return trainingFollowUpView(db, input.assignmentId, input.afterEventId);
    },

    markTrainingStepsForwarded(input: { assignmentId: string; eventId: number }): Promise<void> {
      return markTrainingStepsForwarded(db, input.assignmentId, input.eventId);
    },

    async markTrainingDue(input: { assignmentId: string; mark: 'reminder' | 'overdue' }): Promise<boolean> {
      const { actor, correlationId } = callingWorkflow('training-activity');
      return markTrainingDue(db, input.assignmentId, input.mark, actor, correlationId);
    },
  };
}
