import { defineSignal } from '@temporalio/workflow';
import type { FollowUpInput, FollowUpResult } from './follow-up.contract.js';

export const TRAINING_FOLLOW_UP_WORKFLOW = 'trainingFollowUp';

export function trainingWorkflowId(assignmentId: string): string {
  return `training-${assignmentId}`;
}

/**
 * A training assignment changed in PostgreSQL (its row and its training_events outbox, in one transaction):
 * look again. The workflow also looks at every timer, so a lost poke only delays, never loses, what follows.
 */
export const trainingChangedSignal = defineSignal('trainingChanged');

export type TrainingFollowUpInput = FollowUpInput<'assignmentId'>;

export type TrainingFollowUpResult = FollowUpResult<'assignmentId', 'passed' | 'failed' | 'cancelled'>;
