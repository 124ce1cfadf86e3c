import { and, asc, eq, max, sql } from 'drizzle-orm';
import type { Actor, RequestContext } from '../audit/write/actor.js';
import { appendAudit, syncEntry } from '../audit/write/audit-writer.js';
import type { Database, Executor } from '../db/client.js';
import { callRecordings, conversationMedia, conversationSegments, conversations, mediaObjects } from '../db/schema/index.js';
import { recordingFileName, recordingRefusal, type RecordingRefusal } from '../domain/call-recordings.js';
import { sha256Hex } from '../lib/digest.js';
import type { MediaStore } from './media-store.js';

/** Why a recording was not stored; the API maps each to its status. */
export class RecordingRejectedError extends Error {
  constructor(
    readonly code: RecordingRefusal['code'] | 'SEGMENT_NOT_FOUND' | 'CONVERSATION_DELETED' | 'SEGMENT_HAS_RECORDING',
    readonly reason: string,
  ) {
    super(reason);
    this.name = 'RecordingRejectedError';
  }
}

export interface StoreRecordingInput {
  conversationId: string;
  segmentIndex: number;
  /** Already checked against the accepted types (src/domain/call-recordings.ts). */
  mediaType: string;
  content: Uint8Array;
  source: 'upload' | 's3';
  sourceLocation?: string | null;
  /** More provenance for the audit entry (an S3 object's version id and ETag). */
  sourceDetails?: Record<string, unknown>;
  actor: Actor;
  context: Pick<RequestContext, 'correlationId'>;
}

export interface StoredRecording {
  conversationId: string;
  segmentIndex: number;
  sha256: string;
  sizeBytes: number;
  mediaType: string;
  fileName: string;
  /** The same bytes were already this segment's recording: nothing changed. */
  duplicate: boolean;
}

async function segmentFacts(db: Executor, conversationId: string, segmentIndex: number, lock: boolean) {
  const query = db
    .select({
      recorded: conversationSegments.recorded,
      consent: conversationSegments.consent,
      mediaKept: conversationSegments.mediaKept,
      deletedAt: conversations.deletedAt,
      existing: callRecordings.sha256,
    })
    .from(conversationSegments)
    .innerJoin(conversations, eq(conversations.id, conversationSegments.conversationId))
    .leftJoin(callRecordings, and(eq(callRecordings.conversationId, conversationSegments.conversationId), eq(callRecordings.segmentIndex, conversationSegments.segmentIndex)))
    .where(and(eq(conversationSegments.conversationId, conversationId), eq(conversationSegments.segmentIndex, segmentIndex)));
  // Locks the conversation row: recordings of one conversation are stored one at a time, so positions never collide.
  const [row] = lock ? await query.for('update', { of: conversations }) : await query;
  return row;
}

/** The reason this segment may not take this file, or null: checked before writing and again in the transaction. */
function rejection(row: Awaited<ReturnType<typeof segmentFacts>>, input: StoreRecordingInput, sha256: string): RecordingRejectedError | null {
  if (!row) return new RecordingRejectedError('SEGMENT_NOT_FOUND', `conversation ${input.conversationId} has no segment ${input.segmentIndex}`);
  if (row.deletedAt) return new RecordingRejectedError('CONVERSATION_DELETED', `conversation ${input.conversationId} was deleted at ${row.deletedAt.toISOString()}`);
  const refusal = recordingRefusal(input.segmentIndex, row);
  if (refusal) return new RecordingRejectedError(refusal.code, refusal.reason);
  if (row.existing && row.existing !== sha256) {
    return new RecordingRejectedError('SEGMENT_HAS_RECORDING', `segment ${input.segmentIndex} already has recording ${row.existing}; a recording is never replaced`);
  }
  return null;
}

/** Removes a file this attempt wrote when no row refers to it, so a refused recording leaves nothing behind. */
async function discardUnreferenced(db: Database, media: MediaStore, sha256: string): Promise<void> {
  const [row] = await db.select({ sha256: mediaObjects.sha256 }).from(mediaObjects).where(eq(mediaObjects.sha256, sha256));
  if (!row) await media.remove(sha256);
}

/**
 * Stores the audio of one call segment, content-addressed, bound to the segment, audited RECORDING_STORED
 * in the same transaction. A segment that is not recorded or whose consent was refused keeps nothing (the
 * refusal is audited FAIL); the same bytes again are a no-op; different bytes for a segment that has a
 * recording are refused.
 */
