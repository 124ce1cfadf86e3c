import { and, arrayOverlaps, inArray, eq, isNull, sql } from 'drizzle-orm';
import type { Executor } from '../db/client.js';
import { notificationOutbox, trainingAssignments, users } from '../db/schema/index.js';
import { isNotifiedTrainingStep, needsSupervisors, renderTrainingMail, trainingNotificationFor } from '../domain/training-notifications.js';
import { outboxRowsFor, queueOutboxRows, recipientColumns, type MailRecipient } from './delivery.js';

/** A training step just written to training_events. */
export interface RecordedTrainingEvent {
  id: number;
  assignmentId: string;
  step: string;
}

type Person = MailRecipient & { groupNames: string[] };

export function trainingEventKey(eventId: number, recipientUserId: string): string {
  return `training-event:${eventId}:${recipientUserId}`;
}

const person = { ...recipientColumns(users), groupNames: users.groupNames };

/**
 * Queues the mails these training steps send, in the caller's transaction: one query for the assignments
 * and their trainees, one for the supervisors when a step needs them, one insert. The event key is unique,
 * so a step queued again (a retried transaction) adds nothing and a failed training reaches each supervisor
 * once. Users without an email address and disabled users are not mailed.
 */
export async function enqueueTrainingNotifications(executor: Executor, events: readonly RecordedTrainingEvent[]): Promise<void> {
  const notified = events.filter((event) => isNotifiedTrainingStep(event.step));
  if (notified.length === 0) return;
  const rows = await executor
    .select({
      id: trainingAssignments.id,
      packId: trainingAssignments.packId,
      packVersion: trainingAssignments.packVersion,
      dueAt: trainingAssignments.dueAt,
      attemptsUsed: trainingAssignments.attemptsUsed,
      attemptsAllowed: trainingAssignments.attemptsAllowed,
      assignee: person,
    })
    .from(trainingAssignments)
    .innerJoin(users, eq(users.id, trainingAssignments.assigneeUserId))
    .where(inArray(trainingAssignments.id, [...new Set(notified.map((event) => event.assignmentId))]));
  const byId = new Map(rows.map((row) => [row.id, row]));

  const groups = [...new Set(notified.filter((event) => needsSupervisors(event.step)).flatMap((event) => byId.get(event.assignmentId)?.assignee.groupNames ?? []))];
  const supervisors: (Person & { supervisedGroups: string[] })[] =
    groups.length === 0
      ? []
      : await executor
          .select({ ...person, supervisedGroups: users.supervisedGroups })
          .from(users)
          .where(and(sql`'supervisor' = any(${users.roles})`, isNull(users.disabledAt), arrayOverlaps(users.supervisedGroups, groups)));

  const now = new Date();
  const outbox: (typeof notificationOutbox.$inferInsert)[] = [];
  for (const event of notified) {
    const assignment = byId.get(event.assignmentId);
    if (!assignment) continue;
    const own = supervisors.filter((supervisor) => supervisor.id !== assignment.assignee.id && supervisor.supervisedGroups.some((group) => assignment.assignee.groupNames.includes(group)));
    const people = new Map<string, Person>([assignment.assignee, ...own].map((p) => [p.id, p]));
    const notification = trainingNotificationFor(event.step, { assigneeUserId: assignment.assignee.id, supervisorUserIds: own.map((supervisor) => supervisor.id) });
    if (!notification) continue;
    outbox.push(
      ...outboxRowsFor(
        notification.recipientUserIds.map((id) => people.get(id)),
        notification.kind,
        (recipientId) => trainingEventKey(event.id, recipientId),
        (recipient) =>
          renderTrainingMail({
            kind: notification.kind,
            assignmentId: assignment.id,
            packId: assignment.packId,
            packVersion: assignment.packVersion,
            assigneeUserId: assignment.assignee.id,
            dueAt: assignment.dueAt,
            attemptsUsed: assignment.attemptsUsed,
            attemptsAllowed: assignment.attemptsAllowed,
            timeZone: recipient.timeZone,
          }),
        now,
      ),
    );
  }
  await queueOutboxRows(executor, outbox);
}
