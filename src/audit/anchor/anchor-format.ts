import { createPublicKey, sign, verify, type KeyObject } from 'node:crypto';

export const ANCHOR_FORMAT = 'recordkeeper-audit-anchor/1';
/** Characters of each entry's hash kept in an anchor: enough to name a rewritten entry; the full head hash detects it. */
export const ENTRY_HASH_PREFIX_CHARS = 16;

/**
 * One audit checkpoint as written outside the database: the chain's head at `chainSeq`, and a prefix of
 * every entry hash since the previous anchor, so a verifier can name the first entry that disagrees.
 */
export interface AnchorBody {
  format: typeof ANCHOR_FORMAT;
  chainSeq: number;
  hash: string;
  /** Entries in the chain up to and including `chainSeq`. */
  entries: number;
  checkpointedAt: string;
  /** The previous anchor's chainSeq (0 for the first); `entryHashPrefixes` covers previousChainSeq+1 .. chainSeq. */
  previousChainSeq: number;
  entryHashPrefixes: string;
  keyId: string;
}

export interface SignedAnchor {
  body: AnchorBody;
  /** Ed25519 over the UTF-8 of `canonicalAnchorBody(body)`, base64. */
  signature: string;
}

const FIELD_ORDER: (keyof AnchorBody)[] = ['format', 'chainSeq', 'hash', 'entries', 'checkpointedAt', 'previousChainSeq', 'entryHashPrefixes', 'keyId'];

/** The bytes that are signed: the fields in a fixed order, so any JSON writer's key order verifies the same. */
export function canonicalAnchorBody(body: AnchorBody): string {
  return JSON.stringify(FIELD_ORDER.map((field) => [field, body[field]]));
}

export function signAnchor(body: AnchorBody, privateKey: KeyObject): SignedAnchor {
  return { body, signature: sign(null, Buffer.from(canonicalAnchorBody(body), 'utf8'), privateKey).toString('base64') };
}

export function anchorSignatureValid(anchor: SignedAnchor, publicKeyPem: string): boolean {
  try {
    return verify(null, Buffer.from(canonicalAnchorBody(anchor.body), 'utf8'), createPublicKey(publicKeyPem), Buffer.from(anchor.signature, 'base64'));
  } catch {
    return false;
  }
}

/** `00000000000000001234.json`: names sort in chain order. */
export function anchorFileName(chainSeq: number): string {
  return `${String(chainSeq).padStart(20, '0')}.json`;
}

export const ANCHOR_FILE_PATTERN = /^\d{20}\.json$/;

/** The public key's copy in the anchors' folder. */
export const ANCHOR_PUBLIC_KEY_FILE = 'signing-key.pub.pem';
