import { OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../context.js';
import type { ApiDeps } from '../deps.js';
import { postContactRecordsRoute } from './routes.js';
import { contactRecordsHandlers } from './handlers.js';

export function contactRecordsRoutes(deps: ApiDeps) {
  const handlers = contactRecordsHandlers(deps);
  return new OpenAPIHono<AppEnv>()
    .openapi(postContactRecordsRoute, handlers.postContactRecords);
}
