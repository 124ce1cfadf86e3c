import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import { finishSearchHoldRun, placeSearchHoldRunPage, startSearchHoldRun } from '../src/legal-holds/search-hold-runs.js';
import { SEARCH_HOLD_RUN_DEFAULTS } from '../src/workflows/search-hold-run.contract.js';
import { count, type BenchRow } from './measure.js';
import { createScratchDatabase } from '../test/support/scratch-database.js';

/**
 * A legal hold over a large search, the database work of its run (searchHoldRun's activities, called one
 * after the other without Temporal): search pages, row locks, the holds, their audit entries and the run's
 * progress, one transaction per page. The request itself only records the run; the lifecycles are told after.
 */
export async function searchHoldBenchmark(options: { serverUrl: string; conversations: number; log: (line: string) => void }): Promise<BenchRow[]> {
  const scratch = await createScratchDatabase(options.serverUrl, 'hold');
  try {
    const pool = (scratch.handle as { pool: pg.Pool }).pool;
    // Half the store matches the search, so the holds are placed amid conversations they must skip.
    await pool.query(
      `insert into conversations (id, source, external_key, channel, started_at, attributes, workflow_id)
       select gen_random_uuid(), 'bench', 'c-' || g, 'VOICE', now() - g * interval '1 minute',
              jsonb_build_object('matter', case when g % 2 = 0 then 'M-1' else 'M-2' end), 'bench-' || g
       from generate_series(1, $1::int) g`,
      [options.conversations * 2],
    );
    await pool.query('analyze conversations');
    options.log(`search hold: ${count(options.conversations * 2)} conversations seeded`);
    const actor = { type: 'user' as const, id: 'bench', username: 'bench', fullName: 'Bench' };
    const holdGroupId = randomUUID();
    const started = performance.now();
    const filters = { attributes: { matter: 'M-1' } };
    await startSearchHoldRun(scratch.handle.db, { holdGroupId, filters, scope: { holdGroupId, query: filters }, reason: 'bench', reference: null, context: { actor, correlationId: 'bench' } });
    for (let pageIndex = 0; ; pageIndex += 1) {
      const page = await placeSearchHoldRunPage(scratch.handle.db, { holdGroupId, pageIndex, limit: SEARCH_HOLD_RUN_DEFAULTS.pageSize });
      if (page.done) break;
    }
    const outcome = await finishSearchHoldRun(scratch.handle.db, { holdGroupId, failure: null });
    const seconds = (performance.now() - started) / 1000;
    return [
      {
        benchmark: `search hold, ${count(options.conversations)} of ${count(options.conversations * 2)} conversations`,
        measure: 'holds placed (run time, database work)',
        value: `${seconds.toFixed(1)} s, ${count(outcome.held / seconds)} holds/s`,
        note: `${count(outcome.matched)} matched, ${count(outcome.held)} held, audited one entry each`,
      },
    ];
  } finally {
    await scratch.drop();
  }
}
