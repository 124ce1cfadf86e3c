import { OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../../context.js';
import type { ApiDeps } from '../../deps.js';
import { searchConversationsRoute } from './routes.js';
import { conversationSearchHandlers } from './handlers.js';

/** The Conversation Explorer: search over every channel, audited with its filters and result count. */
export function conversationSearchRoutes(deps: ApiDeps) {
  const handlers = conversationSearchHandlers(deps);
  return new OpenAPIHono<AppEnv>()
    .openapi(searchConversationsRoute, handlers.searchConversations);
}
