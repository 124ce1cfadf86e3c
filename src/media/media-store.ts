import { randomUUID } from 'node:crypto';
import fs from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { sha256Hex } from '../lib/digest.js';
import { fileExists, syncDirectory, verifyOpenFile, type VerifiedFile } from '../lib/verified-files.js';
import { InvalidDigestError, MediaIntegrityError, MediaNotFoundError } from './media-errors.js';

const SHA256_HEX = /^[0-9a-f]{64}$/;

export interface StoredMedia {
  sha256: string;
  sizeBytes: number;
  /** False when the same content was already stored: nothing was written. */
  written: boolean;
}

/** A stored file whose digest was checked when it was opened; `stream()` checks it again as it reads. */
export type VerifiedMedia = VerifiedFile;

/** What a removal destroyed: the object versions (S3); empty for a local file, which has none. */
export interface RemovedMedia {
  versionIds: string[];
}

/** The Object Lock an object should carry: retained at least until `retainUntil` (null: no retention), and held or not. */
export interface MediaLock {
  retainUntil: Date | null;
  legalHold: boolean;
}

/** Stores that enforce write-once retention (S3 Object Lock); see src/storage/. */
export interface MediaLocking {
  /** Applies the lock to the object's current version, extending (never shortening) its retention; answers that version. */
  apply(sha256: string, lock: MediaLock): Promise<{ versionId: string | null }>;
}

/**
 * Content-addressed media: an object's name is the SHA-256 of its bytes (`sha256/ab/cd/<digest>`, under a
 * local root folder or in a bucket), so storing the same content twice writes it once, and every read
 * proves the bytes are the ones that were stored.
 */
export interface MediaStore {
  /** Where the media live, for logs and tests: a folder, or `s3://<bucket>`. */
  readonly root: string;
  put(content: Uint8Array): Promise<StoredMedia>;
  /** The whole content, verified. */
  read(sha256: string): Promise<Buffer>;
  /** For streaming large files: verified before anything is served. */
  open(sha256: string): Promise<VerifiedMedia>;
  /**
   * Destroys the content, every stored version of it; content already gone is not an error. Throws
   * MediaLockedError, destroying nothing more, while the store's Object Lock still protects it.
   */
  remove(sha256: string): Promise<RemovedMedia>;
  /** Where the content lives inside the store: a file path (local), or an object key (S3). */
  pathOf(sha256: string): string;
  /** Present on stores that enforce retention themselves; a local folder cannot. */
  readonly locking?: MediaLocking;
}

/** The object key (or path below the root) of a digest; refuses anything that is not one. */
export function mediaKeyOf(sha256: string): string {
  if (!isSha256Hex(sha256)) throw new InvalidDigestError(sha256);
  return `sha256/${sha256.slice(0, 2)}/${sha256.slice(2, 4)}/${sha256}`;
}

export function isSha256Hex(value: string): boolean {
  return SHA256_HEX.test(value);
}

export function createMediaStore(root: string): MediaStore {
  const absoluteRoot = path.resolve(root);
  const scratch = path.join(absoluteRoot, 'tmp');

  const pathOf = (sha256: string): string => path.join(absoluteRoot, ...mediaKeyOf(sha256).split('/'));

  const openStored = async (sha256: string): Promise<FileHandle> => {
    try {
      return await fs.open(pathOf(sha256), 'r');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new MediaNotFoundError(sha256);
      throw error;
    }
  };

  return {
    root: absoluteRoot,
    pathOf,

    async put(content) {
      const sha256 = sha256Hex(content);
      const target = pathOf(sha256);
      if (await fileExists(target)) return { sha256, sizeBytes: content.byteLength, written: false };
      await fs.mkdir(path.dirname(target), { recursive: true });
      await fs.mkdir(scratch, { recursive: true });
      // Written beside the store and renamed into place: a reader sees the whole file or none of it.
      const temporary = path.join(scratch, `${sha256}.${randomUUID()}`);
      const handle = await fs.open(temporary, 'wx', 0o444);
      try {
        await handle.writeFile(content);
        await handle.sync();
      } finally {
        await handle.close();
      }
      try {
        await fs.rename(temporary, target);
      } catch (error) {
        await fs.rm(temporary, { force: true });
        throw error;
      }
      await syncDirectory(path.dirname(target));
      return { sha256, sizeBytes: content.byteLength, written: true };
    },

    async read(sha256) {
      const handle = await openStored(sha256);
      let content: Buffer;
      try {
        content = await handle.readFile();
      } finally {
        await handle.close();
      }
      const actual = sha256Hex(content);
      if (actual !== sha256) throw new MediaIntegrityError(sha256, actual);
      return content;
    },

    async open(sha256) {
      return verifyOpenFile(await openStored(sha256), sha256, (actual) => new MediaIntegrityError(sha256, actual));
    },

    async remove(sha256) {
      await fs.rm(pathOf(sha256), { force: true });
      return { versionIds: [] };
    },
  };
}
