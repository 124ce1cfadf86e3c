import { eq } from 'drizzle-orm';
import type { Executor } from '../db/client.js';
import { notificationOutbox, users } from '../db/schema/index.js';
import { exportFileName, renderExportReadyMail } from '../domain/export-notifications.js';
import { EXPORT_READY_KIND, exportRunEventKey } from '../notify/export-emailed.js';

export interface CompletedExportRun {
  exportId: string;
  runId: string;
  ownerId: string;
  trigger: 'manual' | 'scheduled';
  scheduledFor: Date | null;
  finishedAt: Date;
  rowCount: number;
  sizeBytes: number;
  sha256: string;
  /** The file's absolute path: the dispatcher checks its digest again and attaches it. */
  absolutePath: string;
}

/**
 * Queues the "export ready" mail to the export's owner in the run's completion transaction: the file
 * attached up to `attachmentMaxBytes`, otherwise only its download link. Always immediate, whatever the
 * owner's digest setting: the export is what they asked for. An owner without an address or disabled is
 * not mailed (false); a run queued again adds nothing.
 */
export async function enqueueExportReadyMail(executor: Executor, run: CompletedExportRun, attachmentMaxBytes: number): Promise<boolean> {
  const [owner] = await executor.select({ id: users.id, email: users.email, timeZone: users.timeZone, disabledAt: users.disabledAt }).from(users).where(eq(users.id, run.ownerId));
  if (!owner?.email || owner.disabledAt) return false;
  const attached = run.sizeBytes <= attachmentMaxBytes;
  const mail = renderExportReadyMail({ ...run, attached, timeZone: owner.timeZone });
  await executor
    .insert(notificationOutbox)
    .values({
      eventKey: exportRunEventKey(run.runId, owner.id),
      recipientUserId: owner.id,
      recipientEmail: owner.email,
      kind: EXPORT_READY_KIND,
      subject: mail.subject,
      textBody: mail.text,
      htmlBody: mail.html,
      attachment: attached ? { path: run.absolutePath, fileName: exportFileName(run.runId), mediaType: 'text/csv', sizeBytes: run.sizeBytes, sha256: run.sha256 } : null,
    })
    .onConflictDoNothing({ target: notificationOutbox.eventKey });
  return true;
}
