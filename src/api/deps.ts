import type { Client } from '@temporalio/client';
import type { Config } from '../config.js';
import type { Database } from '../db/client.js';
import type { Logger } from '../lib/logger.js';
import type { MediaStore } from '../media/media-store.js';

export interface ApiDeps {
  db: Database;
  temporal: { client: Client; taskQueue: string };
  /** Content-addressed media: the API stores imported emails and serves verified files. */
  media: MediaStore;
  /** Readiness probes: each resolves when its dependency answers. */
  probes?: Record<string, () => Promise<void>>;
  /** One JSON line per request; none when absent (tests). */
  logger?: Logger;
  /** CORS origins and the request timeout; CORS closed and 30 s when absent. */
  http?: Config['http'];
  /** Archive task destinations must lie inside it; absent: archiving refused. */
  archiveRoot?: string;
  /** The data folder, where the first admin's token file is removed once that admin makes another token. */
  dataDir?: string;
  /** Signed audit anchors outside the database, compared with the log by GET /v1/audit/verify; absent: not compared. */
  auditAnchors?: { dir: string; publicKeyPem: string };
  /** Accept OIDC bearer tokens from this identity provider, besides API tokens. */
  oidc?: Config['oidc'];
  /** Where data export files are (served verified); absent: downloads refused. */
  exports?: Config['exports'];
  /**
   * Search hold runs: page size and pages per workflow run (SEARCH_HOLD_RUN_DEFAULTS when absent), and how
   * long POST /v1/legal-holds waits for a run to be in force before answering it placing; small in tests.
   */
  searchHoldRun?: { pageSize?: number; pagesPerRun?: number; answerWithinMs?: number };
  /** The web console's session limits and links; defaults (30 min idle, 12 h at most, no Temporal UI link) when absent. */
  console?: Partial<Config['console']> & { temporalNamespace?: string };
}
