import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../src/db/query-rows.js';
import type { HttpCall } from '../support/harness.js';
import { createHarness, type Harness } from '../support/harness.js';
import { createIsolatedApp, type IsolatedApp } from '../support/isolated-app.js';

/**
 * Tampering as a database superuser would: each test breaks the chain of a database of its own, so the
 * run's shared chain keeps verifying for every other test file.
 */
let harness: Harness;
const opened: IsolatedApp[] = [];

beforeAll(async () => {
  harness = await createHarness();
});
afterAll(async () => {
  for (const app of opened) await app.close();
  await harness?.close();
});

async function isolated(): Promise<{ app: IsolatedApp; auditor: HttpCall }> {
  const app = await createIsolatedApp(harness);
  opened.push(app);
  return { app, auditor: await app.as('auditor') };
}

/** Real requests that write audit entries: lookups of unknown conversations (CONVERSATION_BY_ID BEGIN and END FAIL). */
async function writeEntries(http: HttpCall, lookups: number): Promise<void> {
  for (let i = 0; i < lookups; i++) expect((await http('GET', `/v1/conversations/${randomUUID()}`)).status).toBe(404);
}

async function entryAt(app: IsolatedApp, chainSeq: number) {
  const [row] = await queryRows<{ id: string; hash: string }>(app.db, sql`select id::text, hash from audit_log where chain_seq = ${chainSeq}`);
  return row!;
}

async function head(app: IsolatedApp): Promise<number> {
  const [row] = await queryRows<{ chain_seq: string }>(app.db, sql`select chain_seq::text from audit_chain_head`);
  return Number(row!.chain_seq);
}

/** What a superuser can do: switch the guard off, change the log, switch it back on. */
async function asSuperuser(app: IsolatedApp, statements: string[]): Promise<void> {
  await app.db.transaction(async (tx) => {
    await tx.execute(sql.raw('alter table audit_log disable trigger audit_log_append_only'));
    for (const statement of statements) await tx.execute(sql.raw(statement));
    await tx.execute(sql.raw('alter table audit_log enable trigger audit_log_append_only'));
  });
}

/** The database's own message (drizzle wraps it as the cause of its "Failed query" error). */
async function databaseError(statement: Promise<unknown>): Promise<string> {
  try {
    await statement;
  } catch (error) {
    return [error, (error as { cause?: unknown }).cause].map((e) => (e instanceof Error ? e.message : '')).join(' | ');
  }
  return 'no error: the statement succeeded';
}

const verify = async (http: HttpCall, query = '') => {
  const answer = await http('GET', `/v1/audit/verify${query}`);
  expect(answer.status, JSON.stringify(answer.body)).toBe(200);
  return answer.body;
};

