import { createHash } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { Executor } from '../../db/client.js';
import { queryRows } from '../../db/query-rows.js';
import { ENTRY_HASH_PREFIX_CHARS } from './anchor-format.js';
import type { AnchorProblem, ReadAnchors } from './anchor-reader.js';

export type AnchorDisagreementReason = 'missing' | 'anchored-hash-mismatch' | 'recomputed-hash-mismatch' | 'prev-hash-mismatch';

export interface AnchorDisagreement {
  chainSeq: number;
  /** The entry now at that position; null when there is none. */
  id: string | null;
  reason: AnchorDisagreementReason;
  expected: string;
  actual: string;
  /** The anchor whose record the log no longer matches; null for a break found by recomputing. */
  anchorFile: string | null;
}

export interface AnchorVerification {
  verified: boolean;
  anchors: number;
  anchoredTo: number;
  latestAnchoredAt: string | null;
  /** Anchor files that could not be used (bad signature, other key, missing neighbour): never silently skipped. */
  problems: AnchorProblem[];
  /** Entries whose hash was recomputed outside the database (offline verification only). */
  recomputed: number;
  firstDisagreement?: AnchorDisagreement;
}

const GENESIS_HASH = '0'.repeat(64);
const PAGE = 10_000;

/**
 * Compares the log with anchors written outside the database. Whoever controls the database can rewrite
 * an entry and recompute every later hash and checkpoint, so the chain still verifies inside it; the
 * anchors' head hashes cannot be recomputed without the signing key. The first anchor the log no longer
 * matches is searched entry by entry to name the first entry that differs. With `recompute`, every
 * entry's hash is also recomputed here, not by the database's own digest function.
 */
export async function verifyAgainstAnchors(executor: Executor, read: ReadAnchors, options: { recompute: boolean }): Promise<AnchorVerification> {
  const { anchors } = read;
  const last = anchors.at(-1);
  const result: AnchorVerification = {
    verified: read.problems.length === 0,
    anchors: anchors.length,
    anchoredTo: last?.body.chainSeq ?? 0,
    latestAnchoredAt: last?.body.checkpointedAt ?? null,
    problems: read.problems,
    recomputed: 0,
  };
  const candidates: AnchorDisagreement[] = [];
  const anchored = await firstAnchoredDisagreement(executor, read);
  if (anchored) candidates.push(anchored);
  if (options.recompute) {
    const recomputed = await firstRecomputedBreak(executor, anchored?.chainSeq);
    result.recomputed = recomputed.checked;
    if (recomputed.firstBreak) candidates.push(recomputed.firstBreak);
  }
  const first = candidates.sort((a, b) => a.chainSeq - b.chainSeq)[0];
  if (first) {
    result.verified = false;
    result.firstDisagreement = first;
  }
  return result;
}

async function firstAnchoredDisagreement(executor: Executor, read: ReadAnchors): Promise<AnchorDisagreement | undefined> {
  if (read.anchors.length === 0) return undefined;
  const heads = await queryRows<{ chain_seq: string; id: string; hash: string }>(
    executor,
    sql`select chain_seq::text, id::text, hash from audit_log where chain_seq = any(${`{${read.anchors.map((anchor) => anchor.body.chainSeq).join(',')}}`}::bigint[])`,
  );
  const headAt = new Map(heads.map((row) => [Number(row.chain_seq), row]));
  const broken = read.anchors.find((anchor) => headAt.get(anchor.body.chainSeq)?.hash !== anchor.body.hash);
  if (!broken) return undefined;
  const { previousChainSeq, chainSeq, entryHashPrefixes, hash } = broken.body;
  const rows = await queryRows<{ chain_seq: string; id: string; hash: string }>(
    executor,
    sql`select chain_seq::text, id::text, hash from audit_log where chain_seq between ${previousChainSeq + 1} and ${chainSeq} order by audit_log.chain_seq`,
  );
  const bySeq = new Map(rows.map((row) => [Number(row.chain_seq), row]));
  for (let seq = previousChainSeq + 1; seq <= chainSeq; seq++) {
    const offset = (seq - previousChainSeq - 1) * ENTRY_HASH_PREFIX_CHARS;
    const expected = entryHashPrefixes.slice(offset, offset + ENTRY_HASH_PREFIX_CHARS);
    const row = bySeq.get(seq);
    if (!row) return { chainSeq: seq, id: null, reason: 'missing', expected, actual: 'missing', anchorFile: broken.file };
    if (!row.hash.startsWith(expected)) return { chainSeq: seq, id: row.id, reason: 'anchored-hash-mismatch', expected, actual: row.hash, anchorFile: broken.file };
  }
  // Every prefix matches yet the head does not: a collision of the prefixes; the head is what disagrees.
  const head = headAt.get(chainSeq);
  return { chainSeq, id: head?.id ?? null, reason: head ? 'anchored-hash-mismatch' : 'missing', expected: hash, actual: head?.hash ?? 'missing', anchorFile: broken.file };
}

interface CanonicalRow {
  chain_seq: string;
  id: string;
  prev_hash: string;
  hash: string;
  parts: (string | null)[];
}

/** audit_entry_digest (drizzle/0001_audit_chain.sql) recomputed here: concat_ws skips NULLs, so this does too. */
export function entryDigest(prevHash: string, parts: readonly (string | null)[]): string {
  return createHash('sha256')
    .update([prevHash, ...parts].filter((part): part is string => part !== null).join('\x1f'), 'utf8')
    .digest('hex');
}

async function firstRecomputedBreak(executor: Executor, upTo: number | undefined): Promise<{ checked: number; firstBreak?: AnchorDisagreement }> {
  let after = 0;
  let expectedPrev = GENESIS_HASH;
  let checked = 0;
  for (;;) {
    const limit = upTo === undefined ? PAGE : Math.min(PAGE, upTo - after);
    if (limit <= 0) return { checked };
    const rows = await queryRows<CanonicalRow>(
      executor,
      sql`select chain_seq::text, id::text, prev_hash, hash, array[
            chain_seq::text,
            to_char(occurred_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
            module, activity, phase, coalesce(result, ''),
            actor_type, actor_id, actor_username, actor_full_name,
            description, details::text, correlation_id, coalesce(conversation_id::text, '')
          ] as parts
          from audit_log where chain_seq > ${after} order by audit_log.chain_seq limit ${limit}`,
    );
    for (const row of rows) {
      const seq = Number(row.chain_seq);
      if (seq !== after + 1) return { checked, firstBreak: { chainSeq: after + 1, id: null, reason: 'missing', expected: String(after + 1), actual: String(seq), anchorFile: null } };
      if (row.prev_hash !== expectedPrev) return { checked, firstBreak: { chainSeq: seq, id: row.id, reason: 'prev-hash-mismatch', expected: expectedPrev, actual: row.prev_hash, anchorFile: null } };
      const digest = entryDigest(row.prev_hash, row.parts);
      if (digest !== row.hash) return { checked, firstBreak: { chainSeq: seq, id: row.id, reason: 'recomputed-hash-mismatch', expected: digest, actual: row.hash, anchorFile: null } };
      expectedPrev = row.hash;
      after = seq;
      checked += 1;
    }
    if (rows.length < limit) return { checked };
  }
}
