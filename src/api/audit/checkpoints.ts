import type { RouteHandler } from '@hono/zod-openapi';
import { writeAuditCheckpoint } from '../../audit/write/checkpoint-writer.js';
import { appendOutcome } from '../../audit/write/audit-outcome.js';
import type { AppEnv } from '../context.js';
import type { ApiDeps } from '../deps.js';
import { requestContext } from '../request-context.js';
import type { createAuditCheckpointRoute, latestAuditCheckpointRoute } from './routes.js';
import { latestAuditCheckpoint } from '../../audit/read/latest-checkpoint.js';
import { auditedCall } from '../../audit/write/audited.js';
import { ProblemError } from '../problem.js';

/** Success is audited inside the checkpoint's transaction; a failure here, on its own. */
export function createAuditCheckpoint(deps: ApiDeps): RouteHandler<typeof createAuditCheckpointRoute, AppEnv> {
  return async (c) => {
    const context = requestContext(c);
    try {
      const { checkpoint } = await writeAuditCheckpoint(deps.db, { actor: context.actor, correlationId: context.correlationId, onlyIfMoved: false });
      return c.json(checkpoint, 201);
    } catch (error) {
      await appendOutcome(deps.db, {
        activity: 'AUDIT_CHECKPOINT',
        result: 'FAIL',
        actor: context.actor,
        description: 'Audit chain head checkpoint failed',
        details: { error: error instanceof Error ? error.message : String(error) },
        correlationId: context.correlationId,
      });
      throw error;
    }
  };
}

export function readLatestAuditCheckpoint(deps: ApiDeps): RouteHandler<typeof latestAuditCheckpointRoute, AppEnv> {
  return async (c) => {
    const checkpoint = await auditedCall(deps.db, { ...requestContext(c), activity: 'AUDIT_VERIFY', description: 'Latest audit checkpoint read' }, async () => ({
      value: await latestAuditCheckpoint(deps.db),
    }));
    if (!checkpoint) throw new ProblemError(404, 'No checkpoint', { detail: 'The audit chain has not been checkpointed yet' });
    return c.json(checkpoint, 200);
  };
}
