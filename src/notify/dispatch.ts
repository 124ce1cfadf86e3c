import { SYSTEM_ACTOR, type Actor } from '../audit/write/actor.js';
import type { Database } from '../db/client.js';
import { linkOfMail, renderDigestMail } from '../domain/notification-digest.js';
import { AttachmentRefused, readVerifiedAttachment } from './attachments.js';
import { recordExportsEmailed } from './export-emailed.js';
import { isConnectionError, type MailAttachment, type Mailer, type OutgoingMail } from './mailer.js';
import { claimDueNotifications, DEFAULT_RETRY_POLICY, markFailed, markSent, releaseClaims, type ClaimedNotification, type RetryPolicy } from './outbox.js';

export interface DispatchOptions {
  batchSize: number;
  /** Longer than one batch can take to send, so no other dispatcher takes a row that is being sent. */
  leaseSeconds: number;
  retry?: RetryPolicy;
  /** Who the audit entries written on sending (DATA_EXPORT_EMAILED) name: the dispatcher's workflow, or the engine. */
  actor?: Actor;
  correlationId?: string;
  /** A relative attachment path is taken inside this folder (the exports folder). */
  attachmentRoot?: string;
}

export interface DispatchOutcome {
  claimed: number;
  /** Outbox rows marked sent (a digest mail counts each of its rows). */
  sent: number;
  /** Mails sent: one per immediate row, one per digest. */
  mails: number;
  failed: number;
  /** Outbox ids that failed for the last allowed time: they stay in the table as failed, for someone to look at. */
  gaveUp: string[];
  /** A full batch went out: there may be more due right now. */
  more: boolean;
}

/** What goes out as one mail: one immediate row, or every claimed digest row of one recipient. */
type Unit = { kind: 'single'; rows: [ClaimedNotification] } | { kind: 'digest'; rows: ClaimedNotification[] };

function unitsOf(claimed: readonly ClaimedNotification[]): Unit[] {
  const units: Unit[] = [];
  const digests = new Map<string, ClaimedNotification[]>();
  for (const row of claimed) {
    if (row.digestAt === null) {
      units.push({ kind: 'single', rows: [row] });
      continue;
    }
    const key = `${row.recipientUserId}\n${row.recipientEmail}`;
    let rows = digests.get(key);
    if (!rows) {
      rows = [];
      digests.set(key, rows);
      units.push({ kind: 'digest', rows });
    }
    rows.push(row);
  }
  return units;
}

function composeMail(unit: Unit, attachments: MailAttachment[]): OutgoingMail {
  const [first] = unit.rows;
  if (unit.kind === 'single') {
    return { outboxId: first.id, to: first.recipientEmail, subject: first.subject, text: first.textBody, html: first.htmlBody, attachments };
  }
  const smallestId = unit.rows.map((row) => row.id).sort()[0]!;
  const digestAt = new Date(Math.min(...unit.rows.map((row) => row.digestAt!.getTime())));
  const mail = renderDigestMail({
    timeZone: first!.recipientTimeZone,
    digestAt,
    items: unit.rows.map((row) => ({ subject: row.subject, link: linkOfMail(row.textBody, row.htmlBody), at: row.createdAt })),
  });
  return { outboxId: `digest.${smallestId}`, to: first!.recipientEmail, ...mail, attachments };
}

/**
 * Sends the due mails of one batch: immediate rows one mail each, a recipient's due digest rows as one
 * digest mail. Each row is claimed before it is sent and marked after (a digest's rows in one transaction,
 * with the audit of an emailed export), so a retry or a second dispatcher never sends a row twice; only a
 * crash between the SMTP answer and the mark can, and the Message-ID lets the receiver tell that repeat:
 * the row's id, or for a digest `digest.<smallest id of its rows>` (the same again unless a row with a
 * smaller id joined the digest in between). An attachment is read through its SHA-256 and a file that
 * has changed is never sent: the row is marked failed, saying why.
 */
export async function dispatchDueNotifications(db: Database, mailer: Mailer, options: DispatchOptions): Promise<DispatchOutcome> {
  const retry = options.retry ?? DEFAULT_RETRY_POLICY;
  const actor = options.actor ?? SYSTEM_ACTOR;
  const correlationId = options.correlationId ?? 'notification-dispatch';
  const claimed = await claimDueNotifications(db, options.batchSize, options.leaseSeconds);
  const outcome: DispatchOutcome = { claimed: claimed.length, sent: 0, mails: 0, failed: 0, gaveUp: [], more: false };
  const fail = async (row: ClaimedNotification, error: unknown, permanent = false) => {
    outcome.failed += 1;
    const marked = await markFailed(db, row.id, error instanceof Error ? error.message : String(error), retry, permanent);
    if (marked?.status === 'failed') outcome.gaveUp.push(row.id);
  };

  const units = unitsOf(claimed);
  for (const [index, unit] of units.entries()) {
    const rows: ClaimedNotification[] = [];
    const attachments: MailAttachment[] = [];
    for (const row of unit.rows) {
      if (!row.attachment) {
        rows.push(row);
        continue;
      }
      try {
        attachments.push(await readVerifiedAttachment(row.attachment, options.attachmentRoot));
        rows.push(row);
      } catch (error) {
        await fail(row, error, error instanceof AttachmentRefused);
      }
    }
    if (rows.length === 0) continue;
    const sending: Unit = unit.kind === 'single' ? unit : { kind: 'digest', rows };
    try {
      await mailer.send(composeMail(sending, attachments));
    } catch (error) {
      for (const row of rows) await fail(row, error);
      if (isConnectionError(error)) {
        // The server is unreachable: the rest would fail the same way, so they go back untried.
        await releaseClaims(db, units.slice(index + 1).flatMap((rest) => rest.rows.map((row) => row.id)));
        return outcome;
      }
      continue;
    }
    outcome.mails += 1;
    await db.transaction(async (tx) => {
      const marked = new Set(await markSent(tx, rows.map((row) => row.id)));
      outcome.sent += marked.size;
      await recordExportsEmailed(tx, rows.filter((row) => marked.has(row.id)), actor, correlationId);
    });
  }
  outcome.more = claimed.length >= options.batchSize && outcome.failed === 0;
  return outcome;
}
