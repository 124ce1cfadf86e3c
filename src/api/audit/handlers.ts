import type { ApiDeps } from '../deps.js';
import { createAuditCheckpoint, readLatestAuditCheckpoint } from './checkpoints.js';
import { exportAudit } from './export.js';
import { searchAudit } from './search.js';
import { verifyAudit } from './verify.js';

/** The Audit Log's handlers; each lives in its own module (search, export, verify, checkpoints). */
export function auditHandlers(deps: ApiDeps) {
  return {
    searchAudit: searchAudit(deps),
    exportAudit: exportAudit(deps),
    verifyAudit: verifyAudit(deps),
    createAuditCheckpoint: createAuditCheckpoint(deps),
    latestAuditCheckpoint: readLatestAuditCheckpoint(deps),
  };
}
