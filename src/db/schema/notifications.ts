import { sql } from 'drizzle-orm';
import { check, index, integer, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { users } from './identity.js';

/**
 * The mail outbox: one row per (event, recipient), written in the transaction of the change it tells about,
 * so a mail is never lost to a crash after commit; `event_key` is unique, so an event retried never queues
 * a second mail. The dispatcher claims rows with a lease (`claimed_until`) before it sends them.
 */
export const notificationOutbox = pgTable(
  'notification_outbox',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    /** What the mail tells and to whom, e.g. `review-event:<eventId>:<recipientUserId>`. */
    eventKey: text('event_key').notNull().unique(),
    recipientUserId: uuid('recipient_user_id')
      .notNull()
      .references(() => users.id),
    recipientEmail: text('recipient_email').notNull(),
    kind: text('kind').notNull(),
    subject: text('subject').notNull(),
    textBody: text('text_body').notNull(),
    htmlBody: text('html_body').notNull(),
    /** pending → sent; failed once it has failed too often (kept, and reported, never dropped). */
    status: text('status').notNull().default('pending'),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: timestamp('next_attempt_at', { withTimezone: true }).notNull().defaultNow(),
    /** A dispatcher sending this row holds it until then; a crashed one's rows are taken again after it. */
    claimedUntil: timestamp('claimed_until', { withTimezone: true }),
    sentAt: timestamp('sent_at', { withTimezone: true }),
    lastError: text('last_error'),
    /**
     * Set for a recipient who takes a daily digest: the row waits (`next_attempt_at` is the digest time) and
     * goes out with the recipient's other rows of that digest in one mail.
     */
    digestAt: timestamp('digest_at', { withTimezone: true }),
    /** A file sent with the mail (an export's CSV): where it is, its name, type, size and digest, checked before it is attached. */
    attachment: jsonb('attachment').$type<{ path: string; fileName: string; mediaType: string; sizeBytes: number; sha256: string }>(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    check('notification_outbox_status_ck', sql`${table.status} in ('pending', 'sent', 'failed')`),
    index('notification_outbox_due_idx').on(table.status, table.nextAttemptAt),
  ],
);
