import { randomUUID } from 'node:crypto';
import { DeleteObjectCommand, GetObjectLockConfigurationCommand, ListObjectVersionsCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { sha256Hex } from '../lib/digest.js';
import { isLockRefusal } from './s3-media-store.js';

/** Probes live apart from the content-addressed keys, so they can never be mistaken for media. */
export const WORM_PROBE_PREFIX = 'recordkeeper-worm-probe/';
const PROBE_RETENTION_MS = 5_000;

export interface WormSelfTestResult {
  /** True only when the store refused to delete a version under retention. */
  enforced: boolean;
  detail: string;
}

/** The bucket does not enforce write-once retention; the engine refuses to start on it in compliance mode. */
export class StorageNotWormError extends Error {
  constructor(bucket: string, detail: string) {
    super(`STORAGE_MODE=compliance, but the media bucket ${bucket} failed the WORM self-test: ${detail}`);
    this.name = 'StorageNotWormError';
  }
}

/**
 * Proves the bucket enforces Object Lock: writes a small probe retained for a few seconds and tries to
 * delete that very version, which a WORM store must refuse. Probes from earlier runs whose retention has
 * ended are removed first (a refusal there just leaves them for the next start).
 */
export async function runWormSelfTest(client: S3Client, bucket: string, lockMode: 'COMPLIANCE' | 'GOVERNANCE'): Promise<WormSelfTestResult> {
  const lockConfiguration = await client.send(new GetObjectLockConfigurationCommand({ Bucket: bucket })).catch((error: unknown) => error as Error);
  if (lockConfiguration instanceof Error) return { enforced: false, detail: `the bucket has no Object Lock configuration (${lockConfiguration.name})` };
  if (lockConfiguration.ObjectLockConfiguration?.ObjectLockEnabled !== 'Enabled') return { enforced: false, detail: 'Object Lock is not enabled on the bucket' };

  await removeExpiredProbes(client, bucket);
  const Key = `${WORM_PROBE_PREFIX}${new Date().toISOString()}-${randomUUID()}`;
  const Body = Buffer.from(`Recordkeeper WORM self-test probe ${Key}\n`);
  let VersionId: string | undefined;
  try {
    const written = await client.send(
      new PutObjectCommand({
        Bucket: bucket,
        Key,
        Body,
        ChecksumSHA256: Buffer.from(sha256Hex(Body), 'hex').toString('base64'),
        ObjectLockMode: lockMode,
        ObjectLockRetainUntilDate: new Date(Date.now() + PROBE_RETENTION_MS),
      }),
    );
    VersionId = written.VersionId;
  } catch (error) {
    return { enforced: false, detail: `a probe under ${lockMode} retention could not be written (${error instanceof Error ? `${error.name}: ${error.message}` : String(error)})` };
  }
  if (!VersionId) return { enforced: false, detail: 'the bucket is not versioned: a delete could not name the version it destroys' };
  try {
    await client.send(new DeleteObjectCommand({ Bucket: bucket, Key, VersionId }));
  } catch (error) {
    if (isLockRefusal(error)) return { enforced: true, detail: `deleting probe version ${VersionId} under ${lockMode} retention was refused (${(error as Error).name})` };
    return { enforced: false, detail: `deleting the probe failed otherwise than by a lock refusal (${error instanceof Error ? `${error.name}: ${error.message}` : String(error)})` };
  }
  return { enforced: false, detail: `probe version ${VersionId} was deleted although under ${lockMode} retention until a few seconds later` };
}

async function removeExpiredProbes(client: S3Client, bucket: string): Promise<void> {
  const listed = await client.send(new ListObjectVersionsCommand({ Bucket: bucket, Prefix: WORM_PROBE_PREFIX, MaxKeys: 100 })).catch(() => undefined);
  for (const version of [...(listed?.Versions ?? []), ...(listed?.DeleteMarkers ?? [])]) {
    if (!version.Key?.startsWith(WORM_PROBE_PREFIX) || !version.VersionId) continue;
    await client.send(new DeleteObjectCommand({ Bucket: bucket, Key: version.Key, VersionId: version.VersionId })).catch(() => undefined);
  }
}
