import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ANCHOR_PUBLIC_KEY_FILE } from '../../src/audit/anchor/anchor-format.js';
import { anchorCheckpoints } from '../../src/audit/anchor/anchor-writer.js';
import { loadOrCreateSigningKey } from '../../src/audit/anchor/signing-key.js';
import { queryRows } from '../../src/db/query-rows.js';
import { createHarness, type Harness, type HttpCall } from '../support/harness.js';
import { createIsolatedApp, type IsolatedApp } from '../support/isolated-app.js';

/**
 * Checkpoints anchored outside the database, against a superuser who rewrites an old entry and then
 * recomputes every later hash and checkpoint, so that the chain verifies inside the database again.
 * Each test has a database of its own: the run's shared chain must keep verifying.
 */
const repoRoot = path.resolve(import.meta.dirname, '../..');
let harness: Harness;
const opened: IsolatedApp[] = [];
const folders: string[] = [];

beforeAll(async () => {
  harness = await createHarness();
});
afterAll(async () => {
  for (const app of opened) await app.close();
  await harness?.close();
  for (const folder of folders) fs.rmSync(folder, { recursive: true, force: true });
});

async function anchoredApp() {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'rk-anchors-'));
  folders.push(folder);
  const { key, created } = loadOrCreateSigningKey(path.join(folder, 'key', 'audit-signing-key.pem'));
  expect(created).toBe(true);
  expect(fs.statSync(path.join(folder, 'key', 'audit-signing-key.pem')).mode & 0o777).toBe(0o600);
  const dir = path.join(folder, 'anchors');
  const app = await createIsolatedApp(harness, { auditAnchors: { dir, publicKeyPem: key.publicKeyPem } });
  opened.push(app);
  return { app, auditor: await app.as('auditor'), target: { dir, key } };
}

async function writeEntries(http: HttpCall, lookups: number): Promise<void> {
  for (let i = 0; i < lookups; i++) expect((await http('GET', `/v1/conversations/${randomUUID()}`)).status).toBe(404);
}

async function checkpointAndAnchor(app: IsolatedApp, auditor: HttpCall, target: Parameters<typeof anchorCheckpoints>[1]) {
  expect((await auditor('POST', '/v1/audit/checkpoints')).status).toBe(201);
  return anchorCheckpoints(app.db, target);
}

const verify = async (http: HttpCall) => {
  const answer = await http('GET', '/v1/audit/verify');
  expect(answer.status, JSON.stringify(answer.body)).toBe(200);
  return answer.body;
};

/** A superuser's thorough rewrite: edit entry `seq`, re-hash it and every later entry, move the head and the checkpoints along. */
async function rewriteAndRechain(app: IsolatedApp, seq: number): Promise<void> {
  await app.db.transaction(async (tx) => {
    await tx.execute(sql.raw('alter table audit_log disable trigger audit_log_append_only'));
    await tx.execute(sql.raw('alter table audit_checkpoints disable trigger user'));
    await tx.execute(sql.raw(`update audit_log set description = 'nothing happened here' where chain_seq = ${seq}`));
    await tx.execute(
      sql.raw(`do $$
        declare r record; previous text;
        begin
          select hash into previous from audit_log where chain_seq = ${seq - 1};
          for r in select chain_seq from audit_log where chain_seq >= ${seq} order by chain_seq loop
            update audit_log set prev_hash = previous where chain_seq = r.chain_seq;
            update audit_log e set hash = audit_entry_digest(e.prev_hash, e) where chain_seq = r.chain_seq returning hash into previous;
          end loop;
          update audit_chain_head set hash = previous where id = 1;
          update audit_checkpoints c set hash = (select hash from audit_log e where e.chain_seq = c.chain_seq);
        end $$`),
    );
    await tx.execute(sql.raw('alter table audit_checkpoints enable trigger user'));
    await tx.execute(sql.raw('alter table audit_log enable trigger audit_log_append_only'));
  });
}

function offlineVerify(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/audit-verify.ts', ...args], { cwd: repoRoot, env: { ...process.env, LOG_LEVEL: 'warn' }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve) => child.once('exit', (code) => resolve({ code, stdout, stderr })));
}

