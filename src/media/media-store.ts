import { createHash, randomUUID } from 'node:crypto';
import fs from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { Transform, pipeline, type Readable } from 'node:stream';
import { sha256Hex } from '../lib/digest.js';
import { InvalidDigestError, MediaIntegrityError, MediaNotFoundError } from './media-errors.js';

const SHA256_HEX = /^[0-9a-f]{64}$/;
const READ_CHUNK_BYTES = 1 << 20;

export interface StoredMedia {
  sha256: string;
  sizeBytes: number;
  /** False when the same content was already stored: nothing was written. */
  written: boolean;
}

/** A stored file whose digest was checked when it was opened; `stream()` checks it again as it reads. */
export interface VerifiedMedia {
  sha256: string;
  sizeBytes: number;
  /** Call once: the bytes, failing with MediaIntegrityError at the end if they changed since `open`. */
  stream(): Readable;
  /** Releases the file when it will not be streamed after all. */
  close(): Promise<void>;
}

/**
 * Content-addressed media under one root: a file's name is the SHA-256 of its bytes
 * (`<root>/sha256/ab/cd/<digest>`), so storing the same content twice writes it once, and every read
 * proves the bytes are the ones that were stored.
 */
export interface MediaStore {
  readonly root: string;
  put(content: Uint8Array): Promise<StoredMedia>;
  /** The whole content, verified. */
  read(sha256: string): Promise<Buffer>;
  /** For streaming large files: verified before anything is served. */
  open(sha256: string): Promise<VerifiedMedia>;
  pathOf(sha256: string): string;
}

export function isSha256Hex(value: string): boolean {
  return SHA256_HEX.test(value);
}

async function exists(file: string): Promise<boolean> {
  try {
    await fs.access(file);
    return true;
  } catch {
    return false;
  }
}

/** Makes a rename durable: without it a crash can lose the directory entry of a file already reported stored. */
async function syncDirectory(directory: string): Promise<void> {
  const handle = await fs.open(directory, 'r').catch(() => undefined);
  if (!handle) return;
  try {
    await handle.sync();
  } catch {
    // Some filesystems refuse fsync on directories; the rename itself is still atomic there.
  } finally {
    await handle.close();
  }
}

async function digestOfHandle(handle: FileHandle): Promise<{ sha256: string; sizeBytes: number }> {
  const hash = createHash('sha256');
  const buffer = Buffer.allocUnsafe(READ_CHUNK_BYTES);
  let position = 0;
  for (;;) {
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, position);
    if (bytesRead === 0) break;
    hash.update(buffer.subarray(0, bytesRead));
    position += bytesRead;
  }
  return { sha256: hash.digest('hex'), sizeBytes: position };
}

/** Re-hashes while streaming, so bytes changed in place after `open` verified them still fail the read. */
function verifyingStream(handle: FileHandle, expected: string): Readable {
  const hash = createHash('sha256');
  const check = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      hash.update(chunk);
      callback(null, chunk);
    },
    flush(callback) {
      const actual = hash.digest('hex');
      callback(actual === expected ? null : new MediaIntegrityError(expected, actual));
    },
  });
  return pipeline(handle.createReadStream({ start: 0, autoClose: true }), check, () => undefined);
}

export function createMediaStore(root: string): MediaStore {
  const absoluteRoot = path.resolve(root);
  const scratch = path.join(absoluteRoot, 'tmp');

  const pathOf = (sha256: string): string => {
    if (!isSha256Hex(sha256)) throw new InvalidDigestError(sha256);
    return path.join(absoluteRoot, 'sha256', sha256.slice(0, 2), sha256.slice(2, 4), sha256);
  };

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
      if (await exists(target)) return { sha256, sizeBytes: content.byteLength, written: false };
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
      const handle = await openStored(sha256);
      let checked: { sha256: string; sizeBytes: number };
      try {
        checked = await digestOfHandle(handle);
      } catch (error) {
        await handle.close();
        throw error;
      }
      if (checked.sha256 !== sha256) {
        await handle.close();
        throw new MediaIntegrityError(sha256, checked.sha256);
      }
      let streamed = false;
      return {
        sha256,
        sizeBytes: checked.sizeBytes,
        stream() {
          if (streamed) throw new Error(`media ${sha256} was already streamed`);
          streamed = true;
          return verifyingStream(handle, sha256);
        },
        async close() {
          if (!streamed) await handle.close();
        },
      };
    },
  };
}
