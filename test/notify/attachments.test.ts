import { createHash, randomUUID } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { and, eq, sql } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { auditLog, dataExportRuns, dataExports, notificationOutbox } from '../../src/db/schema/index.js';
import { dispatchDueNotifications } from '../../src/notify/dispatch.js';
import { insertRecipient, openOutboxScratch, queueMail, type Recipient } from '../support/outbox-scratch.js';
import { startSmtpServer } from '../support/smtp.js';

/**
 * Files sent with a mail (an export's CSV): attached intact, checked against their SHA-256 first (a changed
 * file is never sent), and an export-ready mail's sending audited once as DATA_EXPORT_EMAILED. On a database
 * of its own: the dispatcher takes every due row.
 */
const scratch = await openOutboxScratch('outbox_attach');
const smtp = await startSmtpServer();
const folder = await fs.mkdtemp(path.join(os.tmpdir(), 'recordkeeper-attachments-'));
afterAll(async () => {
  await smtp.stop();
  await scratch.drop();
  await fs.rm(folder, { recursive: true, force: true });
});

const options = { batchSize: 50, leaseSeconds: 30, actor: { type: 'workflow' as const, id: 'notification-dispatch-test/run-1', username: 'notification-dispatch-test', fullName: 'workflow run run-1' } };
const CSV = 'conversationId,agent,startedAt\r\n"c-1","Zoë ""the closer"", Ltd",2026-11-17 10:00 (Europe/Berlin)\r\n';

