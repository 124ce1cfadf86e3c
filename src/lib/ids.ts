import { createHash } from 'node:crypto';

/** RFC 4122 name-based (v5) UUIDs: the same source key always yields the same conversation id. */
const RECORDKEEPER_NAMESPACE = Buffer.from('8c0f6f5e3b2a4e6f9d7c1a2b3c4d5e6f', 'hex');

export function uuidV5(name: string, namespace: Buffer = RECORDKEEPER_NAMESPACE): string {
  const digest = createHash('sha1').update(namespace).update(name, 'utf8').digest();
  digest[6] = (digest[6]! & 0x0f) | 0x50;
  digest[8] = (digest[8]! & 0x3f) | 0x80;
  const hex = digest.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/**
 * A conversation's id is derived from where it came from, so capture is idempotent end to end, and
 * opaque, so no phone number or mail address ends up in workflow ids that Temporal keeps.
 */
export function conversationIdFor(source: string, externalKey: string): string {
  return uuidV5(`${source}\u0000${externalKey}`);
}

/** Sorts before every UUID: where keyset pagination by id starts. */
export const NIL_UUID = '00000000-0000-0000-0000-000000000000';
