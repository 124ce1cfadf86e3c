import { OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../../context.js';
import type { ApiDeps } from '../../deps.js';
import { auditedRefusal } from '../refused-import.js';
import { postChatRoute } from './routes.js';
import { chatImportHandlers } from './handlers.js';

export function chatImportRoutes(deps: ApiDeps) {
  const handlers = chatImportHandlers(deps);
  return new OpenAPIHono<AppEnv>({ defaultHook: auditedRefusal(deps, 'CHAT_IMPORT', 'Invalid chat transcript') })
    .openapi(postChatRoute, handlers.postChat);
}
