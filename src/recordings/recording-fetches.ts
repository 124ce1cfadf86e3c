import { and, asc, count, eq, ne, sql } from 'drizzle-orm';
import type { RecordingFetchConfig } from '../config.js';
import type { Actor } from '../audit/write/actor.js';
import { appendAudit, syncEntry, type AuditEntry } from '../audit/write/audit-writer.js';
import type { Database, Transaction } from '../db/client.js';
import { queryRows } from '../db/query-rows.js';
import { contactRecords, conversationSegments, recordingFetches, type RecordingFetchStatus } from '../db/schema/index.js';
import type { ContactRecord } from '../domain/contact-record.js';
import { RecordingRejectedError, storeSegmentRecording } from '../media/call-recordings.js';
import type { MediaStore } from '../media/media-store.js';
import { fetchedMediaType, parseS3Location, recordingsNamedBy, retryDelaySeconds } from './recording-locations.js';
import { ObjectFetchError, type ObjectSource } from './s3-objects.js';

export const NO_S3_CONFIGURED = 'recording not fetched: no S3 configured';

/**
 * Records, in the capture transaction (the conversation's row locked), each S3 recording the record names
 * that is not recorded yet, as a pending fetch with the segment number its audio will be bound to. Without
 * S3 configuration the fetch stays pending and the audit says why; once an endpoint is configured the
 * sweep fetches it. Returns the audit entries for the caller's append (all entries about one fetch share
 * the correlation id `recording-fetch-<id>`).
 */
export async function recordNamedRecordings(
  tx: Transaction,
  input: { conversationId: string; record: ContactRecord; fetchEnabled: boolean; actor: Actor },
): Promise<AuditEntry[]> {
  const named = recordingsNamedBy(input.record);
  if (named.length === 0) return [];
  const known = await tx
    .select({ location: recordingFetches.location })
    .from(recordingFetches)
    .where(eq(recordingFetches.contactId, input.record.ContactId));
  const fresh = named.filter((recording) => !known.some((row) => row.location === recording.location));
  if (fresh.length === 0) return [];
  // Past both the segments that exist and those reserved for fetches not done yet.
  const [last] = await queryRows<{ index: number | null }>(
    tx,
    sql`select greatest((select max(segment_index) from conversation_segments where conversation_id = ${input.conversationId}::uuid),
                        (select max(segment_index) from recording_fetches where conversation_id = ${input.conversationId}::uuid)) as index`,
  );
  let nextIndex = (last?.index ?? -1) + 1;
  const entries: AuditEntry[] = [];
  for (const recording of fresh) {
    const segmentIndex = nextIndex++;
    const address = parseS3Location(recording.location);
    const unreadable = address ? null : `recording not fetched: ${JSON.stringify(recording.location)} is not an S3 location (bucket/key or s3://bucket/key)`;
    const [row] = await tx
      .insert(recordingFetches)
      .values({
        conversationId: input.conversationId,
        segmentIndex,
        contactId: input.record.ContactId,
        location: recording.location,
        bucket: address?.bucket ?? '',
        objectKey: address?.key ?? '',
        status: unreadable ? 'given-up' : 'pending',
        lastError: unreadable ?? (input.fetchEnabled ? null : NO_S3_CONFIGURED),
      })
      .returning({ id: recordingFetches.id });
    if (unreadable || !input.fetchEnabled) {
      entries.push(
        syncEntry({
          activity: 'RECORDING_STORED',
          result: 'FAIL',
          actor: input.actor,
          description: `Recording ${recording.location} of contact ${input.record.ContactId} (segment ${segmentIndex}): ${unreadable ?? NO_S3_CONFIGURED}`,
          details: { segmentIndex, contactId: input.record.ContactId, location: recording.location, source: 's3', error: unreadable ? 'UNREADABLE_LOCATION' : 'NO_S3_CONFIGURED' },
          correlationId: `recording-fetch-${row!.id}`,
          conversationId: input.conversationId,
        }),
      );
    }
  }
  return entries;
}

/**
 * The segment a fetched recording is bound to. A contact record's conversation has no live-call segments:
 * each recording it names becomes one, its times and parties from the record. Null when the record is gone.
 */
