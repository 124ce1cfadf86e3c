import { sql } from 'drizzle-orm';
import type { Executor } from '../db/client.js';
import { queryRows } from '../db/query-rows.js';

/** A mail claimed for sending. */
export interface ClaimedNotification {
  id: string;
  recipientEmail: string;
  subject: string;
  textBody: string;
  htmlBody: string;
  attempts: number;
}

export interface RetryPolicy {
  /** After this many failed attempts the row is marked failed (and reported) instead of retried. */
  maxAttempts: number;
  /** The first retry waits this long, each later one twice as long as the one before, up to `maxBackoffSeconds`. */
  firstBackoffSeconds: number;
  maxBackoffSeconds: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { maxAttempts: 8, firstBackoffSeconds: 2, maxBackoffSeconds: 3600 };

/**
 * Leases up to `limit` due mails to the caller. Concurrent dispatchers skip each other's rows, and a
 * dispatcher that dies leaves its rows to be taken again once the lease has passed.
 */
export function claimDueNotifications(executor: Executor, limit: number, leaseSeconds: number): Promise<ClaimedNotification[]> {
  return queryRows<ClaimedNotification>(
    executor,
    sql`update notification_outbox set claimed_until = now() + make_interval(secs => ${leaseSeconds}::float8)
        where id in (
          select id from notification_outbox
          where status = 'pending' and next_attempt_at <= now() and (claimed_until is null or claimed_until < now())
          order by next_attempt_at
          limit ${limit}::int
          for update skip locked)
        returning id, recipient_email as "recipientEmail", subject, text_body as "textBody", html_body as "htmlBody", attempts`,
  );
}

/** Marks a mail sent; false when it was not pending any more (another dispatcher finished it). */
export async function markSent(executor: Executor, id: string): Promise<boolean> {
  const rows = await queryRows<{ id: string }>(
    executor,
    sql`update notification_outbox set status = 'sent', sent_at = now(), claimed_until = null, last_error = null
        where id = ${id} and status = 'pending' returning id`,
  );
  return rows.length > 0;
}

/** Counts a failed attempt and schedules the next one with exponential backoff, or gives up; the error is kept. */
export async function markFailed(
  executor: Executor,
  id: string,
  error: string,
  policy: RetryPolicy = DEFAULT_RETRY_POLICY,
): Promise<{ status: 'pending' | 'failed'; attempts: number } | undefined> {
  const [row] = await queryRows<{ status: 'pending' | 'failed'; attempts: number }>(
    executor,
    sql`update notification_outbox set
          attempts = attempts + 1,
          status = case when attempts + 1 >= ${policy.maxAttempts} then 'failed' else 'pending' end,
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