describe('audit checkpoints anchored outside the database', () => {
  it('names the entry a superuser rewrote and re-chained, which the database alone can no longer see', async () => {
    const { app, auditor, target } = await anchoredApp();
    await writeEntries(auditor, 4);
    expect((await checkpointAndAnchor(app, auditor, target)).written).toBe(1);
    await writeEntries(auditor, 3);
    const second = await checkpointAndAnchor(app, auditor, target);
    expect(second.written).toBe(1);
    // Anchoring again writes nothing: each anchor is written once.
    expect((await anchorCheckpoints(app.db, target)).written).toBe(0);
    expect(fs.existsSync(path.join(target.dir, ANCHOR_PUBLIC_KEY_FILE))).toBe(true);

    const before = await verify(auditor);
    expect(before).toMatchObject({ verified: true, anchors: { verified: true, anchors: 2, anchoredTo: second.anchoredTo, problems: [] } });

    const rewritten = 3;
    const [original] = await queryRows<{ id: string }>(app.db, sql`select id::text from audit_log where chain_seq = ${rewritten}`);
    await rewriteAndRechain(app, rewritten);

    const after = await verify(auditor);
    // Inside the database everything is consistent again: chain, head and checkpoints agree.
    expect(after.firstBreak).toBeUndefined();
    expect(after.verified).toBe(false);
    expect(after.anchors).toMatchObject({ verified: false, firstDisagreement: { chainSeq: rewritten, id: original!.id, reason: 'anchored-hash-mismatch', anchorFile: expect.stringMatching(/^\d{20}\.json$/) } });

    if (!app.url) return; // The offline command needs a database another process can open.
    const offline = await offlineVerify(['--checkpoints', target.dir, '--key-id', target.key.keyId, '--database-url', app.url]);
    expect(offline.code, offline.stderr).toBe(1);
    expect(offline.stderr).toContain(`NOT VERIFIED: entry ${rewritten} (${original!.id}) disagrees: anchored-hash-mismatch`);
    const wrongKey = await offlineVerify(['--checkpoints', target.dir, '--key-id', 'f'.repeat(64), '--database-url', app.url]);
    expect(wrongKey.code).toBe(1);
    expect(wrongKey.stderr).toContain('refusing to trust it');
  }, 120_000);

  it('recomputes every hash itself offline, so a digest function the superuser replaced does not help', async () => {
    const { app, auditor, target } = await anchoredApp();
    await writeEntries(auditor, 4);
    await checkpointAndAnchor(app, auditor, target);
    if (!app.url) return;
    const clean = await offlineVerify(['--checkpoints', target.dir, '--key-id', target.key.keyId, '--database-url', app.url]);
    expect(clean.code, clean.stderr).toBe(0);
    expect(clean.stderr).toMatch(/^VERIFIED: \d+ entries recomputed, 1 anchors up to entry \d+ match\.$/m);

    // A digest that ignores descriptions: edits of a description no longer change any hash the database computes.
    await app.db.transaction(async (tx) => {
      await tx.execute(
        sql.raw(`create or replace function audit_entry_digest(prev_hash text, e audit_log) returns text language sql immutable as $$
          select encode(sha256(convert_to(concat_ws(E'\\x1f', prev_hash, e.chain_seq::text, e.activity), 'UTF8')), 'hex') $$`),
      );
    });
    await writeEntries(auditor, 2);
    const beyondAnchors = Number((await queryRows<{ s: string }>(app.db, sql`select max(chain_seq)::text as s from audit_log`))[0]!.s);
    const offline = await offlineVerify(['--checkpoints', target.dir, '--key-id', target.key.keyId, '--database-url', app.url]);
    expect(offline.code).toBe(1);
    const verdict = JSON.parse(offline.stdout);
    expect(verdict.firstDisagreement).toMatchObject({ reason: 'recomputed-hash-mismatch', anchorFile: null });
    expect(verdict.firstDisagreement.chainSeq).toBeLessThanOrEqual(beyondAnchors);
  }, 120_000);

  it('refuses an anchor file changed after it was signed, and one that went missing', async () => {
    const { app, auditor, target } = await anchoredApp();
    await writeEntries(auditor, 2);
    await checkpointAndAnchor(app, auditor, target);
    await writeEntries(auditor, 2);
    await checkpointAndAnchor(app, auditor, target);
    const files = fs.readdirSync(target.dir).filter((name) => name.endsWith('.json')).sort();
    expect(files).toHaveLength(2);
    const first = path.join(target.dir, files[0]!);
    const anchor = JSON.parse(fs.readFileSync(first, 'utf8'));
    anchor.body.hash = 'f'.repeat(64);
    fs.chmodSync(first, 0o644);
    fs.writeFileSync(first, JSON.stringify(anchor));
    const changed = await verify(auditor);
    expect(changed.verified).toBe(false);
    expect(changed.anchors.problems[0]).toEqual({ file: files[0], problem: 'signature does not verify: the file was changed after it was signed' });
    // Without the first anchor, the second no longer continues from anything known: neither judges the log.
    expect(changed.anchors.problems[1]).toEqual({ file: files[1], problem: expect.stringContaining('an anchor is missing or was added') });
    expect(changed.anchors.anchors).toBe(0);

    fs.rmSync(first);
    const missing = await verify(auditor);
    expect(missing.anchors.problems).toEqual([{ file: files[1], problem: expect.stringContaining('an anchor is missing or was added') }]);
  }, 120_000);
});
