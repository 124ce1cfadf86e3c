import { and, asc, eq, gt } from 'drizzle-orm';
import type { Executor } from '../db/client.js';
import { trainingEvents } from '../db/schema/index.js';
import { enqueueTrainingNotifications } from '../notify/training-notifications.js';

/**
 * The steps of a training assignment, as its history shows them and its follow-up workflow forwards them.
 * Written in the transaction of the change they record, beside its audit entry.
 */
export const TRAINING_STEPS = ['assigned', 'reminded', 'overdue', 'attempt-failed', 'reassigned', 'passed', 'failed', 'cancelled'] as const;
export type TrainingStepName = (typeof TRAINING_STEPS)[number];

/** Steps the reviewed conversation's lifecycle records; reminders stay in the assignment's history and the audit log. */
export const LIFECYCLE_TRAINING_STEPS: readonly TrainingStepName[] = ['assigned', 'attempt-failed', 'reassigned', 'passed', 'failed', 'cancelled'];

export interface TrainingEventInput {
  assignmentId: string;
  /** The reviewed conversation of a follow-up; null for onboarding and coaching. */
  conversationId: string | null;
  step: TrainingStepName;
  actor: string;
  detail?: Record<string, unknown>;
}

export async function recordTrainingEvents(executor: Executor, events: readonly TrainingEventInput[]): Promise<void> {
  if (events.length === 0) return;
  const recorded = await executor
    .insert(trainingEvents)
    .values(events.map((event) => ({ ...event, detail: event.detail ?? {} })))
    .returning({ id: trainingEvents.id, assignmentId: trainingEvents.assignmentId, step: trainingEvents.step });
  await enqueueTrainingNotifications(executor, recorded);
}

export type TrainingEvent = typeof trainingEvents.$inferSelect;

/** An assignment's steps after `afterId`, oldest first, at most `limit`. */
export function trainingEventsAfter(executor: Executor, assignmentId: string, afterId: number, limit = 200): Promise<TrainingEvent[]> {
  return executor
    .select()
    .from(trainingEvents)
    .where(and(eq(trainingEvents.assignmentId, assignmentId), gt(trainingEvents.id, afterId)))
    .orderBy(asc(trainingEvents.id))
    .limit(limit);
}
