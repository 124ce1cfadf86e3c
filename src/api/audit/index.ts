import { OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../context.js';
import type { ApiDeps } from '../deps.js';
import { createAuditCheckpoint } from './checkpoints.js';
import { exportAudit } from './export.js';
import { createAuditCheckpointRoute, exportAuditRoute, searchAuditRoute, verifyAuditRoute } from './routes.js';
import { searchAudit } from './search.js';
import { verifyAudit } from './verify.js';

/** The Audit Log: search, export, chain verification and checkpoints. */
export function auditRoutes(deps: ApiDeps) {
  return new OpenAPIHono<AppEnv>()
    .openapi(searchAuditRoute, searchAudit(deps))
    .openapi(exportAuditRoute, exportAudit(deps))
    .openapi(verifyAuditRoute, verifyAudit(deps))
    .openapi(createAuditCheckpointRoute, createAuditCheckpoint(deps));
}
