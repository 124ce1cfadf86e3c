import { randomUUID } from 'node:crypto';
import type { RouteHandler } from '@hono/zod-openapi';
import { appendOutcome } from '../../audit/write/audit-outcome.js';
import { placeSearchHold, releaseSearchHoldGroup } from '../../legal-holds/search-holds.js';
import type { LegalHoldChange } from '../../workflows/conversation-lifecycle.contract.js';
import { LEGAL_HOLD_NOTIFY_WORKFLOW, legalHoldNotifyWorkflowId } from '../../workflows/legal-hold-notify.contract.js';
import type { AppEnv } from '../context.js';
import { auditedFilters, searchFiltersOf } from '../search-query.js';
import type { ApiDeps } from '../deps.js';
import { ProblemError } from '../problem.js';
import { requestContext } from '../request-context.js';
import type { placeSearchHoldRoute, releaseSearchHoldRoute } from './routes.js';

/** The holds are in force once written; the lifecycles are told in the background (legalHoldNotify). */
async function notifyLifecycles(deps: ApiDeps, holdGroupId: string, change: LegalHoldChange['change'], reason: string): Promise<void> {
  await deps.temporal.client.workflow.start(LEGAL_HOLD_NOTIFY_WORKFLOW, {
    workflowId: legalHoldNotifyWorkflowId(holdGroupId, change),
    taskQueue: deps.temporal.taskQueue,
    args: [{ holdGroupId, change, reason }],
  });
}

export function legalHoldGroupHandlers(deps: ApiDeps) {
  const placeSearchHoldHandler: RouteHandler<typeof placeSearchHoldRoute, AppEnv> = async (c) => {
    const body = c.req.valid('json');
    const context = requestContext(c);
    const filters = searchFiltersOf(body.query);
    const holdGroupId = randomUUID();
    const scope = { holdGroupId, query: auditedFilters(filters) };
    const { matched, held, deleted } = await placeSearchHold(deps.db, { filters, holdGroupId, reason: body.reason, reference: body.reference, scope, context });
    const failed = deleted.map((conversationId) => ({ conversationId, reason: 'conversation was deleted before the hold' }));
    if (held > 0) await notifyLifecycles(deps, holdGroupId, 'placed', body.reason);
    await appendOutcome(deps.db, { activity: 'LEGAL_HOLD_ADD', result: failed.length === 0 ? 'OK' : 'FAIL', actor: context.actor, correlationId: context.correlationId, description: `Legal hold ${holdGroupId} placed on ${held} conversation(s) found by a search`, details: { ...scope, matched, held, failed } });
    return c.json({ holdGroupId, matched, held, failed }, 201);
  };
  const releaseSearchHold: RouteHandler<typeof releaseSearchHoldRoute, AppEnv> = async (c) => {
    const { holdGroupId } = c.req.valid('param');
    const { reason } = c.req.valid('json');
    const context = requestContext(c);
    const released = await releaseSearchHoldGroup(deps.db, { holdGroupId, reason, context });
    if (released.length === 0) throw new ProblemError(404, 'No active holds in this group', { detail: holdGroupId });
    await notifyLifecycles(deps, holdGroupId, 'released', reason);
    await appendOutcome(deps.db, { activity: 'LEGAL_HOLD_RELEASE', result: 'OK', actor: context.actor, correlationId: context.correlationId, description: `Legal hold group ${holdGroupId} released on ${released.length} conversation(s)`, details: { holdGroupId, reason, released: released.length } });
    return c.json({ holdGroupId, matched: released.length, held: released.length, failed: [] }, 200);
  };

  return { placeSearchHold: placeSearchHoldHandler, releaseSearchHold };
}
