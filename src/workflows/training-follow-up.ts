import { proxyActivities } from '@temporalio/workflow';
import type { createActivities } from '../activities/index.js';
import { trainingStepSignal } from './conversation-lifecycle.contract.js';
import { followUpWorkflow } from './follow-up-loop.js';
import { TRAINING_FOLLOW_UP_WORKFLOW, trainingChangedSignal, type TrainingFollowUpInput, type TrainingFollowUpResult } from './training-follow-up.contract.js';

const activities = proxyActivities<ReturnType<typeof createActivities>>({ startToCloseTimeout: '1 minute' });

/** Look again at least this often, so a lost poke delays a step by a day at most. */
export const TRAINING_WAKE_MS = 24 * 3600 * 1000;

/**
 * One training assignment's durable follow-up (src/workflows/follow-up-loop.ts): tells the reviewed
 * conversation's lifecycle each step the assignment's outbox (training_events) holds, reminds the trainee
 * before the due time and reports the assignment overdue after it. A re-assignment after a failed attempt
 * moves the due time, which the next view brings. Ends when the assignment is passed, failed or cancelled.
 */
export const trainingFollowUp: (input: TrainingFollowUpInput) => Promise<TrainingFollowUpResult> = followUpWorkflow(TRAINING_FOLLOW_UP_WORKFLOW, 'assignmentId', (assignmentId) => ({
  changed: trainingChangedSignal,
  view: (afterEventId) => activities.trainingFollowUpView({ assignmentId, afterEventId }),
  lifecycleSignal: trainingStepSignal,
  lifecyclePayload: ({ eventId, step, detail }) => ({ assignmentId, eventId, step, detail }),
  markForwarded: (eventId) => activities.markTrainingStepsForwarded({ assignmentId, eventId }),
  markDue: (mark) => activities.markTrainingDue({ assignmentId, mark }),
  wakeMs: TRAINING_WAKE_MS,
}));
