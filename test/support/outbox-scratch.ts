import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { inject } from 'vitest';
import { openPglite, type Database } from '../../src/db/client.js';
import { applyMigrations } from '../../src/db/migrate.js';
import { notificationOutbox, users } from '../../src/db/schema/index.js';
import { outboxDelivery } from '../../src/notify/delivery.js';
import { enqueueReviewNotifications } from '../../src/notify/review-notifications.js';
import { createScratchDatabase } from './scratch-database.js';

/**
 * A database of its own for tests that claim "every due outbox row": on the shared one they would take
 * (and send) other test files' mails, and other files' dispatchers would take theirs. On the run's
 * PostgreSQL server when there is one (`url` set: a child process can reach it), else in-process PGlite.
 */
export async function openOutboxScratch(label: string): Promise<{ db: Database; url: string | undefined; drop(): Promise<void> }> {
  const runUrl = inject('databaseUrl');
  if (runUrl) {
    const scratch = await createScratchDatabase(runUrl, label, 4);
    return { db: scratch.handle.db, url: scratch.url, drop: scratch.drop };
  }
  const handle = await openPglite(undefined);
  await applyMigrations(handle);
  return { db: handle.db, url: undefined, drop: () => handle.close() };
}

export interface Recipient {
  id: string;
  email: string;
  timeZone: string;
  notificationDelivery: 'immediate' | 'daily-digest';
}

export async function insertRecipient(db: Database, options: Partial<Omit<Recipient, 'id'>> = {}): Promise<Recipient> {
  const username = `recipient-${randomUUID().slice(0, 8)}`;
  const recipient = {
    email: options.email ?? `${username}@example.test`,
    timeZone: options.timeZone ?? 'UTC',
    notificationDelivery: options.notificationDelivery ?? 'immediate',
  };
  const [row] = await db
    .insert(users)
    .values({ username, fullName: `Test ${username}`, roles: ['evaluator'], ...recipient })
    .returning({ id: users.id });
  return { id: row!.id, ...recipient };
}

/** A plain outbox row for `recipient`, queued at `queuedAt` with their delivery preference. */
export async function queueMail(
  db: Database,
  recipient: Recipient,
  options: { subject?: string; kind?: string; eventKey?: string; queuedAt?: Date; attachment?: (typeof notificationOutbox.$inferInsert)['attachment'] } = {},
): Promise<string> {
  const subject = options.subject ?? `Test mail ${randomUUID().slice(0, 8)}`;
  const [row] = await db
    .insert(notificationOutbox)
    .values({
      eventKey: options.eventKey ?? `test-event:${randomUUID()}:${recipient.id}`,
      recipientUserId: recipient.id,
      recipientEmail: recipient.email,
      kind: options.kind ?? 'test',
      subject,
      textBody: `${subject}\n\nOpen: /v1/test/${encodeURIComponent(subject)}\n`,
      htmlBody: `<p>${subject}</p><p><a href="/v1/test/${encodeURIComponent(subject)}">Open</a></p>`,
      attachment: options.attachment ?? null,
      ...outboxDelivery(recipient, options.queuedAt ?? new Date()),
    })
    .returning({ id: notificationOutbox.id });
  return row!.id;
}

/**
 * Reviews assigned to `evaluator` (on a bare conversation row each) and their "review assigned" mails queued by
 * the real enqueuer as of `queuedAt`: what a plan run does, without the workflows.
 */
export async function assignReviews(db: Database, evaluator: Recipient, count: number, queuedAt: Date): Promise<string[]> {
  // The mails read only the review's id, due time and people: a bare questionnaire row will do.
  const questionnaire = { id: randomUUID() };
  await db.execute(sql`insert into questionnaires (id, name, state, created_by) values (${questionnaire.id}::uuid, ${`Quality ${questionnaire.id.slice(0, 8)}`}, 'active', 'outbox-tests')`);
  const reviewIds: string[] = [];
  for (let index = 0; index < count; index += 1) {
    const conversationId = randomUUID();
    const reviewId = randomUUID();
    await db.execute(sql`insert into conversations (id, source, external_key, channel, workflow_id)
                         values (${conversationId}::uuid, 'test', ${conversationId}, 'voice', ${`conversation-${conversationId}`})`);
    await db.execute(sql`insert into reviews (id, kind, questionnaire_id, questionnaire_version, conversation_id, evaluator_id, due_at, created_by)
                         values (${reviewId}::uuid, 'manual', ${questionnaire.id}::uuid, 1, ${conversationId}::uuid, ${evaluator.id}::uuid,
                                 ${new Date(queuedAt.getTime() + 3 * 24 * 3600 * 1000).toISOString()}::timestamptz, 'outbox-tests')`);
    reviewIds.push(reviewId);
  }
  const base = Math.floor(Math.random() * 1_000_000_000);
  await db.transaction((tx) =>
    enqueueReviewNotifications(
      tx,
      reviewIds.map((reviewId, index) => ({ id: base + index, reviewId, step: 'assigned' })),
      queuedAt,
    ),
  );
  return reviewIds;
}
