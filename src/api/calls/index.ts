import { OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../context.js';
import type { ApiDeps } from '../deps.js';
import { getCallRoute, postCallEventsRoute, tagActiveSegmentRoute, untagActiveSegmentRoute } from './routes.js';
import { callHandlers } from './handlers.js';

export function callRoutes(deps: ApiDeps) {
  const handlers = callHandlers(deps);
  return new OpenAPIHono<AppEnv>()
    .openapi(postCallEventsRoute, handlers.postCallEvents)
    .openapi(getCallRoute, handlers.getCall)
    .openapi(tagActiveSegmentRoute, handlers.tagActiveSegment)
    .openapi(untagActiveSegmentRoute, handlers.untagActiveSegment);
}
