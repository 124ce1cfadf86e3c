import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import { appendAudit, syncEntry } from '../src/audit/write/audit-writer.js';
import { auditSearchQuery, fetchAuditPage } from '../src/audit/read/search-query.js';
import { DEFAULT_PERIOD_MS, type AuditCursor, type AuditSearchFilters } from '../src/audit/read/search-filters.js';
import { verifyAuditChain } from '../src/audit/read/verify-chain.js';
import type { Database } from '../src/db/client.js';
import { ACTIVITIES } from '../src/domain/audit-catalogue.js';
import { mapWithConcurrency } from '../src/lib/concurrency.js';
import { count, latency, ms, type BenchRow } from './measure.js';
import { createScratchDatabase } from '../test/support/scratch-database.js';

const USERS = 2_000;
const SEED_BATCH = 250_000;
const PAGE = 50;

/**
 * Fills audit_log with `entries` rows spread over the past year, the shape of a busy contact center's
 * history. The bulk is written with triggers off (session_replication_role = replica), as a restore would:
 * the chain trigger costs a row lock per entry and is measured on its own below.
 */
export async function seed(pool: pg.Pool, entries: number, log: (line: string) => void): Promise<void> {
  const activities = [...ACTIVITIES.keys()];
  for (let first = 1; first <= entries; first += SEED_BATCH) {
    const last = Math.min(entries, first + SEED_BATCH - 1);
    const client = await pool.connect();
    try {
      await client.query('begin');
      await client.query('set local session_replication_role = replica');
      await client.query(
        `insert into audit_log (chain_seq, occurred_at, module, activity, phase, result, actor_type, actor_id, actor_username,
           actor_full_name, description, details, correlation_id, conversation_id, prev_hash, hash)
         select g,
           now() - interval '1 minute' - interval '365 days' * (($2::int - g)::float8 / $2::int),
           'Bench', a.activity,
           case when g % 20 = 0 then 'BEGIN' else 'SYNC' end,
           case when g % 20 = 0 then null when g % 100 < 3 then 'UNAUTHORIZED' when g % 100 < 10 then 'FAIL' else 'OK' end,
           'user', 'user-' || (g * 31 % ${USERS}), 'user' || (g * 31 % ${USERS}), 'User ' || (g * 31 % ${USERS}),
           'Bench entry ' || g, '{}'::jsonb, md5('c' || (g / 2)),
           case when g % 5 < 3 then md5((g / 6)::text)::uuid end, '', ''
         from generate_series($1::bigint, $3::bigint) g
         cross join lateral (select ($4::text[])[(1 + (g * 7919) % array_length($4::text[], 1))::int] as activity) a`,
        [first, entries, last, activities],
      );
      await client.query('commit');
    } catch (error) {
      await client.query('rollback');
      throw error;
    } finally {
      client.release();
    }
    log(`audit: seeded ${count(last)} of ${count(entries)} entries`);
  }
  // The live chain continues from the last seeded row (whose hash is empty: it was written without the trigger).
  await pool.query(`update audit_chain_head set chain_seq = $1, hash = ''`, [entries]);
  await pool.query('analyze audit_log');
}

async function planOf(pool: pg.Pool, db: Database, filters: AuditSearchFilters, cursor?: AuditCursor): Promise<string> {
  const query = auditSearchQuery(db, filters, { cursor, limit: PAGE + 1 }).toSQL();
  const { rows } = await pool.query(`explain (format json) ${query.sql}`, query.params);
  const indexes = new Set<string>();
  const sorts: string[] = [];
  const visit = (node: Record<string, unknown>) => {
    if (typeof node['Index Name'] === 'string') indexes.add(node['Index Name']);
    if (node['Node Type'] === 'Sort') sorts.push('sort');
    for (const child of (node.Plans as Record<string, unknown>[] | undefined) ?? []) visit(child);
  };
  visit((rows[0]['QUERY PLAN'] as { Plan: Record<string, unknown> }[])[0]!.Plan);
  return [...indexes].join(' + ') + (sorts.length > 0 ? ' (then sort)' : '') || 'seq scan';
}

