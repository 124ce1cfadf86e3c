import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { and, eq } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { dataExportRuns, notificationOutbox } from '../../src/db/schema/index.js';
import { runExport } from '../../src/exports/export-run.js';
import { ensureNotificationDispatcher } from '../../src/temporal/schedules.js';
import { dataExportScheduleId } from '../../src/workflows/data-export-run.contract.js';
import { createHarness } from '../support/harness.js';
import { eventually, uniqueId } from '../support/lifecycle.js';
import { startSmtpServer } from '../support/smtp.js';
import { exportActivities, exportsApi, exportsConfig, insertConversations, parseCsv } from './export-fixtures.js';

/**
 * The done-when of the Data Export module: an export on a Temporal Schedule runs (the schedule triggered
 * now), its file is downloadable, and it is mailed to its owner with the CSV attached, every step audited
 * with the seed's activity names.
 */
const exports = exportsConfig(64 * 1024);
const smtp = await startSmtpServer();
const mailer = smtp.mailer();
const harness = await createHarness({ activityDeps: { exports, mailer } });
const api = await exportsApi(harness, exports);
const dispatcherId = await ensureNotificationDispatcher(harness.client, harness.taskQueue, { pollSeconds: 1 });
afterAll(async () => {
  await harness.client.workflow.getHandle(dispatcherId).terminate('test over');
  await api.close();
  await harness.close();
  await smtp.stop();
  fs.rmSync(exports.root, { recursive: true, force: true });
});

const sha256 = (bytes: string | Buffer) => createHash('sha256').update(bytes).digest('hex');

async function scheduledRuns(exportId: string) {
  return harness.db.select().from(dataExportRuns).where(and(eq(dataExportRuns.exportId, exportId), eq(dataExportRuns.trigger, 'scheduled')));
}

