import { OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../context.js';
import type { ApiDeps } from '../deps.js';
import { placeSearchHoldRoute, releaseSearchHoldRoute } from './routes.js';
import { legalHoldGroupHandlers } from './handlers.js';

/**
 * Holds over a whole search: each matching conversation gets its own hold, written page by page in one
 * transaction each under the conversations' row locks; their lifecycles are told in the background.
 */
export function legalHoldGroupRoutes(deps: ApiDeps) {
  const handlers = legalHoldGroupHandlers(deps);
  return new OpenAPIHono<AppEnv>()
    .openapi(placeSearchHoldRoute, handlers.placeSearchHold)
    .openapi(releaseSearchHoldRoute, handlers.releaseSearchHold);
}
