import { OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../../context.js';
import type { ApiDeps } from '../../deps.js';
import { auditedRefusal } from '../refused-import.js';
import { postChatRoute } from './routes.js';
import { chatImportHandlers } from './handlers.js';

export function chatImportRoutes(deps: ApiDeps) {
  const handlers = chatImportHandlers(deps);
  const app = new OpenAPIHono<AppEnv>({ defaultHook: auditedRefusal(deps, 'CHAT_IMPORT', 'Invalid chat transcript') });
  // Read the bytes before the validator parses them: the stored original must be the body as sent, and
  // hono derives the parsed JSON from this cached copy.
  app.use(postChatRoute.getRoutingPath(), async (c, next) => {
    if (c.req.method === 'POST') await c.req.arrayBuffer();
    await next();
  });
  return app.openapi(postChatRoute, handlers.postChat);
}
