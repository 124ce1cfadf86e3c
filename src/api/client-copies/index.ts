import { OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../context.js';
import type { ApiDeps } from '../deps.js';
import { clientCopyHandlers } from './handlers.js';
import { postClientCopyRoute } from './routes.js';

/** A client's copy of their records, on request (MiFID II Art. 16(7)). */
export function clientCopyRoutes(deps: ApiDeps) {
  const handlers = clientCopyHandlers(deps);
  return new OpenAPIHono<AppEnv>().openapi(postClientCopyRoute, handlers.postClientCopy);
}
