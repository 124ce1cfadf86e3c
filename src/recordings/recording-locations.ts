import type { ContactRecord } from '../domain/contact-record.js';
import { recordingMediaType, RECORDING_MEDIA_TYPES } from '../domain/call-recordings.js';

/**
 * Which S3 objects a contact record names as its audio. Amazon Connect writes the same file in `Recording`
 * and in `Recordings[]` (newer records); both are read and the same location is counted once.
 */

export interface NamedRecording {
  location: string;
  startedAt: string | null;
  endedAt: string | null;
}

export interface S3ObjectAddress {
  bucket: string;
  key: string;
}

type RecordingInfo = NonNullable<ContactRecord['Recording']>;

/** S3 is written `S3` in records and `Amazon S3` in the documentation; a record without StorageType predates it (always S3). */
const isS3 = (storageType: string | null | undefined) => !storageType || /^(amazon\s*)?s3$/i.test(storageType.trim());
const isAudio = (type: string | null | undefined) => !type || type.toUpperCase() === 'AUDIO';

function named(info: RecordingInfo, streamType: string | null | undefined): NamedRecording | null {
  const location = info.Location?.trim();
  if (!location || info.Status?.toUpperCase() === 'DELETED') return null;
  if (!isS3(info.StorageType) || !isAudio(streamType)) return null;
  return { location, startedAt: info.StartTimestamp ?? null, endedAt: info.StopTimestamp ?? null };
}

export function recordingsNamedBy(record: Pick<ContactRecord, 'Recording' | 'Recordings'>): NamedRecording[] {
  const found = new Map<string, NamedRecording>();
  const candidates = [
    ...(record.Recording ? [named(record.Recording, record.Recording.Type)] : []),
    ...(record.Recordings ?? []).map((info) => named(info, info.MediaStreamType)),
  ];
  for (const candidate of candidates) {
    if (!candidate) continue;
    const known = found.get(candidate.location);
    // Recordings[] carries the times Recording lacks: keep whichever copy knows more.
    if (!known || (!known.startedAt && candidate.startedAt)) found.set(candidate.location, candidate);
  }
  return [...found.values()];
}

/**
 * `bucket/key` as Amazon Connect writes it, or `s3://bucket/key`. Null for anything else (an https URL or
 * an ARN is not a form Connect uses; such a location is reported, not guessed at).
 */
export function parseS3Location(location: string): S3ObjectAddress | null {
  const path = location.startsWith('s3://') ? location.slice('s3://'.length) : location;
  if (/^[a-z]+:\/\//i.test(path) || path.startsWith('arn:')) return null;
  const slash = path.indexOf('/');
  if (slash <= 0 || slash === path.length - 1) return null;
  const bucket = path.slice(0, slash);
  // S3 bucket naming rules: 3 to 63 lower-case letters, digits, dots and hyphens.
  if (!/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(bucket)) return null;
  return { bucket, key: path.slice(slash + 1) };
}

const EXTENSION_TYPES: Record<string, string> = Object.fromEntries(
  Object.entries(RECORDING_MEDIA_TYPES)
    .filter(([type]) => !type.startsWith('audio/x-') && type !== 'audio/wave')
    .map(([type, extension]) => [extension, type]),
);

/** The recording's media type: the key's extension first (Connect writes `.wav`), then the object's Content-Type. */
export function fetchedMediaType(key: string, contentType: string | undefined): string | null {
  const extension = key.split('.').pop()?.toLowerCase() ?? '';
  return EXTENSION_TYPES[extension] ?? recordingMediaType(contentType);
}

/** When a failed fetch is tried again: base, doubling per failure, capped. */
export function retryDelaySeconds(failedAttempts: number, policy: { retryBaseSeconds: number; retryMaxSeconds: number }): number {
  const exponent = Math.min(Math.max(failedAttempts - 1, 0), 30);
  return Math.min(policy.retryBaseSeconds * 2 ** exponent, policy.retryMaxSeconds);
}
