import { randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import {
  DeleteObjectCommand,
  GetObjectCommand,
  GetObjectRetentionCommand,
  HeadObjectCommand,
  ListObjectVersionsCommand,
  PutObjectCommand,
  PutObjectLegalHoldCommand,
  PutObjectRetentionCommand,
  S3ServiceException,
  type S3Client,
} from '@aws-sdk/client-s3';
import type { ObjectStoreConfig } from '../config.js';
import { sha256Hex } from '../lib/digest.js';
import { verifyOpenFile } from '../lib/verified-files.js';
import { MediaIntegrityError, MediaLockedError, MediaNotFoundError } from '../media/media-errors.js';
import { mediaKeyOf, type MediaStore } from '../media/media-store.js';
import { createS3Client } from '../recordings/s3-objects.js';

export interface S3MediaStore extends MediaStore {
  readonly bucket: string;
  readonly client: S3Client;
  readonly lockMode: ObjectStoreConfig['lockMode'];
  destroy(): void;
}

const isMissing = (error: unknown) =>
  error instanceof S3ServiceException && (error.name === 'NotFound' || error.name === 'NoSuchKey' || error.$metadata.httpStatusCode === 404);

/** What S3 answers when Object Lock (retention or legal hold) refuses a deletion. */
export const isLockRefusal = (error: unknown) =>
  error instanceof S3ServiceException && (error.name === 'AccessDenied' || error.name === 'ObjectLocked' || error.$metadata.httpStatusCode === 403);

async function readBody(body: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of body) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as Uint8Array));
  return Buffer.concat(chunks);
}

/**
 * Content-addressed media in an S3 bucket with Object Lock: the same keys as the local store
 * (`sha256/ab/cd/<digest>`), one version per key (content never changes under its digest), every read
 * verified. Retention and legal hold are applied by the lock reconciler (src/storage/media-locks.ts) from
 * the conversations referring to the object; removal destroys every version and fails while a lock holds.
 */
export function createS3MediaStore(config: ObjectStoreConfig, options: { scratchDir?: string } = {}): S3MediaStore {
  const client = createS3Client(config.endpoint);
  const Bucket = config.bucket;
  const scratchDir = options.scratchDir ?? os.tmpdir();

  const getObject = async (sha256: string) => {
    try {
      return await client.send(new GetObjectCommand({ Bucket, Key: mediaKeyOf(sha256) }));
    } catch (error) {
      if (isMissing(error)) throw new MediaNotFoundError(sha256);
      throw error;
    }
  };

  const currentVersion = async (sha256: string): Promise<string | null> => {
    const head = await client.send(new HeadObjectCommand({ Bucket, Key: mediaKeyOf(sha256) }));
    return head.VersionId ?? null;
  };

  return {
    root: `s3://${Bucket}`,
    bucket: Bucket,
    client,
    lockMode: config.lockMode,
    pathOf: mediaKeyOf,
    destroy: () => client.destroy(),

    async put(content) {
      const sha256 = sha256Hex(content);
      const Key = mediaKeyOf(sha256);
      try {
        await client.send(new HeadObjectCommand({ Bucket, Key }));
        return { sha256, sizeBytes: content.byteLength, written: false };
      } catch (error) {
        if (!isMissing(error)) throw error;
      }
      // The SHA-256 checksum makes the store itself refuse bytes damaged on the way.
      // Retained by the write itself: no moment exists in which the object could be overwritten or erased.
      const writeLock =
        config.writeRetentionSeconds > 0
          ? { ObjectLockMode: config.lockMode, ObjectLockRetainUntilDate: new Date(Date.now() + config.writeRetentionSeconds * 1000) }
          : {};
      await client.send(new PutObjectCommand({ Bucket, Key, Body: content, ChecksumSHA256: Buffer.from(sha256, 'hex').toString('base64'), ...writeLock }));
      return { sha256, sizeBytes: content.byteLength, written: true };
    },

    async read(sha256) {
      const answer = await getObject(sha256);
      const content = await readBody(answer.Body as Readable);
      const actual = sha256Hex(content);
      if (actual !== sha256) throw new MediaIntegrityError(sha256, actual);
      return content;
    },

    async open(sha256) {
      // Downloaded to an unlinked scratch file, so the bytes are checked in full before any is served and
      // large media never sit in memory; the same verified stream as the local store from there on.
      const answer = await getObject(sha256);
      await fs.mkdir(scratchDir, { recursive: true });
      const scratch = path.join(scratchDir, `recordkeeper-media-${sha256}.${randomUUID()}`);
      let handle;
      try {
        await pipeline(answer.Body as Readable, createWriteStream(scratch, { flags: 'wx', mode: 0o600 }));
        handle = await fs.open(scratch, 'r');
      } finally {
        await fs.rm(scratch, { force: true });
      }
      return verifyOpenFile(handle, sha256, (actual) => new MediaIntegrityError(sha256, actual));
    },

    async remove(sha256) {
      const Key = mediaKeyOf(sha256);
      const destroyed: string[] = [];
      let KeyMarker: string | undefined;
      let VersionIdMarker: string | undefined;
      for (;;) {
        const page = await client.send(new ListObjectVersionsCommand({ Bucket, Prefix: Key, KeyMarker, VersionIdMarker }));
        const versions = [...(page.Versions ?? []), ...(page.DeleteMarkers ?? [])].filter((entry) => entry.Key === Key && entry.VersionId);
        for (const { VersionId } of versions) {
          try {
            // Never BypassGovernanceRetention: the engine deletes only what the lock already lets go.
            await client.send(new DeleteObjectCommand({ Bucket, Key, VersionId }));
          } catch (error) {
            if (isLockRefusal(error)) throw new MediaLockedError(sha256, error instanceof Error ? error.message : String(error));
            if (!isMissing(error)) throw error;
          }
          destroyed.push(VersionId!);
        }
        if (!page.IsTruncated) return { versionIds: destroyed };
        KeyMarker = page.NextKeyMarker;
        VersionIdMarker = page.NextVersionIdMarker;
      }
    },

    locking: {
      async apply(sha256, lock) {
        const Key = mediaKeyOf(sha256);
        const VersionId = (await currentVersion(sha256)) ?? undefined;
        if (lock.retainUntil && lock.retainUntil.getTime() > Date.now()) {
          const applied = await client
            .send(new GetObjectRetentionCommand({ Bucket, Key, VersionId }))
            .then((answer) => answer.Retention?.RetainUntilDate ?? null)
            .catch(() => null);
          // Never shortened: a retention the store already holds longer is left as it is.
          if (!applied || applied.getTime() < lock.retainUntil.getTime()) {
            await client.send(new PutObjectRetentionCommand({ Bucket, Key, VersionId, Retention: { Mode: config.lockMode, RetainUntilDate: lock.retainUntil } }));
          }
        }
        await client.send(new PutObjectLegalHoldCommand({ Bucket, Key, VersionId, LegalHold: { Status: lock.legalHold ? 'ON' : 'OFF' } }));
        return { versionId: VersionId ?? null };
      },
    },
  };
}
