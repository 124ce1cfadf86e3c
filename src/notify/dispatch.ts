import type { Database } from '../db/client.js';
import { isConnectionError, type Mailer } from './mailer.js';
import { claimDueNotifications, DEFAULT_RETRY_POLICY, markFailed, markSent, releaseClaims, type RetryPolicy } from './outbox.js';

export interface DispatchOptions {
  batchSize: number;
  /** Longer than one batch can take to send, so no other dispatcher takes a row that is being sent. */
  leaseSeconds: number;
  retry?: RetryPolicy;
}

export interface DispatchOutcome {
  claimed: number;
  sent: number;
  failed: number;
  /** Outbox ids that failed for the last allowed time: they stay in the table as failed, for someone to look at. */
  gaveUp: string[];
  /** A full batch went out: there may be more due right now. */
  more: boolean;
}

/**
 * Sends the due mails of one batch. Each row is claimed before it is sent and marked after, so a retry
 * or a second dispatcher never sends a row twice; only a crash between the SMTP answer and the mark can,
 * and the Message-ID (the row's id) lets the receiver tell that repeat.
 */
export async function dispatchDueNotifications(db: Database, mailer: Mailer, options: DispatchOptions): Promise<DispatchOutcome> {
  const claimed = await claimDueNotifications(db, options.batchSize, options.leaseSeconds);
  const outcome: DispatchOutcome = { claimed: claimed.length, sent: 0, failed: 0, gaveUp: [], more: false };
  for (const [index, row] of claimed.entries()) {
    try {
      await mailer.send({ outboxId: row.id, to: row.recipientEmail, subject: row.subject, text: row.textBody, html: row.htmlBody });
    } catch (error) {
      outcome.failed += 1;
      const marked = await markFailed(db, row.id, error instanceof Error ? error.message : String(error), options.retry ?? DEFAULT_RETRY_POLICY);
      if (marked?.status === 'failed') outcome.gaveUp.push(row.id);
      if (isConnectionError(error)) {
        // The server is unreachable: the rest would fail the same way, so they go back untried.
        await releaseClaims(db, claimed.slice(index + 1).map((rest) => rest.id));
        return outcome;
      }
      continue;
    }
    if (await markSent(db, row.id)) outcome.sent += 1;
  }
  outcome.more = claimed.length === options.batchSize && outcome.failed === 0;
  return outcome;
}
