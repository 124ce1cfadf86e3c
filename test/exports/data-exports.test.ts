import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { ScheduleNotFoundError } from '@temporalio/client';
import { eq } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { dataExportRuns } from '../../src/db/schema/index.js';
import { runExport } from '../../src/exports/export-run.js';
import { dataExportScheduleId } from '../../src/workflows/data-export-run.contract.js';
import { createHarness } from '../support/harness.js';
import { eventually, uniqueId } from '../support/lifecycle.js';
import { exportActivities, exportsApi, exportsConfig, insertConversations, parseCsv } from './export-fixtures.js';

/** Export tasks through the API: validation, who sees what, CSV that spreadsheets read safely, and verified downloads. */
const exports = exportsConfig();
const harness = await createHarness({ activityDeps: { exports } });
const api = await exportsApi(harness, exports);
afterAll(async () => {
  await api.close();
  await harness.close();
  fs.rmSync(exports.root, { recursive: true, force: true });
});

const sha256 = (bytes: string | Buffer) => createHash('sha256').update(bytes).digest('hex');

async function completedRun(http: ReturnType<typeof api.as>, exportId: string, runId: string) {
  return eventually(async () => {
    const runs = await http('GET', `/v1/data-exports/${exportId}/runs`);
    const run = runs.body.items.find((item: { runId: string }) => item.runId === runId);
    if (run?.status === 'failed') throw new Error(`run failed: ${run.error}`);
    return run?.status === 'completed' ? run : undefined;
  });
}

