import { defineSignal } from '@temporalio/workflow';

/**
 * A step of a training follow-up given on this conversation's review (assigned, attempt failed, passed,
 * cancelled, ...), told by the assignment's own workflow from its outbox (training_events). `eventId`
 * orders them and makes a repeat a no-op.
 */
export interface TrainingStep {
  assignmentId: string;
  eventId: number;
  step: string;
  detail: Record<string, unknown>;
}
export const trainingStepSignal = defineSignal<[TrainingStep]>('trainingStep');
