import { OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../context.js';
import type { ApiDeps } from '../deps.js';
import { getConversationRoute } from './routes.js';
import { conversationsHandlers } from './handlers.js';

export function conversationsRoutes(deps: ApiDeps) {
  const handlers = conversationsHandlers(deps);
  return new OpenAPIHono<AppEnv>()
    .openapi(getConversationRoute, handlers.getConversation);
}
