import { OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../../context.js';
import type { ApiDeps } from '../../deps.js';
import { exportConversationRecordingsRoute, getConversationMediaRoute, listConversationMediaRoute } from './routes.js';
import { conversationMediaHandlers } from './handlers.js';

/** A conversation's media files: listed, and served only after their digest is verified. */
export function conversationMediaRoutes(deps: ApiDeps) {
  const handlers = conversationMediaHandlers(deps);
  return new OpenAPIHono<AppEnv>()
    .openapi(listConversationMediaRoute, handlers.listConversationMedia)
    .openapi(getConversationMediaRoute, handlers.getConversationMedia)
    .openapi(exportConversationRecordingsRoute, handlers.exportConversationRecordings);
}