describe('tamper evidence', () => {
  it('refuses UPDATE, DELETE and TRUNCATE of audit entries and checkpoints while the guards are on', async () => {
    const { app, auditor } = await isolated();
    await writeEntries(auditor, 2);
    expect((await auditor('POST', '/v1/audit/checkpoints')).status).toBe(201);

    const refused = [
      "update audit_log set description = 'rewritten' where chain_seq = 1",
      'delete from audit_log where chain_seq = 1',
      'truncate audit_log',
      "update audit_checkpoints set hash = 'rewritten'",
      'delete from audit_checkpoints',
      'truncate audit_checkpoints',
      'delete from audit_chain_head',
    ];
    for (const statement of refused) {
      expect(await databaseError(app.db.execute(sql.raw(statement))), statement).toMatch(/is append-only: (UPDATE|DELETE|TRUNCATE) refused/);
    }
    // A checkpoint can only record a position the log really has.
    expect(await databaseError(app.db.execute(sql`insert into audit_checkpoints (chain_seq, hash) values (1, ${'f'.repeat(64)})`))).toMatch(
      /names no audit_log entry/,
    );
    expect(await verify(auditor)).toMatchObject({ verified: true });
  });

  it('verifies an untouched chain, over the whole chain and over a range', async () => {
    const { app, auditor } = await isolated();
    await writeEntries(auditor, 5);
    const whole = await verify(auditor);
    expect(whole).toMatchObject({ verified: true, checkedFrom: 1 });
    expect(whole.firstBreak).toBeUndefined();
    // The verify request's own BEGIN entry is part of the chain it verified.
    expect(whole.checkedTo).toBe(whole.entries);
    expect(whole.checkedTo).toBeLessThanOrEqual(await head(app));
    expect(await verify(auditor, '?fromSeq=3&toSeq=7')).toMatchObject({ verified: true, checkedFrom: 3, checkedTo: 7, entries: 5 });
    expect((await auditor('GET', '/v1/audit/verify?fromSeq=7&toSeq=3')).status).toBe(422);
  });

  it('points at the entry a superuser edited with the trigger disabled', async () => {
    const { app, auditor } = await isolated();
    await writeEntries(auditor, 5);
    const target = Math.floor((await head(app)) / 2);
    const edited = await entryAt(app, target);
    await asSuperuser(app, [`update audit_log set description = 'nothing happened here' where chain_seq = ${target}`]);

    const verdict = await verify(auditor);
    expect(verdict).toMatchObject({ verified: false, firstBreak: { chainSeq: target, id: edited.id, reason: 'hash-mismatch', actual: edited.hash } });
    expect(verdict.firstBreak.expected).not.toBe(edited.hash);
    // A range that ends before the edit still verifies; one that covers it does not.
    expect(await verify(auditor, `?toSeq=${target - 1}`)).toMatchObject({ verified: true });
    expect(await verify(auditor, `?fromSeq=${target}&toSeq=${target}`)).toMatchObject({ verified: false, firstBreak: { chainSeq: target } });
  });

  it('points at the next link when the edited entry was re-hashed with the canonical digest, and at a gap when one was removed', async () => {
    const { app, auditor } = await isolated();
    await writeEntries(auditor, 5);
    const target = Math.floor((await head(app)) / 2);
    await asSuperuser(app, [
      `update audit_log set description = 'nothing happened here' where chain_seq = ${target}`,
      `update audit_log e set hash = audit_entry_digest(e.prev_hash, e) where chain_seq = ${target}`,
    ]);
    expect(await verify(auditor)).toMatchObject({ verified: false, firstBreak: { chainSeq: target + 1, reason: 'prev-hash-mismatch' } });

    const { app: other, auditor: otherAuditor } = await isolated();
    await writeEntries(otherAuditor, 5);
    const removed = Math.floor((await head(other)) / 2);
    await asSuperuser(other, [`delete from audit_log where chain_seq = ${removed}`]);
    expect(await verify(otherAuditor)).toMatchObject({
      verified: false,
      firstBreak: { chainSeq: removed, id: null, reason: 'gap', expected: String(removed), actual: String(removed + 1) },
    });
  });

  it('detects a cut-off tail against the checkpoint, even when the chain head was rewound to hide it', async () => {
    const { app, auditor } = await isolated();
    await writeEntries(auditor, 3);
    const created = await auditor('POST', '/v1/audit/checkpoints');
    expect(created.status).toBe(201);
    const checkpoint = created.body;
    // The checkpoint covers its own AUDIT_CHECKPOINT entry.
    const [entry] = await queryRows<{ activity: string; hash: string }>(app.db, sql`select activity, hash from audit_log where chain_seq = ${checkpoint.chainSeq}`);
    expect(entry).toEqual({ activity: 'AUDIT_CHECKPOINT', hash: checkpoint.hash });
    await writeEntries(auditor, 2);
    expect(await verify(auditor)).toMatchObject({ verified: true, checkpoints: 2 });

    // Cut the tail from just before the checkpoint, and rewind the head so new entries chain on seamlessly.
    const keep = checkpoint.chainSeq - 2;
    const kept = await entryAt(app, keep);
    await asSuperuser(app, [`delete from audit_log where chain_seq > ${keep}`, `update audit_chain_head set chain_seq = ${keep}, hash = '${kept.hash}'`]);

    const verdict = await verify(auditor);
    expect(verdict).toMatchObject({ verified: false, firstBreak: { chainSeq: checkpoint.chainSeq, reason: 'checkpoint-mismatch', expected: checkpoint.hash } });
    // Whatever now sits at the checkpointed position (the next requests' entries) is not what was checkpointed.
    const later = await verify(auditor);
    expect(later).toMatchObject({ verified: false, firstBreak: { chainSeq: checkpoint.chainSeq, reason: 'checkpoint-mismatch', expected: checkpoint.hash } });
    expect(later.firstBreak.actual).not.toBe(checkpoint.hash);
  });

  it('reports a tail cut off without rewinding the head as a gap before the entries written since', async () => {
    const { app, auditor } = await isolated();
    await writeEntries(auditor, 3);
    const last = await head(app);
    await asSuperuser(app, [`delete from audit_log where chain_seq > ${last - 2}`]);
    // The verify request's own BEGIN entry continues from the untouched head, past the hole.
    expect(await verify(auditor)).toMatchObject({ verified: false, firstBreak: { chainSeq: last - 1, id: null, reason: 'gap', actual: String(last + 1) } });
  });
});
