import { randomUUID } from 'node:crypto';
import type { RouteHandler } from '@hono/zod-openapi';
import {
  anonymiseUpdate,
  extendRetentionUpdate,
  placeLegalHoldUpdate,
  tagConversationUpdate,
  untagConversationUpdate,
} from '../../workflows/conversation-lifecycle.contract.js';
import { auditedLifecycleUpdate } from '../lifecycle-client.js';
import type { AppEnv } from '../context.js';
import type { ApiDeps } from '../deps.js';
import { requireKnownTag } from '../known-tags.js';
import { updateConversation } from '../lifecycle-client.js';
import { ProblemError } from '../problem.js';
import { requestContext } from '../request-context.js';
import { requestRelease } from '../legal-holds/release-handlers.js';
import { retentionOverview } from './retention-overview.js';
import type * as routes from './routes.js';

export function conversationLifecycleHandlers(deps: ApiDeps) {
  const tagConversation: RouteHandler<typeof routes.tagConversationRoute, AppEnv> = async (c) => {
    const { conversationId } = c.req.valid('param');
    const body = c.req.valid('json');
    const result = await auditedLifecycleUpdate(
      deps,
      c,
      { activity: 'CONVERSATION_EVENT_TAG_ADD', description: `Tag ${body.name} on conversation ${conversationId}`, conversationId, details: body },
      async () => {
        await requireKnownTag(deps, c, body.name);
        return updateConversation(deps, conversationId, tagConversationUpdate, { context: requestContext(c), ...body });
      },
    );
    return c.json(result, 200);
  };
  const untagConversation: RouteHandler<typeof routes.untagConversationRoute, AppEnv> = async (c) => {
    const { conversationId, name } = c.req.valid('param');
    const result = await auditedLifecycleUpdate(
      deps,
      c,
      { activity: 'CONVERSATION_EVENT_TAG_REMOVE', description: `Tag ${name} removal on conversation ${conversationId}`, conversationId, details: { name } },
      () => updateConversation(deps, conversationId, untagConversationUpdate, { context: requestContext(c), name }),
    );
    return c.json(result, 200);
  };
  const placeLegalHold: RouteHandler<typeof routes.placeLegalHoldRoute, AppEnv> = async (c) => {
    const { conversationId } = c.req.valid('param');
    const body = c.req.valid('json');
    const holdId = randomUUID();
    const result = await auditedLifecycleUpdate(
      deps,
      c,
      { activity: 'LEGAL_HOLD_ADD', description: `Legal hold on conversation ${conversationId}`, conversationId, details: { ...body, holdId } },
      () => updateConversation(deps, conversationId, placeLegalHoldUpdate, { context: requestContext(c), holdId, reason: body.reason, reference: body.reference, scope: null }),
    );
    return c.json(result, 201);
  };
  const releaseLegalHold: RouteHandler<typeof routes.releaseLegalHoldRoute, AppEnv> = async (c) => {
    const { conversationId, holdId } = c.req.valid('param');
    const { reason } = c.req.valid('json');
    return c.json(await requestRelease(deps, c, { kind: 'hold', holdId, conversationId }, reason), 202);
  };
  const extendRetention: RouteHandler<typeof routes.extendRetentionRoute, AppEnv> = async (c) => {
    const { conversationId } = c.req.valid('param');
    const body = c.req.valid('json');
    // A protection that has already ended protects nothing; saying "extended" would mislead the authority.
    if (new Date(body.until).getTime() <= Date.now()) {
      throw new ProblemError(422, 'Invalid request', {
        detail: 'until must lie in the future',
        errors: [{ pointer: '/until', field: 'until', message: 'must lie in the future' }],
      });
    }
    const result = await auditedLifecycleUpdate(
      deps,
      c,
      { activity: 'RETENTION_EXTEND', description: `Retention extension of conversation ${conversationId}`, conversationId, details: body },
      () => updateConversation(deps, conversationId, extendRetentionUpdate, { context: requestContext(c), ...body }),
    );
    return c.json(result, 200);
  };
  const anonymise: RouteHandler<typeof routes.anonymiseRoute, AppEnv> = async (c) => {
    const { conversationId } = c.req.valid('param');
    const body = c.req.valid('json');
    const result = await auditedLifecycleUpdate(
      deps,
      c,
      { activity: 'CONVERSATION_EVENT_ANONYMIZE_ADD', description: `Anonymisation of conversation ${conversationId}`, conversationId, details: body },
      () => updateConversation(deps, conversationId, anonymiseUpdate, { context: requestContext(c), ...body }),
    );
    // A refusal is already audited by the lifecycle, with its reason.
    if (!result.anonymised) throw new ProblemError(409, 'Anonymisation refused', { detail: result.detail, type: `https://recordkeeper.dev/problems/anonymisation-refused-${result.refusal}` });
    return c.json(result, 200);
  };
  const retentionOverviewHandler: RouteHandler<typeof routes.retentionOverviewRoute, AppEnv> = async (c) => {
    const { conversationId } = c.req.valid('param');
    const overview = await retentionOverview(deps.db, conversationId);
    if (!overview) throw new ProblemError(404, 'Conversation not found', { detail: conversationId });
    return c.json(overview, 200);
  };

  return { tagConversation, untagConversation, placeLegalHold, releaseLegalHold, extendRetention, anonymise, retentionOverview: retentionOverviewHandler };
}
