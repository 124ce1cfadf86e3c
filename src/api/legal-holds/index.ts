import { randomUUID } from 'node:crypto';
import { OpenAPIHono } from '@hono/zod-openapi';
import { appendAudit, syncEntry } from '../../audit/audit-writer.js';
import { placeSearchHoldPage, releaseSearchHoldGroup, type PlacedHold } from '../../legal-holds/search-holds.js';
import { mapWithConcurrency } from '../../lib/concurrency.js';
import { searchConversations, type SearchPosition } from '../../search/conversation-search.js';
import {
  conversationWorkflowId,
  legalHoldChangedSignal,
  type LegalHoldChange,
  type RequestContext,
} from '../../workflows/conversation-lifecycle.contract.js';
import type { AppEnv } from '../context.js';
import { searchQuerySchema } from '../conversations/search/routes.js';
import { auditedFilters, searchRequestOf } from '../conversations/search/search-request.js';
import type { ApiDeps } from '../deps.js';
import { ProblemError } from '../problem.js';
import { requestContext } from '../request-context.js';
import { placeSearchHoldRoute, releaseSearchHoldRoute } from './routes.js';

/** The Conversation Explorer's largest page; each page is one transaction. */
const PAGE = 200;
/** Signals are small and fast; a few in flight keep a large hold within seconds without flooding the server. */
const SIGNAL_CONCURRENCY = 16;

type Failure = { conversationId: string; reason: string };

/**
 * The holds are already in force (PostgreSQL is what deletion re-checks); each lifecycle is then told, so it
 * records the step and re-plans. A lifecycle that cannot be reached is reported, its hold stays.
 */
async function notifyLifecycles(deps: ApiDeps, holds: readonly PlacedHold[], change: LegalHoldChange['change'], reason: string, failed: Failure[]) {
  await mapWithConcurrency(holds, SIGNAL_CONCURRENCY, async ({ conversationId, holdId }) => {
    try {
      await deps.temporal.client.workflow.getHandle(conversationWorkflowId(conversationId)).signal(legalHoldChangedSignal, { holdId, change, reason });
    } catch (error) {
      failed.push({ conversationId, reason: `hold ${change}, lifecycle not notified: ${error instanceof Error ? error.message : String(error)}` });
    }
  });
}

async function auditGroup(deps: ApiDeps, context: RequestContext, activity: 'LEGAL_HOLD_ADD' | 'LEGAL_HOLD_RELEASE', description: string, details: Record<string, unknown>, ok: boolean) {
  await appendAudit(deps.db, [
    syncEntry({ activity, result: ok ? 'OK' : 'FAIL', actor: context.actor, description, details, correlationId: context.correlationId }),
  ]);
}

/** Holds over a whole search: each matching conversation gets its own hold through its lifecycle. */
export function legalHoldGroupRoutes(deps: ApiDeps) {
  return new OpenAPIHono<AppEnv>()
    .openapi(placeSearchHoldRoute, async (c) => {
      const body = c.req.valid('json');
      const context = requestContext(c);
      const { filters } = searchRequestOf(searchQuerySchema.parse({ ...body.query, limit: PAGE }));
      const holdGroupId = randomUUID();
      const scope = { holdGroupId, query: auditedFilters(filters) };
      const failed: Failure[] = [];
      let matched = 0;
      let held = 0;
      let after: SearchPosition | undefined;
      for (;;) {
        const page = await searchConversations(deps.db, { filters, after, limit: PAGE });
        if (page.length === 0) break;
        matched += page.length;
        const { placed, deleted } = await placeSearchHoldPage(deps.db, {
          holdGroupId,
          conversationIds: page.map((row) => row.id),
          reason: body.reason,
          reference: body.reference,
          scope,
          context,
        });
        held += placed.length;
        for (const conversationId of deleted) failed.push({ conversationId, reason: 'conversation was deleted before the hold' });
        await notifyLifecycles(deps, placed, 'placed', body.reason, failed);
        after = page[page.length - 1]!.position;
        if (page.length < PAGE) break;
      }
      await auditGroup(deps, context, 'LEGAL_HOLD_ADD', `Legal hold ${holdGroupId} placed on ${held} conversation(s) found by a search`, { ...scope, matched, held, failed }, failed.length === 0);
      return c.json({ holdGroupId, matched, held, failed }, 201);
    })
    .openapi(releaseSearchHoldRoute, async (c) => {
      const { holdGroupId } = c.req.valid('param');
      const { reason } = c.req.valid('json');
      const context = requestContext(c);
      const released = await releaseSearchHoldGroup(deps.db, { holdGroupId, reason, context });
      if (released.length === 0) throw new ProblemError(404, 'No active holds in this group', { detail: holdGroupId });
      const failed: Failure[] = [];
      await notifyLifecycles(deps, released, 'released', reason, failed);
      await auditGroup(deps, context, 'LEGAL_HOLD_RELEASE', `Legal hold group ${holdGroupId} released on ${released.length} conversation(s)`, { holdGroupId, reason, released: released.length, failed }, failed.length === 0);
      return c.json({ holdGroupId, matched: released.length, held: released.length, failed }, 200);
    });
}
