import { sql } from 'drizzle-orm';
import type { Database, Executor } from '../../db/client.js';
import { firstCheckpointBreak } from './verify-checkpoints.js';
import { queryRows } from '../../db/query-rows.js';

export type ChainBreakReason = 'hash-mismatch' | 'prev-hash-mismatch' | 'gap' | 'checkpoint-mismatch';

export interface ChainBreak {
  chainSeq: number;
  /** The entry at that position; null when it is missing. */
  id: string | null;
  reason: ChainBreakReason;
  expected: string;
  actual: string;
}

export interface ChainVerification {
  verified: boolean;
  checkedFrom: number;
  checkedTo: number;
  entries: number;
  checkpoints: number;
  firstBreak?: ChainBreak;
}

/** The prev_hash of entry 1, as seeded into audit_chain_head by drizzle/0001_audit_chain.sql. */
const GENESIS_HASH = '0'.repeat(64);

interface BreakRow {
  chain_seq: string;
  id: string;
  reason: ChainBreakReason;
  expected: string;
  actual: string;
}

/**
 * The first entry in [from, to] whose link is broken, in one streaming pass over chain_seq: a missing
 * position, a prev_hash that is not the stored hash of the entry before, or a hash that
 * audit_entry_digest (the chain's one canonical digest) no longer reproduces. The entry before `from` is
 * read only to check the first link.
 */
async function firstLinkBreak(executor: Executor, from: number, to: number): Promise<ChainBreak | undefined> {
  const [row] = await queryRows<BreakRow>(
    executor,
    sql`
      select chain_seq::text, id::text, reason, expected, actual from (
        select chain_seq, id,
          case
            when coalesce(previous_seq + 1, ${from}) <> chain_seq then 'gap'
            when expected_prev_hash <> prev_hash then 'prev-hash-mismatch'
            when recomputed <> hash then 'hash-mismatch'
          end as reason,
          case
            when coalesce(previous_seq + 1, ${from}) <> chain_seq then coalesce(previous_seq + 1, ${from})::text
            when expected_prev_hash <> prev_hash then expected_prev_hash
            else recomputed
          end as expected,
          case
            when coalesce(previous_seq + 1, ${from}) <> chain_seq then chain_seq::text
            when expected_prev_hash <> prev_hash then prev_hash
            else hash
          end as actual
        from (
          select e.chain_seq, e.id, e.prev_hash, e.hash,
            audit_entry_digest(e.prev_hash, e) as recomputed,
            lag(e.chain_seq) over w as previous_seq,
            coalesce(lag(e.hash) over w, case when e.chain_seq = 1 then ${GENESIS_HASH} end) as expected_prev_hash
          from audit_log e
          where e.chain_seq between ${Math.max(from - 1, 1)} and ${to}
          window w as (order by e.chain_seq)
        ) linked
        where chain_seq >= ${from}
      ) checked
      where reason is not null
      order by chain_seq
      limit 1`,
  );
  if (!row) return undefined;
  // A gap is reported at the first missing position, where no entry exists.
  if (row.reason === 'gap') return { chainSeq: Number(row.expected), id: null, reason: 'gap', expected: row.expected, actual: row.actual };
  return { chainSeq: Number(row.chain_seq), id: row.id, reason: row.reason, expected: row.expected, actual: row.actual };
}

/** Entries cut off the end of a range that the chain continues past (the chain's own end is checked as a checkpoint). */
async function missingRangeEnd(executor: Executor, from: number, to: number): Promise<ChainBreak | undefined> {
  const [row] = await queryRows<{ last: string | null }>(executor, sql`select max(chain_seq)::text as last from audit_log where chain_seq between ${from} and ${to}`);
  const last = row?.last == null ? from - 1 : Number(row.last);
  if (last >= to) return undefined;
  return { chainSeq: last + 1, id: null, reason: 'gap', expected: String(last + 1), actual: 'missing' };
}

async function countEntries(executor: Executor, from: number, to: number): Promise<number> {
  const [row] = await queryRows<{ entries: string }>(executor, sql`select count(*)::text as entries from audit_log where chain_seq between ${from} and ${to}`);
  return Number(row?.entries ?? 0);
}

async function headSeq(executor: Executor): Promise<number> {
  const [row] = await queryRows<{ chain_seq: string }>(executor, sql`select chain_seq::text from audit_chain_head where id = 1`);
  return Number(row?.chain_seq ?? 0);
}

function earliest(...breaks: (ChainBreak | undefined)[]): ChainBreak | undefined {
  return breaks.reduce<ChainBreak | undefined>((first, next) => (next && (!first || next.chainSeq < first.chainSeq) ? next : first), undefined);
}

/**
 * Recomputes the chain over [fromSeq, toSeq] (default: the whole chain) and compares every checkpoint in
 * that range, and the chain head, with the log. All reads share one snapshot, so concurrent writers never
 * make an intact chain look broken.
 */
export async function verifyAuditChain(db: Database, range: { fromSeq?: number; toSeq?: number }): Promise<ChainVerification> {
  return db.transaction(
    async (tx) => {
      const head = await headSeq(tx);
      const from = range.fromSeq ?? 1;
      const to = Math.min(range.toSeq ?? head, head);
      const checkpoints = await firstCheckpointBreak(tx, from, range.toSeq);
      if (from > to) {
        const firstBreak = checkpoints.firstBreak;
        return { verified: !firstBreak, checkedFrom: from, checkedTo: to, entries: 0, checkpoints: checkpoints.checked, ...(firstBreak ? { firstBreak } : {}) };
      }
      const firstBreak = earliest(await firstLinkBreak(tx, from, to), to < head ? await missingRangeEnd(tx, from, to) : undefined, checkpoints.firstBreak);
      return {
        verified: !firstBreak,
        checkedFrom: from,
        checkedTo: to,
        entries: await countEntries(tx, from, to),
        checkpoints: checkpoints.checked,
        ...(firstBreak ? { firstBreak } : {}),
      };
    },
    { isolationLevel: 'repeatable read', accessMode: 'read only' },
  );
}
