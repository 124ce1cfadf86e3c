import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import v8 from 'node:v8';
import vm from 'node:vm';
import type pg from 'pg';
import { runExport } from '../src/exports/export-run.js';
import { count, type BenchRow } from './measure.js';
import { createScratchDatabase } from '../test/support/scratch-database.js';

const SMALL = 'bench-small';
const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;

/**
 * `conversations` rows in one INSERT … SELECT generate_series: the first tenth in queue bench-small (the
 * small export), every seventh agent name needing CSV quoting, every tenth conversation tagged.
 */
export async function seedConversations(pool: pg.Pool, conversations: number): Promise<void> {
  await pool.query(
    `insert into conversations (id, source, external_key, channel, started_at, ended_at, agent_username, queue_name, customer_address, workflow_id)
     select md5('conversation' || c)::uuid, 'bench', 'c-' || c, case when c % 3 = 0 then 'CHAT' else 'VOICE' end,
       timestamptz '2026-01-01' + c * interval '17 seconds', timestamptz '2026-01-01' + c * interval '17 seconds' + (c % 600) * interval '1 second',
       case when c % 7 = 0 then 'Agent "' || (c % 200) || '", desk' else 'agent-' || (c % 200) end,
       case when c < $1::int / 10 then '${SMALL}' else 'queue-' || (c % 20) end, '+4412345' || c, 'bench-' || c
     from generate_series(0, $1::int - 1) c`,
    [conversations],
  );
  await pool.query(
    `insert into conversation_tags (conversation_id, segment_index, name, source, applied_at)
     select md5('conversation' || c)::uuid, 0, 'MIFID_ADVICE', 'bench', now() from generate_series(0, $1::int - 1, 10) c`,
    [conversations],
  );
  await pool.query('vacuum analyze');
}

interface MemorySample {
  rss: number;
  /** The heap still in use right after a full collection: what the run keeps, not what it has not freed yet. */
  liveHeap: number;
}

// A full collection on demand, so the samples measure what is retained rather than when V8 chose to collect.
v8.setFlagsFromString('--expose-gc');
const collect = vm.runInNewContext('gc') as () => void;

const sample = (): MemorySample => {
  collect();
  const { rss, heapUsed } = process.memoryUsage();
  return { rss, liveHeap: heapUsed };
};

/** Runs `work` while sampling memory every second (a full collection each: sampling more often would slow the run it measures). */
async function sampled<T>(work: () => Promise<T>): Promise<{ value: T; seconds: number; before: MemorySample; peak: MemorySample }> {
  const before = sample();
  const peak = { ...before };
  const timer = setInterval(() => {
    const now = sample();
    peak.rss = Math.max(peak.rss, now.rss);
    peak.liveHeap = Math.max(peak.liveHeap, now.liveHeap);
  }, 1000);
  const started = performance.now();
  try {
    const value = await work();
    return { value, seconds: (performance.now() - started) / 1000, before, peak };
  } finally {
    clearInterval(timer);
  }
}

export async function exportBenchmark(options: { serverUrl: string; conversations: number; log: (line: string) => void }): Promise<BenchRow[]> {
  const scratch = await createScratchDatabase(options.serverUrl, 'exports');
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'recordkeeper-bench-exports-'));
  const bench = `data export, ${count(options.conversations)} conversations`;
  const rows: BenchRow[] = [];
  try {
    const { db } = scratch.handle;
    const pool = (scratch.handle as { pool: pg.Pool }).pool;
    const seedStarted = performance.now();
    await seedConversations(pool, options.conversations);
    rows.push({ benchmark: bench, measure: 'seed (one INSERT … SELECT)', value: `${((performance.now() - seedStarted) / 1000).toFixed(1)} s` });
    options.log(`exports: ${count(options.conversations)} conversations seeded`);

    const ownerId = randomUUID();
    await pool.query(`insert into users (id, username, full_name, roles) values ($1, 'bench-owner', 'Bench owner', array['cc-manager'])`, [ownerId]);
    const cases: [string, Record<string, unknown>][] = [
      [`queue ${SMALL} (a tenth)`, { queue: SMALL }],
      ['every conversation', {}],
    ];
    const growth: number[] = [];
    for (const [label, filters] of cases) {
      const exportId = randomUUID();
      await pool.query(`insert into data_exports (id, name, source, filters, time_zone, owner_id) values ($1, $2, 'conversations', $3::jsonb, 'Europe/Berlin', $4)`, [exportId, label, JSON.stringify(filters), ownerId]);
      const run = await sampled(() =>
        runExport(db, { root, attachmentMaxBytes: 0 }, {
          exportId, trigger: 'manual', scheduledFor: null, requestedBy: 'bench',
          actor: { type: 'system', id: 'bench', username: 'bench', fullName: 'Benchmark' }, correlationId: `bench-${exportId}`,
        }),
      );
      const heapGrowth = run.peak.liveHeap - run.before.liveHeap;
      growth.push(heapGrowth);
      rows.push({
        benchmark: bench,
        measure: `export ${label}`,
        value: `${count(run.value.rowCount / run.seconds)} rows/s`,
        note: `${count(run.value.rowCount)} rows in ${run.seconds.toFixed(1)} s, file ${mib(run.value.sizeBytes)}; peak live heap +${mib(heapGrowth)}, peak RSS ${mib(run.peak.rss)} (+${mib(run.peak.rss - run.before.rss)})`,
      });
      options.log(`exports: ${label} done`);
    }
    rows.push({
      benchmark: bench,
      measure: 'memory: live heap growth, all vs a tenth of the rows',
      value: `${(growth[1]! / Math.max(growth[0]!, 1)).toFixed(2)}×`,
      note: `${mib(growth[1]!)} vs ${mib(growth[0]!)}: flat when near 1× (one 5,000-row batch in memory at a time), not 10×`,
    });
    return rows;
  } finally {
    await scratch.drop();
    fs.rmSync(root, { recursive: true, force: true });
  }
}

// `npx tsx bench/exports.ts [conversations]` runs it on its own; bench/run.ts runs it with the others.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { parseConfig } = await import('../src/config.js');
  const { printTable } = await import('./measure.js');
  const config = parseConfig(process.env);
  const conversations = Number(process.argv[2] ?? 1_000_000);
  printTable(await exportBenchmark({ serverUrl: config.testPostgresUrl, conversations, log: (line) => process.stderr.write(`[bench] ${line}\n`) }));
}
