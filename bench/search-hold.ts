import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import { placeSearchHold } from '../src/legal-holds/search-holds.js';
import { count, type BenchRow } from './measure.js';
import { createScratchDatabase } from '../test/support/scratch-database.js';

/**
 * A legal hold over a large search, the part the admin's request waits for: search pages, row locks, the
 * holds and their audit entries, one transaction per page. (Telling the lifecycles runs in the background.)
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
    const outcome = await placeSearchHold(scratch.handle.db, {
      filters: { attributes: { matter: 'M-1' } },
      holdGroupId,
      reason: 'bench',
      reference: null,
      scope: { holdGroupId },
      context: { actor, correlationId: 'bench' },
    });
    const seconds = (performance.now() - started) / 1000;
    return [
      {
        benchmark: `search hold, ${count(options.conversations)} of ${count(options.conversations * 2)} conversations`,
        measure: 'holds placed (request time)',
        value: `${seconds.toFixed(1)} s, ${count(outcome.held / seconds)} holds/s`,
        note: `${count(outcome.matched)} matched, ${count(outcome.held)} held, audited one entry each`,
      },
    ];
  } finally {
    await scratch.drop();
  }
}
