import { defineSignal } from '@temporalio/workflow';

export const TRAINING_FOLLOW_UP_WORKFLOW = 'trainingFollowUp';

export function trainingWorkflowId(assignmentId: string): string {
  return `training-${assignmentId}`;
}

/**
 * A training assignment changed in PostgreSQL (its row and its training_events outbox, in one transaction):
 * look again. The workflow also looks at every timer, so a lost poke only delays, never loses, what follows.
 */
export const trainingChangedSignal = defineSignal('trainingChanged');

export interface TrainingFollowUpInput {
  assignmentId: string;
  /** The last training_events id told to the conversation's lifecycle; carried through continue-as-new. */
  forwardedEventId?: number;
}

export interface TrainingFollowUpResult {
  assignmentId: string;
  forwardedEventId: number;
  /** How the assignment ended: nothing more is due. */
  ended: 'passed' | 'failed' | 'cancelled';
}
