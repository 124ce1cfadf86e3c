import { asc, eq } from 'drizzle-orm';
import type { Executor, Transaction } from '../db/client.js';
import { conversationMedia, mediaObjects, type MediaKind } from '../db/schema/index.js';
import type { CapturedMedia } from '../workflows/conversation-lifecycle.contract.js';

export interface MediaReference {
  sha256: string;
  sizeBytes: number;
  kind: MediaKind;
  fileName: string | null;
  contentType: string;
}

const sameReference = (a: { kind: string; sha256: string; fileName: string | null }, b: MediaReference) =>
  a.kind === b.kind && a.sha256 === b.sha256 && a.fileName === b.fileName;

/**
 * Records that files already in the media store belong to a conversation. References it already has are
 * skipped, so a retried or repeated capture adds nothing twice.
 */
export async function attachMedia(tx: Transaction, conversationId: string, references: readonly MediaReference[]): Promise<number> {
  if (references.length === 0) return 0;
  await tx
    .insert(mediaObjects)
    .values(references.map(({ sha256, sizeBytes, contentType }) => ({ sha256, sizeBytes, contentType })))
    .onConflictDoNothing();
  const existing = await tx
    .select({ kind: conversationMedia.kind, sha256: conversationMedia.sha256, fileName: conversationMedia.fileName })
    .from(conversationMedia)
    .where(eq(conversationMedia.conversationId, conversationId));
  const nextPosition = new Map<string, number>();
  for (const row of existing) nextPosition.set(row.kind, (nextPosition.get(row.kind) ?? 0) + 1);
  const added: (MediaReference & { conversationId: string; position: number })[] = [];
  for (const reference of references) {
    if (existing.some((row) => sameReference(row, reference)) || added.some((row) => sameReference(row, reference))) continue;
    const position = nextPosition.get(reference.kind) ?? 0;
    nextPosition.set(reference.kind, position + 1);
    added.push({ ...reference, conversationId, position });
  }
  if (added.length > 0) {
    await tx.insert(conversationMedia).values(added.map(({ sizeBytes: _size, ...row }) => row));
  }
  return added.length;
}

/** A conversation's media in a stable order: by kind, then position. */
export async function mediaOfConversation(db: Executor, conversationId: string): Promise<CapturedMedia[]> {
  return (await listedMediaOfConversation(db, conversationId)).map(({ segmentIndex: _segment, ...media }) => media);
}

/** The media list of the API: each file with the call segment it is the recording of (null for other media). */
export async function listedMediaOfConversation(db: Executor, conversationId: string): Promise<(CapturedMedia & { segmentIndex: number | null })[]> {
  const rows = await db
    .select({
      sha256: conversationMedia.sha256,
      kind: conversationMedia.kind,
      fileName: conversationMedia.fileName,
      contentType: conversationMedia.contentType,
      sizeBytes: mediaObjects.sizeBytes,
      segmentIndex: conversationMedia.segmentIndex,
    })
    .from(conversationMedia)
    .innerJoin(mediaObjects, eq(mediaObjects.sha256, conversationMedia.sha256))
    .where(eq(conversationMedia.conversationId, conversationId))
    .orderBy(asc(conversationMedia.kind), asc(conversationMedia.position));
  return rows.map((row) => ({ ...row, sizeBytes: Number(row.sizeBytes) }));
}
