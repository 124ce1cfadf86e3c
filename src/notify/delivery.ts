import type { Executor } from '../db/client.js';
import { notificationOutbox, users } from '../db/schema/index.js';
import { nextDigestTime } from '../domain/notification-digest.js';
import type { RenderedMail } from '../domain/review-notifications.js';

export interface DeliveryPreference {
  /** 'immediate' | 'daily-digest' (users.notification_delivery). */
  notificationDelivery: string;
  timeZone: string;
}

/**
 * When an outbox row for this recipient becomes due, spread into the row by every enqueuer: now for an
 * immediate recipient; the next 07:00 in their zone for a daily-digest one, which also marks the row as
 * part of that digest (`digest_at`), so the dispatcher sends it with the recipient's other rows as one mail.
 */
export function outboxDelivery(recipient: DeliveryPreference, now: Date): { digestAt: Date | null; nextAttemptAt: Date } {
  if (recipient.notificationDelivery !== 'daily-digest') return { digestAt: null, nextAttemptAt: now };
  const digestAt = nextDigestTime(now, recipient.timeZone);
  return { digestAt, nextAttemptAt: digestAt };
}

/** The columns of a users table (or an alias of it) that make a MailRecipient, for a select. */
export function recipientColumns<Table extends Pick<typeof users, 'id' | 'email' | 'timeZone' | 'notificationDelivery' | 'disabledAt'> | Record<'id' | 'email' | 'timeZone' | 'notificationDelivery' | 'disabledAt', unknown>>(
  table: Table,
): Pick<Table, 'id' | 'email' | 'timeZone' | 'notificationDelivery' | 'disabledAt'> {
  return { id: table.id, email: table.email, timeZone: table.timeZone, notificationDelivery: table.notificationDelivery, disabledAt: table.disabledAt };
}

/** Someone an event may be mailed to. */
export interface MailRecipient extends DeliveryPreference {
  id: string;
  email: string | null;
  disabledAt: Date | null;
}

/**
 * The outbox rows of one event for each of its recipients who can be mailed (an address, not disabled),
 * each due as the recipient prefers. `render` gives the mail in that recipient's time zone.
 */
export function outboxRowsFor(
  recipients: readonly (MailRecipient | undefined)[],
  kind: string,
  eventKeyFor: (recipientUserId: string) => string,
  render: (recipient: MailRecipient) => RenderedMail,
  now: Date,
): (typeof notificationOutbox.$inferInsert)[] {
  return recipients
    .filter((recipient): recipient is MailRecipient & { email: string } => Boolean(recipient?.email) && !recipient!.disabledAt)
    .map((recipient) => {
      const mail = render(recipient);
      return {
        eventKey: eventKeyFor(recipient.id),
        recipientUserId: recipient.id,
        recipientEmail: recipient.email,
        kind,
        subject: mail.subject,
        textBody: mail.text,
        htmlBody: mail.html,
        ...outboxDelivery(recipient, now),
      };
    });
}

/** Queues rows in the caller's transaction; a row whose event key is queued already (a retried transaction) adds nothing. */
export async function queueOutboxRows(executor: Executor, rows: readonly (typeof notificationOutbox.$inferInsert)[]): Promise<void> {
  if (rows.length === 0) return;
  await executor.insert(notificationOutbox).values([...rows]).onConflictDoNothing({ target: notificationOutbox.eventKey });
}
