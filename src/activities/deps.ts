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
  /** Sends the outbox's mails; undefined leaves them queued for a worker that has one. */
  mailer?: Mailer;
}
