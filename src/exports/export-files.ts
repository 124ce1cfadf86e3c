import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { syncDirectory, verifyOpenFile, type VerifiedFile } from '../lib/verified-files.js';

/** Where a run's file lives, relative to the exports folder. */
export function exportFilePath(exportId: string, runId: string): string {
  return path.join(exportId, `${runId}.csv`);
}

/** The absolute path of a stored relative one; a path that would leave the exports folder is refused. */
export function resolveExportFile(root: string, relativePath: string): string {
  const absoluteRoot = path.resolve(root);
  const absolute = path.resolve(absoluteRoot, relativePath);
  if (!absolute.startsWith(`${absoluteRoot}${path.sep}`)) throw new Error(`export file ${relativePath} lies outside the exports folder`);
  return absolute;
}

export interface WrittenFile {
  sizeBytes: number;
  sha256: string;
}

export interface ExportFileWriter {
  /** Resolves once the bytes are handed to the file: a slow disk holds the producer back. */
  write(text: string): Promise<void>;
  /** Flushes to disk and renames the file into place: a reader sees the whole file or none. */
  finish(): Promise<WrittenFile>;
  abort(): Promise<void>;
}

/**
 * Writes a run's file under a temporary name beside its final one, hashing and counting the bytes as they
 * go (no second read). A retried run starts the temporary file again.
 */
export async function openExportFileWriter(root: string, relativePath: string): Promise<ExportFileWriter> {
  const target = resolveExportFile(root, relativePath);
  const temporary = path.join(path.dirname(target), `.${path.basename(target)}.partial`);
  await fs.mkdir(path.dirname(target), { recursive: true });
  const handle = await fs.open(temporary, 'w', 0o640);
  const hash = createHash('sha256');
  let sizeBytes = 0;
  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    await handle.close();
  };
  return {
    async write(text) {
      const bytes = Buffer.from(text, 'utf8');
      hash.update(bytes);
      sizeBytes += bytes.length;
      let offset = 0;
      while (offset < bytes.length) offset += (await handle.write(bytes, offset, bytes.length - offset)).bytesWritten;
    },
    async finish() {
      await handle.sync();
      await close();
      await fs.rename(temporary, target);
      await syncDirectory(path.dirname(target));
      return { sizeBytes, sha256: hash.digest('hex') };
    },
    async abort() {
      await close();
      await fs.rm(temporary, { force: true });
    },
  };
}

export class ExportFileIntegrityError extends Error {
  constructor(
    readonly expected: string,
    readonly actual: string,
  ) {
    super(`export file digest ${actual} does not match the recorded ${expected}`);
  }
}

export type VerifiedExportFile = VerifiedFile;

/** Opens a run's file and checks it against its recorded digest before anything is served. */
export async function openVerifiedExportFile(root: string, relativePath: string, expectedSha256: string): Promise<VerifiedExportFile> {
  const handle = await fs.open(resolveExportFile(root, relativePath), 'r');
  return verifyOpenFile(handle, expectedSha256, (actual) => new ExportFileIntegrityError(expectedSha256, actual));
}
