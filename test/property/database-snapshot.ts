import { sql } from 'drizzle-orm';
import { inject } from 'vitest';
import type { DatabaseHandle } from '../../src/db/client.js';
import { queryRows } from '../../src/db/query-rows.js';
import { createHarness, type Harness } from '../support/harness.js';
import { createScratchDatabase } from '../support/scratch-database.js';

type Db = DatabaseHandle['db'];

/**
 * Tables a refused request writes to by design: the audit history of the refusal itself (and the chain
 * state that goes with it). Everything else must be exactly as it was.
 */
export const REFUSAL_WRITES = new Set(['audit_log', 'audit_chain_head', '__drizzle_migrations']);

/** Bookkeeping columns any authenticated request touches, refused or not: when a token was last used. */
const REQUEST_BOOKKEEPING_COLUMNS: Record<string, string[]> = { api_tokens: ['last_used_at'] };

/** Row count and a digest of every row, per table of the public schema. */
export type DatabaseSnapshot = Record<string, { rows: number; digest: string }>;

let tableNames: string[] | undefined;

export async function snapshotDatabase(db: Db): Promise<DatabaseSnapshot> {
  tableNames ??= (await queryRows<{ table_name: string }>(db, sql`select table_name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE' order by table_name`))
    .map((row) => row.table_name)
    .filter((name) => !REFUSAL_WRITES.has(name));
  const perTable = tableNames.map((name) => {
    const row = sql.join([sql`to_jsonb(t)`, ...(REQUEST_BOOKKEEPING_COLUMNS[name] ?? []).map((column) => sql`${column}::text`)], sql` - `);
    return sql`select ${name}::text as name, count(*)::int as rows, coalesce(md5(string_agg(md5((${row})::text), '' order by md5((${row})::text))), '') as digest from ${sql.identifier(name)} t`;
  });
  const rows = await queryRows<{ name: string; rows: number; digest: string }>(db, sql.join(perTable, sql` union all `));
  return Object.fromEntries(rows.map((row) => [row.name, { rows: row.rows, digest: row.digest }]));
}

/** The tables whose rows differ between two snapshots. */
export function changedTables(before: DatabaseSnapshot, after: DatabaseSnapshot): string[] {
  return Object.keys({ ...before, ...after }).filter((name) => before[name]?.digest !== after[name]?.digest || before[name]?.rows !== after[name]?.rows);
}

/**
 * Waits until nothing writes any more (no change for two seconds): an accepted request may leave a
 * workflow writing for a while (a search hold placing its pages), which must not be blamed on the next,
 * refused, request.
 */
export async function settledSnapshot(db: Db, deadlineMs = 120_000): Promise<DatabaseSnapshot> {
  const deadline = Date.now() + deadlineMs;
  let previous = await snapshotDatabase(db);
  let quietSince = Date.now();
  for (;;) {
    await new Promise((resolve) => setTimeout(resolve, 500));
    const current = await snapshotDatabase(db);
    const changed = changedTables(previous, current);
    if (changed.length > 0) quietSince = Date.now();
    else if (Date.now() - quietSince >= 2_000) return current;
    if (Date.now() > deadline) throw new Error(`the database never settled; still changing: ${changed.join(', ')}`);
    previous = current;
  }
}

/**
 * A harness on a database of this test file's own, so that other test files writing to the run's database
 * never show up in a snapshot (on the PGlite fallback every file has its own database anyway).
 */
export async function createHarnessWithOwnDatabase(label: string): Promise<Harness> {
  const serverUrl = inject('databaseUrl');
  if (!serverUrl) return createHarness();
  const scratch = await createScratchDatabase(serverUrl, label, 6);
  const harness = await createHarness({ database: scratch.handle });
  return {
    ...harness,
    async close() {
      await harness.close();
      await scratch.drop();
    },
  };
}