describe('data export tasks', () => {
  it('refuses invalid tasks with problem+json naming the field', async () => {
    const manager = await harness.identityFor('cc-manager');
    const http = api.as(manager.token);
    const cases: [unknown, string][] = [
      [{ name: 'x', source: 'conversations', filters: { colour: 'red' } }, 'filters.colour'],
      [{ name: 'x', source: 'conversations', filters: { tier: 'Gold' } }, 'filters.tier'],
      [{ name: 'x', source: 'review-scores', filters: { completedAt: { from: '2026-11-02T00:00:00Z', to: '2026-11-01T00:00:00Z' } } }, 'filters.completedAt.to'],
      [{ name: 'x', source: 'review-scores', filters: { completedAt: { lastDays: 7, from: '2026-11-01T00:00:00Z' } } }, 'filters.completedAt.lastDays'],
      [{ name: 'x', source: 'review-scores', filters: { questionnaireId: 'not-a-uuid' } }, 'filters.questionnaireId'],
      [{ name: 'x', source: 'conversations', timeZone: 'Mars/Olympus' }, 'timeZone'],
      [{ name: 'x', source: 'conversations', schedule: { every: 'day', at: '25:00' } }, 'schedule.at'],
      [{ name: 'x', source: 'conversations', schedule: { every: 'fortnight', at: '05:00' } }, 'schedule.every'],
      [{ name: 'x', source: 'calls' }, 'source'],
      [{ name: 'x', source: 'conversations', delivery: 'fax' }, 'delivery'],
    ];
    for (const [body, field] of cases) {
      const answer = await http('POST', '/v1/data-exports', body);
      expect(answer.status, JSON.stringify(answer.body)).toBe(422);
      expect(answer.headers.get('content-type')).toContain('application/problem+json');
      expect(answer.body.errors.map((error: { field: string }) => error.field), JSON.stringify(answer.body)).toContain(field);
    }
  });

  it('creates, reads, changes and removes a task: audited, scoped to its owner, the schedule following it', async () => {
    const owner = await harness.identityFor('compliance-analyst', { timeZone: 'Asia/Tokyo' });
    const other = await harness.identityFor('compliance-analyst');
    const auditor = await harness.identityFor('auditor');
    const manager = await harness.identityFor('cc-manager');
    const http = api.as(owner.token);

    const created = await http('POST', '/v1/data-exports', { name: uniqueId('export'), source: 'conversations', filters: { queue: 'advice', startedAt: { lastDays: 1 } }, schedule: { every: 'week', at: '06:30' } });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body).toMatchObject({ source: 'conversations', timeZone: 'Asia/Tokyo', ownerId: owner.userId, delivery: 'download', enabled: true, schedule: { every: 'week', at: '06:30' } });
    const exportId = created.body.id as string;
    const schedule = await harness.client.schedule.getHandle(dataExportScheduleId(exportId)).describe();
    expect(schedule.spec.calendars?.[0]).toMatchObject({ hour: [{ start: 6, end: 6, step: 1 }], minute: [{ start: 30, end: 30, step: 1 }], dayOfWeek: [{ start: 'MONDAY', end: 'MONDAY', step: 1 }] });
    expect(schedule.spec.timezone).toBe('Asia/Tokyo');

    expect((await api.as(other.token)('GET', `/v1/data-exports/${exportId}`)).status).toBe(404);
    expect((await api.as(other.token)('GET', '/v1/data-exports')).body.items.map((item: { id: string }) => item.id)).not.toContain(exportId);
    expect((await api.as(other.token)('PUT', `/v1/data-exports/${exportId}`, { name: 'mine now', source: 'conversations' })).status).toBe(404);
    expect((await api.as(auditor.token)('GET', `/v1/data-exports/${exportId}`)).status).toBe(200);
    expect((await api.as(auditor.token)('DELETE', `/v1/data-exports/${exportId}`)).status).toBe(403);
    expect((await api.as(manager.token)('GET', '/v1/data-exports')).body.items.map((item: { id: string }) => item.id)).toContain(exportId);
    // A CC manager sees every export but changes only their own.
    expect((await api.as(manager.token)('DELETE', `/v1/data-exports/${exportId}`)).status).toBe(403);

    const changed = await http('PUT', `/v1/data-exports/${exportId}`, { name: 'renamed', source: 'conversations', timeZone: 'Europe/Berlin', schedule: { every: 'month', at: '02:00' }, enabled: false });
    expect(changed.status, JSON.stringify(changed.body)).toBe(200);
    expect(changed.body).toMatchObject({ name: 'renamed', timeZone: 'Europe/Berlin', enabled: false, filters: {} });
    const paused = await harness.client.schedule.getHandle(dataExportScheduleId(exportId)).describe();
    expect(paused.state.paused).toBe(true);
    expect(paused.spec.calendars?.[0]?.dayOfMonth).toEqual([{ start: 1, end: 1, step: 1 }]);

    const removed = await http('DELETE', `/v1/data-exports/${exportId}`);
    expect(removed.status).toBe(200);
    expect(removed.body.removedAt).toBeTruthy();
    await expect(harness.client.schedule.getHandle(dataExportScheduleId(exportId)).describe()).rejects.toBeInstanceOf(ScheduleNotFoundError);
    expect((await http('GET', '/v1/data-exports')).body.items.map((item: { id: string }) => item.id)).not.toContain(exportId);
    expect((await http('POST', `/v1/data-exports/${exportId}/runs`)).status).toBe(409);

    expect(await exportActivities(harness.db, exportId)).toEqual([
      { activity: 'DATA_EXPORT_CREATE', result: 'OK', actorType: 'user' },
      // The CC manager's refused removal.
      { activity: 'DATA_EXPORT_DELETE', result: 'FAIL', actorType: 'user' },
      { activity: 'DATA_EXPORT_CHANGED', result: 'OK', actorType: 'user' },
      { activity: 'DATA_EXPORT_DELETE', result: 'OK', actorType: 'user' },
    ]);
  });

  it('a manual run writes RFC 4180 CSV in the requester’s zone, guarded against formulas, downloadable with its digest', async () => {
    const owner = await harness.identityFor('cc-manager', { timeZone: 'Europe/Berlin' });
    const http = api.as(owner.token);
    const queue = uniqueId('queue');
    const awkward = 'Smith, "Jr"\nline two';
    await insertConversations(harness.db, [
      { startedAt: '2026-11-20T10:00:00Z', endedAt: '2026-11-20T10:05:30Z', agent: awkward, queue, tags: ['VIP', 'MIFID_ADVICE'] },
      { startedAt: '2026-11-20T12:00:00Z', agent: '=HYPERLINK("http://evil")', queue },
      { startedAt: '2026-11-21T09:00:00Z', agent: '@SUM(A1)', queue, channel: 'CHAT' },
      { startedAt: '2026-11-20T11:00:00Z', agent: 'other', queue: uniqueId('other-queue') },
    ]);
    const created = await http('POST', '/v1/data-exports', { name: uniqueId('export'), source: 'conversations', filters: { queue } });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body.timeZone).toBe('Europe/Berlin');
    const exportId = created.body.id as string;

    const started = await http('POST', `/v1/data-exports/${exportId}/runs`);
    expect(started.status, JSON.stringify(started.body)).toBe(202);
    expect(started.body).toMatchObject({ trigger: 'manual', status: 'running', requestedBy: owner.username });
    const run = await completedRun(http, exportId, started.body.runId);
    expect(run).toMatchObject({ rowCount: 3, downloadPath: `/v1/data-exports/${exportId}/runs/${run.runId}/file` });

    const file = await http('GET', run.downloadPath);
    expect(file.status).toBe(200);
    expect(file.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(file.headers.get('content-disposition')).toBe(`attachment; filename="data-export-${run.runId}.csv"`);
    const text = file.body as string;
    expect(sha256(text)).toBe(run.sha256);
    expect(file.headers.get('etag')).toBe(`"${run.sha256}"`);
    expect(file.headers.get('digest')).toBe(`sha-256=${Buffer.from(run.sha256, 'hex').toString('base64')}`);
    expect(Buffer.byteLength(text)).toBe(run.sizeBytes);

    const rows = parseCsv(text);
    expect(rows[0]).toEqual(['conversationId', 'source', 'externalKey', 'channel', 'startedAt (Europe/Berlin)', 'endedAt (Europe/Berlin)', 'durationSeconds', 'agent', 'queue', 'lifecycleState', 'tags']);
    expect(rows.slice(1).map((row) => [row[4], row[5], row[6], row[7], row[10]])).toEqual([
      ['2026-11-20 11:00:00', '2026-11-20 11:05:30', '330', awkward, 'MIFID_ADVICE;VIP'],
      ['2026-11-20 13:00:00', '', '', `'=HYPERLINK("http://evil")`, ''],
      ['2026-11-21 10:00:00', '', '', "'@SUM(A1)", ''],
    ]);
    expect(text).toContain('"Smith, ""Jr""\nline two"');
    expect(text.endsWith('\r\n')).toBe(true);
    expect(text).not.toContain('+441234567890');

    expect(await exportActivities(harness.db, exportId)).toEqual([
      { activity: 'DATA_EXPORT_CREATE', result: 'OK', actorType: 'user' },
      { activity: 'DATA_EXPORT_RUN_MANUAL', result: 'OK', actorType: 'user' },
      { activity: 'DATA_EXPORT_DOWNLOAD', result: 'OK', actorType: 'user' },
    ]);
  });

  it('a file changed after it was written is not served, and the attempt is audited', async () => {
    const owner = await harness.identityFor('compliance-analyst');
    const http = api.as(owner.token);
    const queue = uniqueId('queue');
    await insertConversations(harness.db, [{ startedAt: '2026-11-20T10:00:00Z', queue }]);
    const created = await http('POST', '/v1/data-exports', { name: uniqueId('export'), source: 'conversations', filters: { queue } });
    const exportId = created.body.id as string;
    const run = await completedRun(http, exportId, (await http('POST', `/v1/data-exports/${exportId}/runs`)).body.runId);
    const [row] = await harness.db.select().from(dataExportRuns).where(eq(dataExportRuns.id, run.runId));
    fs.appendFileSync(path.join(exports.root, row!.filePath!), 'forged,row\r\n');
    const answer = await http('GET', run.downloadPath);
    expect(answer.status).toBe(500);
    expect(answer.body.title).toBe('Export file integrity violation');
    expect((await exportActivities(harness.db, exportId)).at(-1)).toEqual({ activity: 'DATA_EXPORT_DOWNLOAD', result: 'FAIL', actorType: 'user' });
  });

  it('a run that cannot write its file is marked failed with the error, audited FAIL', async () => {
    const owner = await harness.identityFor('compliance-analyst');
    const created = await api.as(owner.token)('POST', '/v1/data-exports', { name: uniqueId('export'), source: 'conversations', filters: { queue: uniqueId('none') } });
    const exportId = created.body.id as string;
    const blocked = path.join(exports.root, `${uniqueId('not-a-folder')}`);
    fs.writeFileSync(blocked, 'a file where the exports folder should be');
    const actor = { type: 'user' as const, id: owner.userId, username: owner.username, fullName: 'x' };
    await expect(runExport(harness.db, { ...exports, root: blocked }, { exportId, trigger: 'manual', scheduledFor: null, requestedBy: owner.username, actor, correlationId: uniqueId('c') })).rejects.toThrow();
    const [run] = await harness.db.select().from(dataExportRuns).where(eq(dataExportRuns.exportId, exportId));
    expect(run).toMatchObject({ status: 'failed', filePath: null });
    expect(run!.error).toMatch(/ENOTDIR|EEXIST/);
    expect((await exportActivities(harness.db, exportId)).at(-1)).toEqual({ activity: 'DATA_EXPORT_RUN_MANUAL', result: 'FAIL', actorType: 'user' });
  });

  it('review scores export: header in the export’s zone, filters by questionnaire; a run of a removed export is refused', async () => {
    const owner = await harness.identityFor('cc-manager');
    const http = api.as(owner.token);
    const created = await http('POST', '/v1/data-exports', { name: uniqueId('scores'), source: 'review-scores', timeZone: 'America/New_York', filters: { questionnaireId: crypto.randomUUID(), completedAt: { lastDays: 30 }, tier: 'Gold' } });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const exportId = created.body.id as string;
    const run = await completedRun(http, exportId, (await http('POST', `/v1/data-exports/${exportId}/runs`)).body.runId);
    expect(run.rowCount).toBe(0);
    const rows = parseCsv((await http('GET', run.downloadPath)).body as string);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toContain('completedAt (America/New_York)');

    await http('DELETE', `/v1/data-exports/${exportId}`);
    await expect(
      runExport(harness.db, exports, { exportId, trigger: 'manual', scheduledFor: null, requestedBy: owner.username, actor: { type: 'user', id: owner.userId, username: owner.username, fullName: 'x' }, correlationId: uniqueId('c') }),
    ).rejects.toThrow(/No data export/);
  });
});
