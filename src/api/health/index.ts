import { OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../context.js';
import type { ApiDeps } from '../deps.js';
import { captureHealthRoute, liveRoute, readyRoute } from './routes.js';
import { healthHandlers } from './handlers.js';

export function healthRoutes(deps: ApiDeps) {
  const handlers = healthHandlers(deps);
  return new OpenAPIHono<AppEnv>()
    .openapi(liveRoute, handlers.live)
    .openapi(readyRoute, handlers.ready)
    .openapi(captureHealthRoute, handlers.capture);
}
