import { setHandler } from '@temporalio/workflow';
import { trainingStepSignal, type ConversationLifecycleState } from '../conversation-lifecycle.contract.js';
import { recordStep } from './steps.js';

/**
 * The training follow-ups of the conversation's reviews, as their workflows tell them. A training
 * assignment never keeps the conversation (its review does), so retention is not re-planned here.
 */
export function registerTrainingHandlers(state: ConversationLifecycleState): void {
  setHandler(trainingStepSignal, ({ assignmentId, eventId, step, detail }) => {
    if (state.stage === 'deleted') return;
    const seen = (state.trainingStepsSeen ??= {});
    if ((seen[assignmentId] ?? 0) >= eventId) return;
    seen[assignmentId] = eventId;
    recordStep(state, `training-${step}`, { assignmentId, ...detail });
  });
}
