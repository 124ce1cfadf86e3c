import { GetObjectCommand, PutObjectCommand, S3ServiceException, type S3Client } from '@aws-sdk/client-s3';
import type { Readable } from 'node:stream';
import { sha256Hex } from '../lib/digest.js';
import type { MediaStore } from '../media/media-store.js';
import type { S3MediaStore } from './s3-media-store.js';

/** Archive packages live beside the media, apart from the content-addressed keys. */
export const ARCHIVE_PREFIX = 'archive/';

/**
 * Archive packages written as objects in the media bucket (MEDIA_STORE=s3), each file under Object Lock
 * until the conversation's protection ends. The manifest is written last: a package whose manifest is
 * missing was cut short and is written again; one whose manifest names another task is never touched.
 */
export interface PackageObjects {
  /** `s3://<bucket>/<key prefix>`, what archive_copies records as the package's path. */
  locationOf(keyPrefix: string): string;
  write(
    keyPrefix: string,
    files: Record<string, string>,
    manifestText: string,
    owner: { taskId: string; conversationId: string },
    retainUntil: Date | null,
  ): Promise<{ placed: true } | { placed: false; reason: string }>;
  /** Re-hashes every file the manifest names; a problem, or null when the package is intact. */
  verify(location: string, manifestSha256: string): Promise<string | null>;
}

function isS3MediaStore(media: MediaStore): media is S3MediaStore {
  return 'bucket' in media && 'client' in media;
}

async function readText(client: S3Client, Bucket: string, Key: string): Promise<string | null> {
  try {
    const answer = await client.send(new GetObjectCommand({ Bucket, Key }));
    const chunks: Buffer[] = [];
    for await (const chunk of answer.Body as Readable) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as Uint8Array));
    return Buffer.concat(chunks).toString('utf8');
  } catch (error) {
    if (error instanceof S3ServiceException && (error.name === 'NoSuchKey' || error.$metadata.httpStatusCode === 404)) return null;
    throw error;
  }
}

/** The bucket archive packages go to when media are in one; undefined: packages go to ARCHIVE_ROOT. */
export function packageObjectsOf(media: MediaStore): PackageObjects | undefined {
  if (!isS3MediaStore(media)) return undefined;
  const { client, bucket: Bucket, lockMode } = media;
  const put = (Key: string, content: string, retainUntil: Date | null) =>
    client.send(
      new PutObjectCommand({
        Bucket,
        Key,
        Body: content,
        ChecksumSHA256: Buffer.from(sha256Hex(content), 'hex').toString('base64'),
        ...(retainUntil && retainUntil.getTime() > Date.now() ? { ObjectLockMode: lockMode, ObjectLockRetainUntilDate: retainUntil } : {}),
      }),
    );
  const keyOf = (location: string) => location.slice(`s3://${Bucket}/`.length);

  return {
    locationOf: (keyPrefix) => `s3://${Bucket}/${ARCHIVE_PREFIX}${keyPrefix}`,

    async write(keyPrefix, files, manifestText, owner, retainUntil) {
      const base = `${ARCHIVE_PREFIX}${keyPrefix}/`;
      const existing = await readText(client, Bucket, `${base}manifest.json`);
      if (existing !== null) {
        let manifest: { taskId?: unknown; conversationId?: unknown } = {};
        try {
          manifest = JSON.parse(existing) as typeof manifest;
        } catch {
          // An unreadable manifest is not this task's: left as it is.
        }
        if (manifest.taskId !== owner.taskId || manifest.conversationId !== owner.conversationId) {
          return { placed: false, reason: `s3://${Bucket}/${base} already holds a package this task did not write; it was left as it is` };
        }
      }
      for (const [file, content] of Object.entries(files)) await put(`${base}${file}`, content, retainUntil);
      await put(`${base}manifest.json`, manifestText, retainUntil);
      return { placed: true };
    },

    async verify(location, manifestSha256) {
      const base = `${keyOf(location)}/`;
      const manifestText = await readText(client, Bucket, `${base}manifest.json`);
      if (manifestText === null) return 'manifest missing';
      if (sha256Hex(manifestText) !== manifestSha256) return 'manifest altered';
      const manifest = JSON.parse(manifestText) as { files: { path: string; sha256: string }[] };
      for (const file of manifest.files) {
        const content = await readText(client, Bucket, `${base}${file.path}`);
        if (content === null) return `${file.path} missing`;
        if (sha256Hex(content) !== file.sha256) return `${file.path} altered`;
      }
      return null;
    },
  };
}
