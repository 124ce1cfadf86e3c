import { and, eq, inArray, isNull, lte, or, sql } from 'drizzle-orm';
import { appendAudit, syncEntry } from '../audit/write/audit-writer.js';
import type { Actor } from '../audit/write/actor.js';
import type { Database } from '../db/client.js';
import { trainingAssignments, trainingEvents } from '../db/schema/index.js';
import { LIFECYCLE_TRAINING_STEPS, recordTrainingEvents, trainingEventsAfter } from './training-events.js';

/** What the conversation's lifecycle records of a step: ids and outcomes, never answers. */
const LIFECYCLE_DETAIL_KEYS = ['packId', 'packVersion', 'attempt', 'scorePercent', 'attemptsLeft', 'reviewId', 'reason', 'cancelReason'];

export interface LifecycleTrainingStep {
  eventId: number;
  conversationId: string;
  step: string;
  detail: Record<string, unknown>;
}

/** What an assignment's follow-up workflow needs to decide its next wake. Plain data with ISO times. */
export interface TrainingFollowUpView {
  /** Steps to tell the reviewed conversation's lifecycle, oldest first; none for onboarding and coaching. */
  lifecycleSteps: LifecycleTrainingStep[];
  lastEventId: number;
  /** More steps wait beyond this page. */
  more: boolean;
  remindAt: string | null;
  dueAt: string | null;
  /** The assignment's outcome once nothing more is due; null while it is assigned. */
  ended: 'passed' | 'failed' | 'cancelled' | null;
}

const iso = (date: Date | null) => date?.toISOString() ?? null;
const EVENT_PAGE = 200;
const ENDED_STATUSES = ['passed', 'failed', 'cancelled'] as const;

/**
 * The assignment is read before its steps: every step that led to its state is committed before it, so a
 * follow-up that ends on a passed, failed or cancelled assignment has seen all of them. Starts after the
 * last step already told (`forwarded_event_id`), so a restarted follow-up repeats nothing.
 */
export async function trainingFollowUpView(db: Database, assignmentId: string, afterEventId: number): Promise<TrainingFollowUpView> {
  const [assignment] = await db.select().from(trainingAssignments).where(eq(trainingAssignments.id, assignmentId));
  // An assignment is never deleted; an unknown id (a poke for a rolled-back change) has nothing due.
  if (!assignment) return { lifecycleSteps: [], lastEventId: afterEventId, more: false, remindAt: null, dueAt: null, ended: 'cancelled' };
  const after = Math.max(afterEventId, assignment.forwardedEventId);
  const page = await trainingEventsAfter(db, assignmentId, after, EVENT_PAGE);
  const open = assignment.status === 'assigned';
  return {
    lifecycleSteps: page
      .filter((event) => event.conversationId !== null && (LIFECYCLE_TRAINING_STEPS as readonly string[]).includes(event.step))
      .map((event) => ({
        eventId: event.id,
        conversationId: event.conversationId as string,
        step: event.step,
        detail: Object.fromEntries(Object.entries(event.detail).filter(([key]) => LIFECYCLE_DETAIL_KEYS.includes(key))),
      })),
    lastEventId: page.at(-1)?.id ?? after,
    more: page.length === EVENT_PAGE,
    remindAt: open && assignment.remindedAt === null && assignment.overdueAt === null ? iso(assignment.remindAt) : null,
    dueAt: open && assignment.overdueAt === null ? iso(assignment.dueAt) : null,
    ended: (ENDED_STATUSES as readonly string[]).includes(assignment.status) ? (assignment.status as TrainingFollowUpView['ended']) : null,
  };
}

/** Records how far the lifecycle has been told; never moves back. */
export async function markTrainingStepsForwarded(db: Database, assignmentId: string, eventId: number): Promise<void> {
  await db
    .update(trainingAssignments)
    .set({ forwardedEventId: sql`greatest(${trainingAssignments.forwardedEventId}, ${eventId})` })
    .where(eq(trainingAssignments.id, assignmentId));
}

type DueMark = 'reminder' | 'overdue';

/**
 * Marks an assignment reminded or overdue once: a conditional update, so a retried activity does nothing.
 * The step it records is what the notification outbox reads (the trainee is told).
 */
export async function markTrainingDue(db: Database, assignmentId: string, mark: DueMark, actor: Actor, correlationId: string): Promise<boolean> {
  return db.transaction(async (tx) => {
    const column = mark === 'reminder' ? trainingAssignments.remindedAt : trainingAssignments.overdueAt;
    const dueColumn = mark === 'reminder' ? trainingAssignments.remindAt : trainingAssignments.dueAt;
    const [marked] = await tx
      .update(trainingAssignments)
      .set(mark === 'reminder' ? { remindedAt: sql`now()`, updatedAt: sql`now()` } : { overdueAt: sql`now()`, updatedAt: sql`now()` })
      .where(and(eq(trainingAssignments.id, assignmentId), isNull(column), lte(dueColumn, sql`now()`), eq(trainingAssignments.status, 'assigned')))
      .returning();
    if (!marked) return false;
    const detail = {
      dueAt: iso(marked.dueAt),
      assigneeUserId: marked.assigneeUserId,
      assigneeUsername: marked.assigneeUsername,
      packId: marked.packId,
      packVersion: marked.packVersion,
      attempt: marked.attemptsUsed + 1,
      reviewId: marked.reviewId,
      reason: marked.reason,
    };
    await recordTrainingEvents(tx, [{ assignmentId, conversationId: marked.conversationId, step: mark === 'reminder' ? 'reminded' : 'overdue', actor: actor.username, detail }]);
    await appendAudit(tx, [
      syncEntry({
        activity: mark === 'reminder' ? 'TRAINING_REMINDER' : 'TRAINING_OVERDUE',
        result: 'OK',
        actor,
        description: mark === 'reminder' ? `Training assignment ${assignmentId} is due at ${detail.dueAt}` : `Training assignment ${assignmentId} is overdue since ${detail.dueAt}`,
        details: { assignmentId, ...detail },
        correlationId,
        conversationId: marked.conversationId,
      }),
    ]);
    return true;
  });
}

/**
 * The assignments a review change may have given, cancelled or left with steps still to tell: the open
 * ones and those whose outbox holds steps past what their follow-up forwarded.
 */
export async function trainingAssignmentsOfReviews(db: Database, reviewIds: readonly string[]): Promise<string[]> {
  if (reviewIds.length === 0) return [];
  const rows = await db
    .select({ id: trainingAssignments.id })
    .from(trainingAssignments)
    .where(
      and(
        inArray(trainingAssignments.reviewId, [...reviewIds]),
        or(
          eq(trainingAssignments.status, 'assigned'),
          sql`exists (select 1 from ${trainingEvents} where ${trainingEvents.assignmentId} = ${trainingAssignments.id} and ${trainingEvents.id} > ${trainingAssignments.forwardedEventId})`,
        ),
      ),
    );
  return rows.map((row) => row.id);
}
