import { OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../context.js';
import type { ApiDeps } from '../deps.js';
import {
  anonymiseRoute,
  extendRetentionRoute,
  placeLegalHoldRoute,
  releaseLegalHoldRoute,
  retentionOverviewRoute,
  tagConversationRoute,
  untagConversationRoute,
} from './routes.js';
import { conversationLifecycleHandlers } from './handlers.js';

/** What can change a captured conversation from outside: tags, holds, retention extensions. */
export function conversationLifecycleRoutes(deps: ApiDeps) {
  const handlers = conversationLifecycleHandlers(deps);
  return new OpenAPIHono<AppEnv>()
    .openapi(tagConversationRoute, handlers.tagConversation)
    .openapi(untagConversationRoute, handlers.untagConversation)
    .openapi(placeLegalHoldRoute, handlers.placeLegalHold)
    .openapi(releaseLegalHoldRoute, handlers.releaseLegalHold)
    .openapi(extendRetentionRoute, handlers.extendRetention)
    .openapi(anonymiseRoute, handlers.anonymise)
    .openapi(retentionOverviewRoute, handlers.retentionOverview);
}