export async function storeSegmentRecording(deps: { db: Database; media: MediaStore }, input: StoreRecordingInput): Promise<StoredRecording> {
  const { db, media } = deps;
  const sha256 = sha256Hex(input.content);
  const fileName = recordingFileName(input.segmentIndex, input.mediaType);
  const result = { conversationId: input.conversationId, segmentIndex: input.segmentIndex, sha256, sizeBytes: input.content.byteLength, mediaType: input.mediaType, fileName };
  const audit = (executor: Executor, outcome: 'OK' | 'FAIL', description: string, details: Record<string, unknown>) =>
    appendAudit(executor, [
      syncEntry({
        activity: 'RECORDING_STORED',
        result: outcome,
        actor: input.actor,
        description,
        details: { segmentIndex: input.segmentIndex, sha256, sizeBytes: input.content.byteLength, mediaType: input.mediaType, source: input.source, ...details },
        correlationId: input.context.correlationId,
        conversationId: input.conversationId,
      }),
    ]).then(() => undefined);
  const refuse = async (error: RecordingRejectedError): Promise<never> => {
    await audit(db, 'FAIL', `Recording of segment ${input.segmentIndex} of conversation ${input.conversationId} refused: ${error.reason}`, {
      error: error.code,
      reason: error.reason,
    });
    throw error;
  };

  const before = await segmentFacts(db, input.conversationId, input.segmentIndex, false);
  const early = rejection(before, input, sha256);
  if (early) return refuse(early);
  if (before?.existing === sha256) {
    await audit(db, 'OK', `Recording ${sha256} of segment ${input.segmentIndex} of conversation ${input.conversationId} received again: already stored`, { duplicate: true });
    return { ...result, duplicate: true };
  }

  const stored = await media.put(input.content);
  let late: RecordingRejectedError | null = null;
  try {
    const duplicate = await db.transaction(async (tx) => {
      const row = await segmentFacts(tx, input.conversationId, input.segmentIndex, true);
      late = rejection(row, input, sha256);
      if (late) return null;
      if (row?.existing === sha256) return true;
      await tx.insert(mediaObjects).values({ sha256, sizeBytes: stored.sizeBytes, contentType: input.mediaType }).onConflictDoNothing();
      await tx.insert(callRecordings).values({
        conversationId: input.conversationId,
        segmentIndex: input.segmentIndex,
        sha256,
        contentType: input.mediaType,
        sizeBytes: stored.sizeBytes,
        source: input.source,
        sourceLocation: input.sourceLocation ?? null,
        storedBy: input.actor.id,
      });
      const [last] = await tx
        .select({ position: max(conversationMedia.position) })
        .from(conversationMedia)
        .where(and(eq(conversationMedia.conversationId, input.conversationId), eq(conversationMedia.kind, 'recording')));
      await tx.insert(conversationMedia).values({
        conversationId: input.conversationId,
        kind: 'recording',
        position: (last?.position ?? -1) + 1,
        sha256,
        fileName,
        contentType: input.mediaType,
        segmentIndex: input.segmentIndex,
      });
      await tx.update(conversations).set({ updatedAt: sql`now()` }).where(eq(conversations.id, input.conversationId));
      await appendAudit(tx, [
        syncEntry({
          activity: 'RECORDING_STORED',
          result: 'OK',
          actor: input.actor,
          description: `Recording ${sha256} (${input.mediaType}, ${stored.sizeBytes} bytes) of segment ${input.segmentIndex} of conversation ${input.conversationId} stored`,
          details: { segmentIndex: input.segmentIndex, sha256, sizeBytes: stored.sizeBytes, mediaType: input.mediaType, source: input.source, sourceLocation: input.sourceLocation ?? null, ...input.sourceDetails },
          correlationId: input.context.correlationId,
          conversationId: input.conversationId,
        }),
      ]);
      return false;
    });
    if (late) {
      if (stored.written) await discardUnreferenced(db, media, sha256);
      return refuse(late);
    }
    return { ...result, sizeBytes: stored.sizeBytes, duplicate: duplicate === true };
  } catch (error) {
    if (stored.written && !(error instanceof RecordingRejectedError)) await discardUnreferenced(db, media, sha256);
    throw error;
  }
}

export interface RecordingRow {
  segmentIndex: number;
  sha256: string;
  mediaType: string;
  sizeBytes: number;
  fileName: string;
  source: string;
  storedAt: string;
}

/** A conversation's recordings by segment, with their digests. */
export async function recordingsOfConversation(db: Executor, conversationId: string): Promise<RecordingRow[]> {
  const rows = await db
    .select({
      segmentIndex: callRecordings.segmentIndex,
      sha256: callRecordings.sha256,
      mediaType: callRecordings.contentType,
      sizeBytes: callRecordings.sizeBytes,
      source: callRecordings.source,
      storedAt: callRecordings.storedAt,
      fileName: conversationMedia.fileName,
    })
    .from(callRecordings)
    .innerJoin(
      conversationMedia,
      and(
        eq(conversationMedia.conversationId, callRecordings.conversationId),
        eq(conversationMedia.kind, 'recording'),
        eq(conversationMedia.sha256, callRecordings.sha256),
        eq(conversationMedia.segmentIndex, callRecordings.segmentIndex),
      ),
    )
    .where(eq(callRecordings.conversationId, conversationId))
    .orderBy(asc(callRecordings.segmentIndex));
  return rows.map((row) => ({
    ...row,
    sizeBytes: Number(row.sizeBytes),
    fileName: row.fileName ?? recordingFileName(row.segmentIndex, row.mediaType),
    storedAt: row.storedAt.toISOString(),
  }));
}

/** The segment numbers of a call, in order. */
export async function segmentIndexesOf(db: Executor, conversationId: string): Promise<number[]> {
  const rows = await db
    .select({ segmentIndex: conversationSegments.segmentIndex })
    .from(conversationSegments)
    .where(eq(conversationSegments.conversationId, conversationId))
    .orderBy(asc(conversationSegments.segmentIndex));
  return rows.map((row) => row.segmentIndex);
}
