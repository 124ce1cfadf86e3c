import { sql } from 'drizzle-orm';
import type { Executor } from '../db/client.js';
import type { notificationOutbox } from '../db/schema/index.js';
import { queryRows } from '../db/query-rows.js';

export type OutboxAttachment = NonNullable<(typeof notificationOutbox.$inferSelect)['attachment']>;

/** A mail claimed for sending. */
export interface ClaimedNotification {
  id: string;
  eventKey: string;
  kind: string;
  recipientUserId: string;
  recipientEmail: string;
  /** The recipient's zone now (a digest shows its times in it). */
  recipientTimeZone: string;
  subject: string;
  textBody: string;
  htmlBody: string;
  attempts: number;
  /** Set: the row goes out in its recipient's digest, with their other due digest rows. */
  digestAt: Date | null;
  attachment: OutboxAttachment | null;
  createdAt: Date;
}

export interface RetryPolicy {
  /** After this many failed attempts the row is marked failed (and reported) instead of retried. */
  maxAttempts: number;
  /** The first retry waits this long, each later one twice as long as the one before, up to `maxBackoffSeconds`. */
  firstBackoffSeconds: number;
  maxBackoffSeconds: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { maxAttempts: 8, firstBackoffSeconds: 2, maxBackoffSeconds: 3600 };

/** A recipient's digest rows taken with one claim; more would be a second digest mail in the next round. */
const DIGEST_GROUP_LIMIT = 500;

interface RawClaimed extends Omit<ClaimedNotification, 'digestAt' | 'createdAt'> {
  digestAt: Date | string | null;
  createdAt: Date | string;
}

const asDate = (value: Date | string) => (value instanceof Date ? value : new Date(value));

/**
 * Leases up to `limit` due mails to the caller, and with any due digest row all the other due digest rows
 * of that recipient, so a digest goes out as one mail. Concurrent dispatchers skip each other's rows (two
 * of them racing for one recipient may split a digest in two mails, each row still sent once), and a
 * dispatcher that dies leaves its rows to be taken again once the lease has passed.
 */
export async function claimDueNotifications(executor: Executor, limit: number, leaseSeconds: number): Promise<ClaimedNotification[]> {
  const rows = await queryRows<RawClaimed>(
    executor,
    sql`with due as (
          select id, recipient_user_id, digest_at from notification_outbox
          where status = 'pending' and next_attempt_at <= now() and (claimed_until is null or claimed_until < now())
          order by next_attempt_at
          limit ${limit}::int
          for update skip locked),
        digest_mates as (
          select id from notification_outbox
          where status = 'pending' and digest_at is not null and next_attempt_at <= now()
            and (claimed_until is null or claimed_until < now())
            and recipient_user_id in (select recipient_user_id from due where digest_at is not null)
            and id not in (select id from due)
          order by next_attempt_at
          limit ${DIGEST_GROUP_LIMIT}::int
          for update skip locked)
        update notification_outbox o set claimed_until = now() + make_interval(secs => ${leaseSeconds}::float8)
        from users u
        where u.id = o.recipient_user_id and o.id in (select id from due union all select id from digest_mates)
        returning o.id, o.event_key as "eventKey", o.kind, o.recipient_user_id as "recipientUserId", o.recipient_email as "recipientEmail",
          u.time_zone as "recipientTimeZone", o.subject, o.text_body as "textBody", o.html_body as "htmlBody", o.attempts,
          o.digest_at as "digestAt", o.attachment, o.created_at as "createdAt"`,
  );
  return rows
    .map((row) => ({ ...row, digestAt: row.digestAt === null ? null : asDate(row.digestAt), createdAt: asDate(row.createdAt) }))
    .sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime() || a.id.localeCompare(b.id));
}

/**
 * Marks mails sent (the rows of one digest together, in the caller's transaction); answers the ids that
 * were still pending, so a row another dispatcher finished is not counted (or audited) twice.
 */
export async function markSent(executor: Executor, ids: string | readonly string[]): Promise<string[]> {
  const list = typeof ids === 'string' ? [ids] : ids;
  if (list.length === 0) return [];
  const rows = await queryRows<{ id: string }>(
    executor,
    sql`update notification_outbox set status = 'sent', sent_at = now(), claimed_until = null, last_error = null
        where id in (${sql.join(list.map((id) => sql`${id}::uuid`), sql`, `)}) and status = 'pending' returning id`,
  );
  return rows.map((row) => row.id);
}

/**
 * Counts a failed attempt and schedules the next one with exponential backoff, or gives up; the error is
 * kept. `permanent` gives up at once: waiting cannot help (an attachment whose file has changed).
 */
export async function markFailed(
  executor: Executor,
  id: string,
  error: string,
  policy: RetryPolicy = DEFAULT_RETRY_POLICY,
  permanent = false,
): Promise<{ status: 'pending' | 'failed'; attempts: number } | undefined> {
  const [row] = await queryRows<{ status: 'pending' | 'failed'; attempts: number }>(
    executor,
    sql`update notification_outbox set
          attempts = attempts + 1,
          status = case when ${permanent}::boolean or attempts + 1 >= ${policy.maxAttempts} then 'failed' else 'pending' end,
          next_attempt_at = now() + make_interval(secs => least(${policy.firstBackoffSeconds}::float8 * power(2, attempts), ${policy.maxBackoffSeconds}::float8)),
          claimed_until = null,
          last_error = ${error.slice(0, 2000)}
        where id = ${id} and status = 'pending'
        returning status, attempts`,
  );
  return row;
}

/** Gives claimed rows back without counting an attempt (the batch stopped before trying them). */
export async function releaseClaims(executor: Executor, ids: readonly string[]): Promise<void> {
  if (ids.length === 0) return;
  await executor.execute(
    sql`update notification_outbox set claimed_until = null where status = 'pending' and id in (${sql.join(
      ids.map((id) => sql`${id}::uuid`),
      sql`, `,
    )})`,
  );
}
