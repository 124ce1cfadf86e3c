import type { AnchorTarget } from '../audit/anchor/anchor-writer.js';
import type { ExportsConfig, RecordingFetchConfig } from '../config.js';
import type { Database } from '../db/client.js';
import type { MediaStore } from '../media/media-store.js';
import type { Mailer } from '../notify/mailer.js';

/** What activities may touch; tests pass their own. */
export interface ActivityDeps {
  db: Database;
  /** Content-addressed media: email originals and attachments, chat transcripts. */
  media: MediaStore;
  /** Archive destinations must lie inside it; undefined refuses every archive run. */
  archiveRoot?: string;
  /** Where audit checkpoints are anchored outside the database, and the key that signs them; undefined: not anchored. */
  auditAnchor?: AnchorTarget;
  /** Sends the outbox's mails; undefined leaves them queued for a worker that has one. */
  mailer?: Mailer;
  /** Where data export runs write their files, and the mail attachment limit; undefined refuses every export run. */
  exports?: ExportsConfig;
  /** Where recordings named by contact records are fetched from; undefined or without `s3`: fetching is off (and reported). */
  recordingFetch?: RecordingFetchConfig;
}