async function ensureRecordingSegment(db: Database, claimed: { conversation_id: string; segment_index: number; contact_id: string; location: string }): Promise<boolean> {
  const [stored] = await db.select({ record: contactRecords.record }).from(contactRecords).where(eq(contactRecords.contactId, claimed.contact_id));
  if (!stored) return false;
  const record = stored.record as ContactRecord;
  const named = recordingsNamedBy(record).find((recording) => recording.location === claimed.location);
  const startedAt = named?.startedAt ?? record.InitiationTimestamp ?? record.LastUpdateTimestamp;
  const endedAt = named?.endedAt ?? record.DisconnectTimestamp ?? null;
  await db
    .insert(conversationSegments)
    .values({
      conversationId: claimed.conversation_id,
      segmentIndex: claimed.segment_index,
      kind: 'customer',
      partyA: record.CustomerEndpoint?.Address ?? 'customer',
      partyB: record.Agent?.Username ?? 'agent',
      startedAt: new Date(startedAt),
      endedAt: endedAt ? new Date(endedAt) : null,
      // The contact center recorded it; no consent answer reaches the engine through a contact record.
      recorded: true,
      ruleId: null,
      consent: 'not-required',
      mediaKept: true,
      metadata: { contactId: claimed.contact_id, recordingLocation: claimed.location },
    })
    .onConflictDoNothing();
  return true;
}

interface ClaimedFetch {
  id: string;
  conversation_id: string;
  segment_index: number;
  contact_id: string;
  location: string;
  bucket: string;
  object_key: string;
  attempts: number;
}

/** Long enough for one object to arrive; a sweep that dies mid-fetch leaves its rows due again after it. */
const CLAIM_LEASE_SECONDS = 15 * 60;

/** Takes due fetches for this sweep: concurrent sweeps skip each other's rows, and a lease makes a crash harmless. */
async function claimDueFetches(db: Database, limit: number): Promise<ClaimedFetch[]> {
  return queryRows<ClaimedFetch>(
    db,
    sql`update recording_fetches set next_attempt_at = now() + make_interval(secs => ${CLAIM_LEASE_SECONDS}), updated_at = now()
        where id in (select id from recording_fetches where status = 'pending' and next_attempt_at <= now()
                     order by next_attempt_at, id limit ${limit} for update skip locked)
        returning id, conversation_id, segment_index, contact_id, location, bucket, object_key, attempts`,
  );
}

export interface RecordingFetchDeps {
  db: Database;
  media: MediaStore;
  source: ObjectSource;
  policy: Pick<RecordingFetchConfig, 'retryBaseSeconds' | 'retryMaxSeconds' | 'maxAttempts' | 'maxBytes'>;
  actor: Actor;
}

export type FetchOutcome = 'fetched' | 'retrying' | 'given-up';

async function settleFailure(deps: RecordingFetchDeps, claimed: ClaimedFetch, reason: string, permanent: boolean): Promise<FetchOutcome> {
  const attempts = claimed.attempts + 1;
  const givenUp = permanent || attempts >= deps.policy.maxAttempts;
  const delay = retryDelaySeconds(attempts, deps.policy);
  return deps.db.transaction(async (tx) => {
    const [row] = await tx
      .update(recordingFetches)
      .set({
        status: givenUp ? 'given-up' : 'pending',
        attempts,
        lastError: reason,
        nextAttemptAt: givenUp ? sql`now()` : sql`now() + make_interval(secs => ${delay})`,
        updatedAt: sql`now()`,
      })
      .where(and(eq(recordingFetches.id, claimed.id), eq(recordingFetches.status, 'pending')))
      .returning({ nextAttemptAt: recordingFetches.nextAttemptAt });
    if (!row) return 'given-up';
    // Every failed attempt is audited: when the audio was unavailable, and why, is part of the record.
    await appendAudit(tx, [
      syncEntry({
        activity: 'RECORDING_STORED',
        result: 'FAIL',
        actor: deps.actor,
        description: givenUp
          ? `Recording s3://${claimed.bucket}/${claimed.object_key} of segment ${claimed.segment_index} given up after ${attempts} attempt(s): ${reason}`
          : `Recording s3://${claimed.bucket}/${claimed.object_key} of segment ${claimed.segment_index} not fetched (attempt ${attempts}, next at ${row.nextAttemptAt.toISOString()}): ${reason}`,
        details: {
          segmentIndex: claimed.segment_index,
          contactId: claimed.contact_id,
          location: claimed.location,
          source: 's3',
          attempt: attempts,
          reason,
          givenUp,
          nextAttemptAt: givenUp ? null : row.nextAttemptAt.toISOString(),
        },
        correlationId: `recording-fetch-${claimed.id}`,
        conversationId: claimed.conversation_id,
      }),
    ]);
    return givenUp ? 'given-up' : 'retrying';
  });
}

