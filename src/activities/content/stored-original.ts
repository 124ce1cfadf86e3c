import { ApplicationFailure } from '@temporalio/activity';
import { FailureType } from '../../domain/failures.js';
import { MediaIntegrityError, MediaNotFoundError } from '../../media/media-errors.js';
import type { MediaStore } from '../../media/media-store.js';

/** The content the API stored for an import, verified; retrying cannot bring back a missing or altered file. */
export async function readStoredOriginal(media: MediaStore, sha256: string): Promise<Buffer> {
  try {
    return await media.read(sha256);
  } catch (error) {
    if (error instanceof MediaNotFoundError) throw ApplicationFailure.nonRetryable(error.message, FailureType.NotFound);
    if (error instanceof MediaIntegrityError) throw ApplicationFailure.nonRetryable(error.message, 'MediaIntegrityError');
    throw error;
  }
}
