import { OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../../context.js';
import type { ApiDeps } from '../../deps.js';
import { getConversationTraceRoute } from './routes.js';
import { conversationTraceHandlers } from './handlers.js';

export function conversationTraceRoutes(deps: ApiDeps) {
  const handlers = conversationTraceHandlers(deps);
  return new OpenAPIHono<AppEnv>()
    .openapi(getConversationTraceRoute, handlers.getConversationTrace);
}
