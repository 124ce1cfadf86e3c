import fs from 'node:fs/promises';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import type { Executor } from '../../db/client.js';
import { queryRows } from '../../db/query-rows.js';
import { writeNewFileDurably } from '../../lib/verified-files.js';
import { ANCHOR_FORMAT, ANCHOR_PUBLIC_KEY_FILE, ENTRY_HASH_PREFIX_CHARS, anchorFileName, signAnchor, type AnchorBody } from './anchor-format.js';
import { latestAnchorIn } from './anchor-reader.js';
import type { AnchorSigningKey } from './signing-key.js';

/** An anchor covers at most this many entries, so writing and checking one stays within a few megabytes. */
export const MAX_ENTRIES_PER_ANCHOR = 50_000;

export interface AnchorTarget {
  dir: string;
  key: AnchorSigningKey;
}

/**
 * Writes signed anchors outside the database for every checkpoint not anchored yet: the chain up to the
 * latest checkpoint, in steps of at most MAX_ENTRIES_PER_ANCHOR entries. The checkpoint rows are the
 * outbox: a crash before a file is written leaves it to the next run, and a file that exists is never
 * written again, so running this twice, or in two workers at once, writes each anchor once.
 */
export async function anchorCheckpoints(executor: Executor, target: AnchorTarget): Promise<{ written: number; anchoredTo: number }> {
  await fs.mkdir(target.dir, { recursive: true });
  // A copy of the public key beside the anchors, for convenience: an auditor compares its key id with the one kept apart.
  await writeOnce(path.join(target.dir, ANCHOR_PUBLIC_KEY_FILE), target.key.publicKeyPem);
  const [latestCheckpoint] = await queryRows<{ chain_seq: string | null; created_at: Date | null }>(
    executor,
    sql`select chain_seq::text, created_at from audit_checkpoints order by audit_checkpoints.chain_seq desc limit 1`,
  );
  const checkpointSeq = Number(latestCheckpoint?.chain_seq ?? 0);
  let anchoredTo = (await latestAnchorIn(target.dir))?.body.chainSeq ?? 0;
  let written = 0;
  while (anchoredTo < checkpointSeq) {
    const next = Math.min(checkpointSeq, anchoredTo + MAX_ENTRIES_PER_ANCHOR);
    const rows = await queryRows<{ chain_seq: string; hash: string }>(
      executor,
      sql`select chain_seq::text, hash from audit_log where chain_seq between ${anchoredTo + 1} and ${next} order by audit_log.chain_seq`,
    );
    rows.forEach((row, index) => {
      // Never sign over a hole: verification reports it, and an anchor would make it look accepted.
      if (Number(row.chain_seq) !== anchoredTo + 1 + index) throw new Error(`audit log has no entry ${anchoredTo + 1 + index}: not anchoring past it`);
    });
    if (rows.length !== next - anchoredTo) throw new Error(`audit log ends at ${anchoredTo + rows.length}, before checkpoint ${checkpointSeq}: not anchoring`);
    const body: AnchorBody = {
      format: ANCHOR_FORMAT,
      chainSeq: next,
      hash: rows.at(-1)!.hash,
      entries: next,
      checkpointedAt: (next === checkpointSeq && latestCheckpoint?.created_at ? new Date(latestCheckpoint.created_at) : new Date()).toISOString(),
      previousChainSeq: anchoredTo,
      entryHashPrefixes: rows.map((row) => row.hash.slice(0, ENTRY_HASH_PREFIX_CHARS)).join(''),
      keyId: target.key.keyId,
    };
    if (await writeOnce(path.join(target.dir, anchorFileName(next)), `${JSON.stringify(signAnchor(body, target.key.privateKey))}\n`)) written += 1;
    anchoredTo = next;
  }
  return { written, anchoredTo };
}

/** Writes a file that does not exist yet, durably (temp file, fsync, link); false when it already exists. */
async function writeOnce(file: string, content: string): Promise<boolean> {
  const temporary = `${file}.${process.pid}.${Date.now()}.partial`;
  await writeNewFileDurably(temporary, content);
  try {
    // link, not rename: it refuses to replace an anchor another process wrote first.
    await fs.link(temporary, file);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  } finally {
    await fs.rm(temporary, { force: true });
  }
}