async function appendThroughput(db: Database, writers: number, batches: number, batchSize: number): Promise<number> {
  const actor = { type: 'user' as const, id: 'bench', username: 'bench', fullName: 'Bench' };
  const started = performance.now();
  await mapWithConcurrency([...Array(writers).keys()], writers, async (writer) => {
    for (let batch = 0; batch < batches; batch += 1) {
      const correlationId = randomUUID();
      await appendAudit(
        db,
        Array.from({ length: batchSize }, (_, i) =>
          syncEntry({ activity: 'LEGAL_HOLD_ADD', result: 'OK', actor, description: `writer ${writer} batch ${batch} entry ${i}`, correlationId }),
        ),
      );
    }
  });
  return (writers * batches * batchSize) / ((performance.now() - started) / 1000);
}

export async function auditBenchmark(options: { serverUrl: string; entries: number; log: (line: string) => void }): Promise<BenchRow[]> {
  const scratch = await createScratchDatabase(options.serverUrl, 'audit');
  const rows: BenchRow[] = [];
  const bench = `audit log, ${count(options.entries)} entries`;
  try {
    const { db } = scratch.handle;
    const pool = (scratch.handle as { pool: pg.Pool }).pool;
    const seedStarted = performance.now();
    await seed(pool, options.entries, options.log);
    rows.push({ benchmark: bench, measure: 'bulk seed (triggers off)', value: `${((performance.now() - seedStarted) / 1000).toFixed(1)} s` });

    const oneBatch = await appendThroughput(db, 1, 20, 500);
    rows.push({ benchmark: bench, measure: 'chained append, 1 writer', value: `${count(oneBatch)} entries/s`, note: 'batches of 500, hash chain trigger' });
    const parallel = await appendThroughput(db, 16, 50, 10);
    rows.push({ benchmark: bench, measure: 'chained append, 16 writers', value: `${count(parallel)} entries/s`, note: 'batches of 10, one chain head lock' });

    const appended = 20 * 500 + 16 * 50 * 10;
    let verification: Awaited<ReturnType<typeof verifyAuditChain>> | undefined;
    const verifyTime = await latency(1, async () => {
      verification = await verifyAuditChain(db, { fromSeq: options.entries + 1 });
    });
    rows.push({
      benchmark: bench,
      measure: `verify chain, ${count(appended)} entries`,
      value: ms(verifyTime.p50),
      note: verification?.verified ? 'verified, no break' : `BROKEN at ${verification?.firstBreak?.chainSeq ?? '?'}`,
    });

    const now = new Date();
    const lastTenDays: AuditSearchFilters = { from: new Date(now.getTime() - DEFAULT_PERIOD_MS), to: now, activities: [] };
    const lastYear: AuditSearchFilters = { ...lastTenDays, from: new Date(now.getTime() - 366 * 24 * 3600 * 1000) };
    const [sample] = (await pool.query(`select conversation_id::text as id from audit_log where conversation_id is not null order by chain_seq desc limit 1 offset 5000`)).rows;
    const cases: [string, AuditSearchFilters][] = [
      ['last 10 days, no filter', lastTenDays],
      ['last 10 days, one activity', { ...lastTenDays, activities: ['CONVERSATION_EVENT_TAG_ADD'] }],
      ['last 10 days, one user', { ...lastTenDays, user: 'user1234' }],
      ['last 10 days, result FAIL', { ...lastTenDays, result: 'FAIL' }],
      ['past year, UNAUTHORIZED', { ...lastYear, result: 'UNAUTHORIZED' }],
      ['past year, one user + activity', { ...lastYear, user: 'user-77', activities: ['CONVERSATION_SEARCH', 'CONVERSATION_EVENT_TAG_ADD'] }],
      ['one conversation, past year', { ...lastYear, conversationId: sample.id as string }],
    ];
    for (const [label, filters] of cases) {
      const timing = await latency(30, () => fetchAuditPage(db, filters, { limit: PAGE }));
      rows.push({ benchmark: bench, measure: `search: ${label}`, value: `p50 ${ms(timing.p50)}, p95 ${ms(timing.p95)}`, note: await planOf(pool, db, filters) });
    }

    // Keyset pagination: page 200 costs what page 1 costs.
    let cursor: AuditCursor | undefined;
    for (let page = 0; page < 199; page += 1) cursor = (await fetchAuditPage(db, lastYear, { cursor, limit: PAGE })).nextCursor ?? undefined;
    const deep = await latency(30, () => fetchAuditPage(db, lastYear, { cursor, limit: PAGE }));
    rows.push({ benchmark: bench, measure: 'search: page 200 (keyset)', value: `p50 ${ms(deep.p50)}, p95 ${ms(deep.p95)}`, note: await planOf(pool, db, lastYear, cursor) });
    return rows;
  } finally {
    await scratch.drop();
  }
}