async function fetchOne(deps: RecordingFetchDeps, claimed: ClaimedFetch): Promise<FetchOutcome> {
  const address = { bucket: claimed.bucket, key: claimed.object_key };
  let fetched;
  try {
    fetched = await deps.source.fetch(address, { maxBytes: deps.policy.maxBytes });
  } catch (error) {
    if (!(error instanceof ObjectFetchError)) throw error;
    return settleFailure(deps, claimed, error.message, error.permanent);
  }
  const mediaType = fetchedMediaType(claimed.object_key, fetched.contentType);
  if (!mediaType) return settleFailure(deps, claimed, `not a recording type: key ${claimed.object_key}, Content-Type ${fetched.contentType ?? '(none)'}`, true);
  if (!(await ensureRecordingSegment(deps.db, claimed))) return settleFailure(deps, claimed, `contact record ${claimed.contact_id} is no longer stored`, true);
  let stored;
  try {
    stored = await storeSegmentRecording(deps, {
      conversationId: claimed.conversation_id,
      segmentIndex: claimed.segment_index,
      mediaType,
      content: fetched.content,
      source: 's3',
      sourceLocation: `s3://${claimed.bucket}/${claimed.object_key}`,
      sourceDetails: { contactId: claimed.contact_id, versionId: fetched.versionId, etag: fetched.etag },
      actor: deps.actor,
      context: { correlationId: `recording-fetch-${claimed.id}` },
    });
  } catch (error) {
    // Refused for good (consent refused, conversation deleted, another file bound): the refusal is audited there.
    if (!(error instanceof RecordingRejectedError)) throw error;
    return settleFailure(deps, claimed, error.reason, true);
  }
  await deps.db
    .update(recordingFetches)
    .set({
      status: 'fetched',
      lastError: null,
      versionId: fetched.versionId,
      etag: fetched.etag,
      sizeBytes: stored.sizeBytes,
      sha256: stored.sha256,
      fetchedAt: sql`now()`,
      updatedAt: sql`now()`,
    })
    .where(eq(recordingFetches.id, claimed.id));
  return 'fetched';
}

export interface FetchSweepResult {
  claimed: number;
  fetched: number;
  retrying: number;
  givenUp: number;
}

/**
 * Fetches up to `limit` due recordings. Safe to run twice: a claimed row is leased, and storing the same
 * bytes for a segment again is a no-op.
 */
export async function fetchDueRecordings(deps: RecordingFetchDeps, limit: number): Promise<FetchSweepResult> {
  const claimed = await claimDueFetches(deps.db, limit);
  const result: FetchSweepResult = { claimed: claimed.length, fetched: 0, retrying: 0, givenUp: 0 };
  for (const row of claimed) {
    const outcome = await fetchOne(deps, row);
    if (outcome === 'fetched') result.fetched += 1;
    else if (outcome === 'retrying') result.retrying += 1;
    else result.givenUp += 1;
  }
  return result;
}

export interface RecordingFetchReport {
  counts: Record<RecordingFetchStatus, number>;
  /** Recordings not (yet) fetched, the longest waiting first. */
  unresolved: {
    conversationId: string;
    segmentIndex: number;
    contactId: string;
    location: string;
    status: RecordingFetchStatus;
    attempts: number;
    lastError: string | null;
    nextAttemptAt: string | null;
  }[];
}

/** Counts by status and the recordings not fetched (yet), for GET /health/capture. */
export async function recordingFetchReport(db: Database, limit = 100): Promise<RecordingFetchReport> {
  const grouped = await db.select({ status: recordingFetches.status, n: count() }).from(recordingFetches).groupBy(recordingFetches.status);
  const counts: Record<RecordingFetchStatus, number> = { pending: 0, fetched: 0, 'given-up': 0 };
  for (const row of grouped) counts[row.status] = Number(row.n);
  const rows = await db
    .select()
    .from(recordingFetches)
    .where(ne(recordingFetches.status, 'fetched'))
    .orderBy(asc(recordingFetches.createdAt), asc(recordingFetches.id))
    .limit(limit);
  return {
    counts,
    unresolved: rows.map((row) => ({
      conversationId: row.conversationId,
      segmentIndex: row.segmentIndex,
      contactId: row.contactId,
      location: row.location,
      status: row.status,
      attempts: row.attempts,
      lastError: row.lastError,
      nextAttemptAt: row.status === 'pending' ? row.nextAttemptAt.toISOString() : null,
    })),
  };
}
