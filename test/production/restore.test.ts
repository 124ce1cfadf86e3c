import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { parseConfig } from '../../src/config.js';
import { openPostgres, type DatabaseHandle } from '../../src/db/client.js';
import { queryRows } from '../../src/db/query-rows.js';
import { verifyAuditChain } from '../../src/audit/read/verify-chain.js';
import { conversationWorkflowId } from '../../src/workflows/conversation-lifecycle.contract.js';
import { sql } from 'drizzle-orm';
import { contactRecord } from '../support/contact-records.js';
import { createHarness, type Harness } from '../support/harness.js';
import { ensureTags, eventually, uniqueId } from '../support/lifecycle.js';
import { createScratchDatabase } from '../support/scratch-database.js';

/**
 * The README's backup and restore procedure ("Running in production"), step by step: `pg_dump --format=custom`
 * of a live Recordkeeper database, `pg_restore` into a new, empty database (not a migrated one: the restore
 * creates the audit triggers after the data, so the chain's rows come back as they were, not re-chained), then
 * the restored engine verifies the chain and still keeps what a hold or a protection kept.
 */
const serverUrl = parseConfig(process.env).testPostgresUrl;
const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

function run(command: string, args: string[]): string {
  const result = spawnSync(command, args, { encoding: 'utf8' });
  if (result.error) throw new Error(`${command} could not run (${result.error.message}): install the PostgreSQL client (postgresql-client-15)`);
  expect(result.status, `${command} ${args.join(' ')}:\n${result.stderr}`).toBe(0);
  return result.stdout;
}

async function createEmptyDatabase(label: string): Promise<string> {
  const name = `recordkeeper_${label}_${process.pid}_${Date.now()}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    await admin.query(`create database ${name}`);
  } finally {
    await admin.end();
  }
  cleanups.push(async () => {
    const dropper = new pg.Client({ connectionString: serverUrl });
    await dropper.connect();
    await dropper.query(`drop database if exists ${name} with (force)`).finally(() => dropper.end());
  });
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

async function capture(harness: Harness, scope: string): Promise<string> {
  const now = new Date().toISOString();
  const posted = await harness.http('POST', '/v1/contact-records', contactRecord({ InitiationTimestamp: now, LastUpdateTimestamp: now, Attributes: { restoreScope: scope } }));
  expect(posted.status, JSON.stringify(posted.body)).toBe(200);
  return posted.body.results[0].conversationId;
}

const chainHead = async (db: DatabaseHandle['db']) =>
  (await queryRows<{ chainSeq: number; hash: string }>(db, sql`select chain_seq::int as "chainSeq", hash from audit_chain_head where id = 1`))[0]!;

describe('backup and restore of the Recordkeeper database', () => {
  it('pg_dump, then pg_restore into an empty database: the audit chain verifies there, and held and protected conversations stay kept, by their decision and by a delete run', async () => {
    const scope = uniqueId('restore');
    const protecting = uniqueId('MIFID').toUpperCase().replace(/-/g, '_');

    // The live database: a conversation with nothing keeping it, one under a legal hold, one with a protecting tag.
    const source = await createScratchDatabase(serverUrl, 'restore_source', 5);
    cleanups.push(() => source.drop());
    const live = await createHarness({ database: source.handle });
    await ensureTags(live, [{ name: protecting, protectionYears: 5 }]);
    const [plain, held, protectedOne] = [await capture(live, scope), await capture(live, scope), await capture(live, scope)];
    expect((await live.http('POST', `/v1/conversations/${held}/legal-holds`, { reason: 'litigation M-204' })).status).toBeLessThan(300);
    expect((await live.http('POST', `/v1/conversations/${protectedOne}/tags`, { name: protecting, value: null })).status).toBeLessThan(300);
    // Only the Recordkeeper database is restored here: the lifecycles go with the old Temporal cluster, as after
    // losing it. What the restored engine keeps or deletes must follow from the database alone.
    for (const id of [plain, held, protectedOne]) await live.client.workflow.getHandle(conversationWorkflowId(id)).terminate('the Temporal cluster is not restored');
    await live.close();
    const before = await verifyAuditChain(source.handle.db, {});
    expect(before.verified).toBe(true);
    const headBefore = await chainHead(source.handle.db);

    const dumpDir = fs.mkdtempSync(path.join(os.tmpdir(), 'recordkeeper-backup-'));
    cleanups.push(async () => fs.rmSync(dumpDir, { recursive: true, force: true }));
    const dumpFile = path.join(dumpDir, 'recordkeeper.dump');
    run('pg_dump', ['--format=custom', '--file', dumpFile, source.url]);
    const restoredUrl = await createEmptyDatabase('restored');
    run('pg_restore', ['--exit-on-error', '--single-transaction', '--dbname', restoredUrl, dumpFile]);

    const restored = openPostgres(restoredUrl, 5);
    cleanups.push(() => restored.close());
    const after = await verifyAuditChain(restored.db, {});
    expect(after, JSON.stringify(after.firstBreak)).toMatchObject({ verified: true, entries: before.entries, checkedTo: before.checkedTo });
    expect(await chainHead(restored.db)).toEqual(headBefore);

    // The restored engine: its own worker and API on the restored database.
    const engine = await createHarness({ database: restored });
    cleanups.push(() => engine.close());
    const retention = async (id: string) => (await engine.http('GET', `/v1/conversations/${id}/retention`)).body;
    expect(await retention(held)).toMatchObject({ status: 'held', reasons: expect.arrayContaining([expect.objectContaining({ code: 'legal-hold' })]) });
    expect((await retention(protectedOne)).reasons).toEqual(expect.arrayContaining([expect.objectContaining({ code: 'protected-tag', tags: [protecting] })]));

    const task = await engine.http('POST', '/v1/delete-tasks', { name: 'after restore', selection: { attribute: { key: 'restoreScope', value: scope } }, retentionSeconds: 1 });
    expect(task.status, JSON.stringify(task.body)).toBe(201);
    cleanups.push(async () => void (await engine.http('DELETE', `/v1/delete-tasks/${task.body.id}`)));
    await eventually(async () => ((await retention(plain)).status === 'due' && (await retention(plain)).reasons[0].code === 'retention-elapsed' ? true : undefined));
    const started = await engine.http('POST', `/v1/delete-tasks/${task.body.id}/runs`);
    expect(started.status).toBe(202);
    const finished = await eventually(async () => {
      const runs = (await engine.http('GET', `/v1/delete-tasks/${task.body.id}/runs`)).body.items as { id: string; finishedAt: string | null }[];
      const found = runs.find((candidate) => candidate.id === started.body.runId);
      return found?.finishedAt ? found : undefined;
    }, 60_000);
    expect(finished).toMatchObject({ selected: 3, done: 1, skipped: 2, failed: 0 });
    expect((finished as unknown as { report: { skippedReasons: Record<string, number> } }).report.skippedReasons).toEqual({
      'legal hold': 1,
      'protected (MiFID II tag or extension)': 1,
    });
    expect((await retention(plain)).status).toBe('deleted');
    expect((await retention(held)).status).toBe('held');
    expect((await retention(protectedOne)).status).not.toBe('deleted');

    // Entries written after the restore extend the restored chain: it still verifies end to end.
    const auditor = engine.as(await engine.tokenFor('auditor'));
    const verified = await auditor.http('GET', '/v1/audit/verify');
    expect(verified.status).toBe(200);
    expect(verified.body, JSON.stringify(verified.body.firstBreak)).toMatchObject({ verified: true });
    expect(verified.body.entries).toBeGreaterThan(before.entries);
  });
});
