import fs from 'node:fs/promises';
import type { MediaStore } from './media-store.js';

/**
 * Deletes files whose rows a committed transaction removed. A crash before this runs leaves a file with no
 * row: unreachable through the API, but still on disk until a media sweep removes it (not built yet).
 */
export async function removeMediaFiles(media: MediaStore, digests: readonly string[]): Promise<void> {
  for (const sha256 of digests) await fs.rm(media.pathOf(sha256), { force: true });
}
