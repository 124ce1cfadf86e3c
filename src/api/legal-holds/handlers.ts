import { randomUUID } from 'node:crypto';
import type { RouteHandler } from '@hono/zod-openapi';
import { appendOutcome } from '../../audit/write/audit-outcome.js';
import { placeSearchHold } from '../../legal-holds/search-holds.js';
import type { AppEnv } from '../context.js';
import { auditedFilters, searchFiltersOf } from '../search-query.js';
import type { ApiDeps } from '../deps.js';
import { requestContext } from '../request-context.js';
import { notifyLifecycles } from './hold-notify.js';
import { requestRelease } from './release-handlers.js';
import type { placeSearchHoldRoute, releaseSearchHoldRoute } from './routes.js';

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
    return c.json(await requestRelease(deps, c, { kind: 'group', holdGroupId }, reason), 202);
  };

  return { placeSearchHold: placeSearchHoldHandler, releaseSearchHold };
}
