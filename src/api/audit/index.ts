import { OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../context.js';
import type { ApiDeps } from '../deps.js';
import { auditHandlers } from './handlers.js';
import { createAuditCheckpointRoute, exportAuditRoute, latestAuditCheckpointRoute, searchAuditRoute, verifyAuditRoute } from './routes.js';

/** The Audit Log: search, export, chain verification and checkpoints. */
export function auditRoutes(deps: ApiDeps) {
  const handlers = auditHandlers(deps);
  return new OpenAPIHono<AppEnv>()
    .openapi(searchAuditRoute, handlers.searchAudit)
    .openapi(exportAuditRoute, handlers.exportAudit)
    .openapi(verifyAuditRoute, handlers.verifyAudit)
    .openapi(createAuditCheckpointRoute, handlers.createAuditCheckpoint)
    .openapi(latestAuditCheckpointRoute, handlers.latestAuditCheckpoint);
}
