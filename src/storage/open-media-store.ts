import type { Config } from '../config.js';
import type { Logger } from '../lib/logger.js';
import { createMediaStore, type MediaStore } from '../media/media-store.js';
import { createS3MediaStore } from './s3-media-store.js';
import { runWormSelfTest, StorageNotWormError } from './worm-self-test.js';

/**
 * The media store the configuration names. An S3 bucket is WORM-self-tested first: in compliance mode a
 * bucket that does not refuse an early deletion stops the start-up (StorageNotWormError), otherwise the
 * result is logged.
 */
export async function openMediaStore(config: Config, logger: Logger): Promise<MediaStore> {
  if (config.mediaStore.kind === 'local') {
    logger.info('media store: local folder (no WORM enforcement)', { root: config.mediaRoot, storageMode: config.storageMode });
    return createMediaStore(config.mediaRoot);
  }
  const store = createS3MediaStore(config.mediaStore);
  const result = await runWormSelfTest(store.client, store.bucket, config.mediaStore.lockMode).catch((error: unknown) => ({
    enforced: false,
    detail: `the bucket did not answer (${error instanceof Error ? `${error.name}: ${error.message}` : String(error)})`,
  }));
  const fields = { bucket: store.bucket, lockMode: config.mediaStore.lockMode, storageMode: config.storageMode, enforced: result.enforced, detail: result.detail };
  if (result.enforced) {
    logger.info('media store: S3 bucket with Object Lock, WORM self-test passed', fields);
  } else if (config.storageMode === 'compliance') {
    store.destroy();
    logger.error('media store refused: WORM self-test failed in compliance mode', fields);
    throw new StorageNotWormError(store.bucket, result.detail);
  } else {
    logger.warn('media store: WORM self-test failed; media are not protected against early deletion (STORAGE_MODE=standard)', fields);
  }
  return store;
}
