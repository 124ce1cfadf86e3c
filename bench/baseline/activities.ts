import type pg from 'pg';
import { BASELINE_TABLE, type BaselineRecord } from './contract.js';

export function createBaselineActivities(pool: pg.Pool) {
  return {
    /** One INSERT, idempotent as the engine's activities are. */
    async storeBaselineRecord(input: BaselineRecord): Promise<{ stored: boolean }> {
      const result = await pool.query(`insert into ${BASELINE_TABLE} (key, record) values ($1, $2) on conflict (key) do nothing`, [input.key, input.record]);
      return { stored: result.rowCount === 1 };
    },
  };
}

export type BaselineActivities = ReturnType<typeof createBaselineActivities>;

export async function createBaselineTable(pool: pg.Pool): Promise<void> {
  await pool.query(`create table if not exists ${BASELINE_TABLE} (key text primary key, record jsonb not null, stored_at timestamptz not null default now())`);
}
