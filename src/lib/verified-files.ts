import { createHash } from 'node:crypto';
import fs, { type FileHandle } from 'node:fs/promises';
import { Transform, pipeline, type Readable } from 'node:stream';

/**
 * Files whose bytes are proved by their SHA-256 each time they are served: the media store's content,
 * export files, attachments. One implementation of "check, then stream while checking again".
 */
const READ_CHUNK_BYTES = 1 << 20;

export async function fileExists(file: string): Promise<boolean> {
  try {
    await fs.access(file);
    return true;
  } catch {
    return false;
  }
}

/**
 * Writes `content` to a file that must not exist yet (a temporary name) and fsyncs it, so that the rename
 * or link which then publishes it never exposes a partial file after a crash.
 */
export async function writeNewFileDurably(file: string, content: string | Uint8Array, mode = 0o444): Promise<void> {
  const handle = await fs.open(file, 'wx', mode);
  try {
    await handle.writeFile(content);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Makes a rename durable: without it a crash can lose the directory entry of a file already reported stored. */
export async function syncDirectory(directory: string): Promise<void> {
  let handle: FileHandle | undefined;
  try {
    handle = await fs.open(directory, 'r');
    await handle.sync();
  } catch {
    // Some filesystems refuse fsync on directories; the rename itself is still atomic there.
  } finally {
    await handle?.close();
  }
}

export async function digestOfHandle(handle: FileHandle): Promise<{ sha256: string; sizeBytes: number }> {
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

/** A file whose digest was checked when it was opened; `stream()` checks it again as it reads. */
export interface VerifiedFile {
  sha256: string;
  sizeBytes: number;
  /** Call once: the bytes, failing with `mismatch(actual)` at the end if they changed since the check. */
  stream(): Readable;
  /**
   * Call once instead of `stream()`: bytes `start` to `end` (inclusive) for a range request. The whole file
   * was verified when it was opened; a part cannot be re-hashed on its own, so the range is served as checked.
   */
  streamRange(start: number, end: number): Readable;
  /** Releases the file when it will not be streamed after all. */
  close(): Promise<void>;
}

/**
 * Checks an open file against `expectedSha256` before anything is served (closing it and throwing
 * `mismatch(actual)` when it differs), then re-hashes while streaming, so bytes changed in place after the
 * check still fail the read.
 */
export async function verifyOpenFile(handle: FileHandle, expectedSha256: string, mismatch: (actual: string) => Error): Promise<VerifiedFile> {
  let checked: { sha256: string; sizeBytes: number };
  try {
    checked = await digestOfHandle(handle);
  } catch (error) {
    await handle.close();
    throw error;
  }
  if (checked.sha256 !== expectedSha256) {
    await handle.close();
    throw mismatch(checked.sha256);
  }
  let streamed = false;
  return {
    ...checked,
    stream() {
      if (streamed) throw new Error(`file ${expectedSha256} was already streamed`);
      streamed = true;
      const hash = createHash('sha256');
      const check = new Transform({
        transform(chunk: Buffer, _encoding, callback) {
          hash.update(chunk);
          callback(null, chunk);
        },
        flush(callback) {
          const actual = hash.digest('hex');
          callback(actual === expectedSha256 ? null : mismatch(actual));
        },
      });
      return pipeline(handle.createReadStream({ start: 0, autoClose: true }), check, () => undefined);
    },
    streamRange(start, end) {
      if (streamed) throw new Error(`file ${expectedSha256} was already streamed`);
      if (start < 0 || end < start || end >= checked.sizeBytes) throw new RangeError(`range ${start}-${end} outside ${checked.sizeBytes} bytes`);
      streamed = true;
      return handle.createReadStream({ start, end, autoClose: true });
    },
    async close() {
      if (!streamed) await handle.close();
    },
  };
}
