import { sql } from 'drizzle-orm';
import type { Executor } from '../../db/client.js';
import type { ChainBreak } from './verify-chain.js';
import { queryRows } from '../../db/query-rows.js';

interface CheckpointRow {
  chain_seq: string;
  entry_id: string | null;
  expected: string;
  actual: string | null;
}

/**
 * Compares every checkpoint at or after `from` (and up to `to`, when given) and the chain head with the
 * log. A checkpoint beyond the log's end, or one whose entry now has another hash, means the tail was cut
 * off or rewritten, even when what is left still chains correctly.
 */
export async function firstCheckpointBreak(executor: Executor, from: number, to: number | undefined): Promise<{ checked: number; firstBreak?: ChainBreak }> {
  const upTo = to === undefined ? sql`true` : sql`c.chain_seq <= ${to}`;
  const marks = sql`(
    select chain_seq, hash from audit_checkpoints
    union all
    select chain_seq, hash from audit_chain_head where id = 1 and chain_seq > 0
  )`;
  const [counted] = await queryRows<{ checked: string }>(executor, sql`select count(*)::text as checked from ${marks} c where c.chain_seq >= ${from} and ${upTo}`);
  const [row] = await queryRows<CheckpointRow>(
    executor,
    sql`
      select c.chain_seq::text, e.id::text as entry_id, c.hash as expected, e.hash as actual
      from ${marks} c
      left join audit_log e on e.chain_seq = c.chain_seq
      where c.chain_seq >= ${from} and ${upTo} and e.hash is distinct from c.hash
      order by c.chain_seq
      limit 1`,
  );
  const checked = Number(counted?.checked ?? 0);
  if (!row) return { checked };
  return {
    checked,
    firstBreak: { chainSeq: Number(row.chain_seq), id: row.entry_id, reason: 'checkpoint-mismatch', expected: row.expected, actual: row.actual ?? 'missing' },
  };
}