async function exportFile(content: string | Buffer) {
  const file = path.join(folder, `${randomUUID()}.csv`);
  const bytes = Buffer.isBuffer(content) ? content : Buffer.from(content, 'utf8');
  await fs.writeFile(file, bytes);
  return { path: file, fileName: 'export.csv', mediaType: 'text/csv', sizeBytes: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex') };
}

async function exportRun(owner: Recipient) {
  const exportId = randomUUID();
  const runId = randomUUID();
  await scratch.db.insert(dataExports).values({ id: exportId, name: `export ${exportId.slice(0, 8)}`, source: 'conversations', ownerId: owner.id, delivery: 'email' });
  await scratch.db.insert(dataExportRuns).values({ id: runId, exportId, trigger: 'manual', requestedBy: 'attachment-tests', status: 'completed' });
  return { exportId, runId, eventKey: `data-export-run:${runId}:${owner.id}` };
}

const emailedEntries = (runId: string) =>
  scratch.db.select().from(auditLog).where(and(eq(auditLog.activity, 'DATA_EXPORT_EMAILED'), sql`${auditLog.details}->>'runId' = ${runId}`));

describe('mail attachments', () => {
  it('an export-ready mail arrives with its file intact and is audited once as DATA_EXPORT_EMAILED', async () => {
    const owner = await insertRecipient(scratch.db, { timeZone: 'Europe/Berlin' });
    const file = await exportFile(CSV);
    const run = await exportRun(owner);
    const outboxId = await queueMail(scratch.db, owner, { kind: 'export-ready', eventKey: run.eventKey, subject: `Export ready: ${run.runId}`, attachment: file });

    const round = await dispatchDueNotifications(scratch.db, smtp.mailer(), options);
    expect(round).toMatchObject({ sent: 1, failed: 0 });
    const [mail, ...more] = smtp.to(owner.email);
    expect(more).toHaveLength(0);
    expect(mail!.parsed.subject).toBe(`Export ready: ${run.runId}`);
    expect(mail!.parsed.attachments).toHaveLength(1);
    const [attached] = mail!.parsed.attachments;
    expect(attached!.filename).toBe('export.csv');
    expect(attached!.contentType).toBe('text/csv');
    expect(attached!.content.equals(Buffer.from(CSV, 'utf8'))).toBe(true);
    expect(createHash('sha256').update(attached!.content).digest('hex')).toBe(file.sha256);

    const entries = await emailedEntries(run.runId);
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({
      phase: 'SYNC',
      result: 'OK',
      actorType: 'workflow',
      actorUsername: 'notification-dispatch-test',
      details: { exportId: run.exportId, runId: run.runId, recipientUserId: owner.id, attached: true, outboxId },
    });
    const [runRow] = await scratch.db.select().from(dataExportRuns).where(eq(dataExportRuns.id, run.runId));
    expect(runRow!.emailedAt).toBeTruthy();

    // A second round (a retried activity) sends and audits nothing more.
    expect(await dispatchDueNotifications(scratch.db, smtp.mailer(), options)).toMatchObject({ claimed: 0, sent: 0 });
    expect(await emailedEntries(run.runId)).toHaveLength(1);
    expect(smtp.to(owner.email)).toHaveLength(1);
  });

  it('an export mailed as a link (no attachment) is audited with attached: false', async () => {
    const owner = await insertRecipient(scratch.db);
    const run = await exportRun(owner);
    await queueMail(scratch.db, owner, { kind: 'export-ready', eventKey: run.eventKey });
    expect(await dispatchDueNotifications(scratch.db, smtp.mailer(), options)).toMatchObject({ sent: 1 });
    expect(smtp.to(owner.email)[0]!.parsed.attachments).toHaveLength(0);
    expect((await emailedEntries(run.runId)).map((entry) => entry.details)).toEqual([expect.objectContaining({ attached: false, exportId: run.exportId })]);
  });

  it('a file changed after it was written is refused: nothing is sent, the row is failed with the reason, nothing audited', async () => {
    const owner = await insertRecipient(scratch.db);
    const grownOwner = await insertRecipient(scratch.db);
    const file = await exportFile(CSV);
    const grown = await exportFile(CSV);
    // Same size, one byte different: only the digest can tell.
    const tampered = Buffer.from(CSV, 'utf8');
    tampered[tampered.length - 3] = 'X'.charCodeAt(0);
    await fs.writeFile(file.path, tampered);
    await fs.appendFile(grown.path, '"c-2","extra",2026-11-17\r\n');
    const run = await exportRun(owner);
    const grownRun = await exportRun(grownOwner);
    const outboxId = await queueMail(scratch.db, owner, { kind: 'export-ready', eventKey: run.eventKey, attachment: file });
    const grownId = await queueMail(scratch.db, grownOwner, { kind: 'export-ready', eventKey: grownRun.eventKey, attachment: grown });

    const round = await dispatchDueNotifications(scratch.db, smtp.mailer(), options);
    expect(round).toMatchObject({ sent: 0, failed: 2 });
    expect(round.gaveUp.sort()).toEqual([outboxId, grownId].sort());
    expect(smtp.to(owner.email)).toHaveLength(0);
    expect(smtp.to(grownOwner.email)).toHaveLength(0);
    const [row] = await scratch.db.select().from(notificationOutbox).where(eq(notificationOutbox.id, outboxId));
    expect(row).toMatchObject({ status: 'failed', attempts: 1, sentAt: null });
    expect(row!.lastError).toMatch(/^attachment export\.csv refused: SHA-256 [0-9a-f]{64} \(\d+ bytes\) differs from the recorded [0-9a-f]{64}/);
    const [grownRow] = await scratch.db.select().from(notificationOutbox).where(eq(notificationOutbox.id, grownId));
    expect(grownRow).toMatchObject({ status: 'failed' });
    expect(grownRow!.lastError).toContain('larger than the');
    expect(await emailedEntries(run.runId)).toHaveLength(0);
    const [runRow] = await scratch.db.select().from(dataExportRuns).where(eq(dataExportRuns.id, run.runId));
    expect(runRow!.emailedAt).toBeNull();
    // Failed for good: later rounds leave it alone.
    expect(await dispatchDueNotifications(scratch.db, smtp.mailer(), options)).toMatchObject({ claimed: 0 });
  });
});