describe('scheduled data exports', () => {
  it('a scheduled export runs on its schedule, is downloadable and is emailed with the CSV attached', async () => {
    const email = `${uniqueId('owner')}@example.test`;
    const owner = await harness.identityFor('compliance-analyst', { email, timeZone: 'Australia/Sydney' });
    const http = api.as(owner.token);
    const queue = uniqueId('queue');
    const now = Date.now();
    await insertConversations(harness.db, [
      { startedAt: new Date(now - 3 * 3600_000).toISOString(), queue, agent: 'ann' },
      { startedAt: new Date(now - 2 * 3600_000).toISOString(), queue, agent: 'bob' },
      // Outside the last day: not exported.
      { startedAt: new Date(now - 3 * 24 * 3600_000).toISOString(), queue, agent: 'old' },
    ]);
    const created = await http('POST', '/v1/data-exports', {
      name: uniqueId('daily'),
      source: 'conversations',
      filters: { queue, startedAt: { lastDays: 1 } },
      schedule: { every: 'day', at: '03:00' },
      delivery: 'email',
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const exportId = created.body.id as string;

    const schedule = harness.client.schedule.getHandle(dataExportScheduleId(exportId));
    await schedule.trigger();
    const [run] = await eventually(async () => {
      const runs = await scheduledRuns(exportId);
      if (runs[0]?.status === 'failed') throw new Error(`run failed: ${runs[0].error}`);
      return runs[0]?.status === 'completed' ? runs : undefined;
    });
    expect(run).toMatchObject({ trigger: 'scheduled', requestedBy: 'schedule', rowCount: 2 });
    expect(run!.scheduledFor).toBeInstanceOf(Date);

    const listed = (await http('GET', `/v1/data-exports/${exportId}/runs`)).body.items;
    expect(listed).toMatchObject([{ runId: run!.id, trigger: 'scheduled', status: 'completed', rowCount: 2 }]);
    const file = await http('GET', listed[0].downloadPath);
    expect(file.status).toBe(200);
    expect(sha256(file.body as string)).toBe(run!.sha256);
    const rows = parseCsv(file.body as string);
    expect(rows[0]).toContain('startedAt (Australia/Sydney)');
    expect(rows.slice(1).map((row) => row[7])).toEqual(['ann', 'bob']);

    const [outbox] = await harness.db.select().from(notificationOutbox).where(eq(notificationOutbox.eventKey, `data-export-run:${run!.id}:${owner.userId}`));
    expect(outbox).toMatchObject({ kind: 'export-ready', recipientEmail: email, subject: `Data export ready: ${exportId}` });
    expect(outbox!.attachment).toMatchObject({ fileName: `data-export-${run!.id}.csv`, mediaType: 'text/csv', sizeBytes: run!.sizeBytes, sha256: run!.sha256 });
    expect(outbox!.textBody).toContain(`/v1/data-exports/${exportId}/runs/${run!.id}/file`);
    expect(outbox!.textBody).toContain('(Australia/Sydney)');

    const [mail] = await eventually(async () => (smtp.to(email).length > 0 ? smtp.to(email) : undefined));
    expect(mail!.parsed.subject).toBe(`Data export ready: ${exportId}`);
    expect(mail!.parsed.text).toContain('Rows: 2');
    expect(mail!.parsed.text).not.toContain('ann');
    const attachment = mail!.parsed.attachments.find((candidate) => candidate.filename === `data-export-${run!.id}.csv`);
    expect(attachment, 'the CSV is attached').toBeDefined();
    expect(sha256(attachment!.content)).toBe(run!.sha256);
    await eventually(async () => ((await scheduledRuns(exportId))[0]?.emailedAt ? true : undefined));

    // The same firing run again (a retried activity, a replayed schedule action): nothing more.
    const again = await runExport(harness.db, exports, {
      exportId, trigger: 'scheduled', scheduledFor: run!.scheduledFor, requestedBy: 'schedule',
      actor: { type: 'system', id: 'test', username: 'test', fullName: 'test' }, correlationId: uniqueId('retry'),
    });
    expect(again).toMatchObject({ runId: run!.id, alreadyCompleted: true, mailQueued: false });
    expect(await scheduledRuns(exportId)).toHaveLength(1);
    expect(smtp.to(email)).toHaveLength(1);

    const activities = (await exportActivities(harness.db, exportId)).map((entry) => `${entry.activity} ${entry.result} ${entry.actorType}`);
    expect(activities).toEqual(['DATA_EXPORT_CREATE OK user', 'DATA_EXPORT_RUN_SCHEDULED OK workflow', 'DATA_EXPORT_DOWNLOAD OK user', expect.stringMatching(/^DATA_EXPORT_EMAILED OK /)]);
  });

  it('an export larger than the attachment limit is mailed as a link, without the file', async () => {
    const email = `${uniqueId('owner')}@example.test`;
    const owner = await harness.identityFor('cc-manager', { email });
    const http = api.as(owner.token);
    const queue = uniqueId('queue');
    await insertConversations(harness.db, Array.from({ length: 800 }, (_, index) => ({ startedAt: new Date(Date.UTC(2026, 10, 1, 0, index)).toISOString(), queue, agent: `agent-${index}` })));
    const created = await http('POST', '/v1/data-exports', { name: uniqueId('big'), source: 'conversations', filters: { queue }, delivery: 'email' });
    const exportId = created.body.id as string;
    const started = await http('POST', `/v1/data-exports/${exportId}/runs`);
    expect(started.status).toBe(202);
    const [mail] = await eventually(async () => (smtp.to(email).length > 0 ? smtp.to(email) : undefined));
    const [run] = await harness.db.select().from(dataExportRuns).where(eq(dataExportRuns.id, started.body.runId));
    expect(run!.sizeBytes).toBeGreaterThan(exports.attachmentMaxBytes);
    expect(mail!.parsed.attachments).toEqual([]);
    expect(mail!.parsed.text).toContain(`/v1/data-exports/${exportId}/runs/${run!.id}/file`);
    expect(mail!.parsed.text).toContain('too large to attach');
    const activities = (await exportActivities(harness.db, exportId)).map((entry) => entry.activity);
    expect(activities).toEqual(expect.arrayContaining(['DATA_EXPORT_CREATE', 'DATA_EXPORT_RUN_MANUAL']));
  });
});
