import fs from 'node:fs/promises';
import path from 'node:path';
import { ANCHOR_FILE_PATTERN, ANCHOR_FORMAT, ENTRY_HASH_PREFIX_CHARS, anchorSignatureValid, type SignedAnchor } from './anchor-format.js';
import { keyIdOf } from './signing-key.js';

export interface AnchorProblem {
  file: string;
  problem: string;
}

export interface ReadAnchors {
  /** The anchors whose signature verified, in chain order. */
  anchors: (SignedAnchor & { file: string })[];
  problems: AnchorProblem[];
}

async function anchorFiles(dir: string): Promise<string[]> {
  try {
    return (await fs.readdir(dir)).filter((name) => ANCHOR_FILE_PATTERN.test(name)).sort();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
}

function parse(content: string): SignedAnchor | undefined {
  try {
    const parsed = JSON.parse(content) as SignedAnchor;
    return typeof parsed?.signature === 'string' && typeof parsed.body?.chainSeq === 'number' ? parsed : undefined;
  } catch {
    return undefined;
  }
}

/** The newest anchor in the folder as written (its signature is checked by readAnchors, not here). */
export async function latestAnchorIn(dir: string): Promise<SignedAnchor | undefined> {
  const last = (await anchorFiles(dir)).at(-1);
  return last ? parse(await fs.readFile(path.join(dir, last), 'utf8')) : undefined;
}

/**
 * Reads every anchor in `dir` and checks it against `publicKeyPem`: a bad signature, another key, a body
 * that does not fit its neighbours (a missing or inserted anchor) is a problem, and such an anchor is
 * not used to judge the log.
 */
export async function readAnchors(dir: string, publicKeyPem: string): Promise<ReadAnchors> {
  const keyId = keyIdOf(publicKeyPem);
  const result: ReadAnchors = { anchors: [], problems: [] };
  let previous = 0;
  for (const file of await anchorFiles(dir)) {
    const anchor = parse(await fs.readFile(path.join(dir, file), 'utf8'));
    const problem = !anchor
      ? 'not an anchor'
      : anchor.body.format !== ANCHOR_FORMAT
        ? `unknown format ${String(anchor.body.format)}`
        : anchor.body.keyId !== keyId
          ? `signed with key ${anchor.body.keyId}, not ${keyId}`
          : !anchorSignatureValid(anchor, publicKeyPem)
            ? 'signature does not verify: the file was changed after it was signed'
            : anchor.body.previousChainSeq !== previous
              ? `continues from ${anchor.body.previousChainSeq}, but the anchor before ends at ${previous} (an anchor is missing or was added)`
              : anchor.body.entryHashPrefixes.length !== (anchor.body.chainSeq - anchor.body.previousChainSeq) * ENTRY_HASH_PREFIX_CHARS
                ? 'entry hash list does not cover its range'
                : undefined;
    if (problem || !anchor) {
      result.problems.push({ file, problem: problem ?? 'not an anchor' });
      continue;
    }
    result.anchors.push({ ...anchor, file });
    previous = anchor.body.chainSeq;
  }
  return result;
}
