import { randomUUID } from 'node:crypto';
import { and, eq, inArray, or, sql } from 'drizzle-orm';
import type { Actor } from '../audit/write/actor.js';
import { appendAudit, syncEntry } from '../audit/write/audit-writer.js';
import type { Transaction } from '../db/client.js';
import { queryRows } from '../db/query-rows.js';
import { callRecordings, conversationMedia, conversationSegments, disposalLedger, mediaObjects } from '../db/schema/index.js';
import { queueMediaRemovals } from '../media/media-removal.js';

/**
 * A segment whose customer refused consent (or that keeps no media) keeps no audio, also when the audio
 * arrived before the refusal. In the transaction that records the refusal: unbind each such recording,
 * note what was destroyed in the disposal ledger, audit it, and queue the file's removal (the outbox the
 * caller settles after the commit). Returns how many recordings were removed.
 */
export async function removeRecordingsWithoutConsent(tx: Transaction, input: { conversationId: string; actor: Actor; correlationId: string }): Promise<number> {
  const doomed = await tx
    .select({ segmentIndex: callRecordings.segmentIndex, sha256: callRecordings.sha256, consent: conversationSegments.consent })
    .from(callRecordings)
    .innerJoin(conversationSegments, and(eq(conversationSegments.conversationId, callRecordings.conversationId), eq(conversationSegments.segmentIndex, callRecordings.segmentIndex)))
    .where(and(eq(callRecordings.conversationId, input.conversationId), or(eq(conversationSegments.consent, 'refused'), eq(conversationSegments.mediaKept, false))));
  if (doomed.length === 0) return 0;
  const segmentIndexes = doomed.map((row) => row.segmentIndex);
  await tx.delete(callRecordings).where(and(eq(callRecordings.conversationId, input.conversationId), inArray(callRecordings.segmentIndex, segmentIndexes)));
  await tx
    .delete(conversationMedia)
    .where(and(eq(conversationMedia.conversationId, input.conversationId), eq(conversationMedia.kind, 'recording'), inArray(conversationMedia.segmentIndex, segmentIndexes)));
  const digests = [...new Set(doomed.map((row) => row.sha256))];
  const stillUsed = await queryRows<{ sha256: string }>(
    tx,
    sql`select sha256 from conversation_media where sha256 in ${digests}
        union select raw_sha256 from conversation_emails where raw_sha256 in ${digests}
        union select sha256 from call_recordings where sha256 in ${digests}`,
  );
  const orphaned = digests.filter((sha256) => !stillUsed.some((row) => row.sha256 === sha256));
  if (orphaned.length > 0) await tx.delete(mediaObjects).where(inArray(mediaObjects.sha256, orphaned));
  const disposalId = randomUUID();
  await tx.insert(disposalLedger).values({
    id: disposalId,
    conversationId: input.conversationId,
    kind: 'recording-without-consent',
    reason: `the customer refused consent to recording segment(s) ${segmentIndexes.join(', ')}`,
    requestedBy: input.actor.id,
    destroyed: doomed.map((row) => ({ what: `recording:segment-${row.segmentIndex}`, sha256: row.sha256 })),
    auditCorrelationId: input.correlationId,
  });
  await queueMediaRemovals(tx, { disposalId, conversationId: input.conversationId }, orphaned);
  await appendAudit(
    tx,
    doomed.map((row) =>
      syncEntry({
        // The decision; the file's destruction is audited MEDIA_DESTROYED when the media-removal outbox settles it.
        activity: 'RECORDING_REMOVED',
        result: 'OK',
        actor: input.actor,
        description: `Recording ${row.sha256} of segment ${row.segmentIndex} of conversation ${input.conversationId} removed: ${row.consent === 'refused' ? 'the customer refused consent' : 'the segment keeps no media'}`,
        details: { segmentIndex: row.segmentIndex, sha256: row.sha256, reason: row.consent === 'refused' ? 'consent-refused' : 'media-not-kept', disposalId, fileRemoval: orphaned.includes(row.sha256) ? 'queued' : 'in-use' },
        correlationId: input.correlationId,
        conversationId: input.conversationId,
      }),
    ),
  );
  return doomed.length;
}
