import { OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../context.js';
import type { ApiDeps } from '../deps.js';
import { trainingReportHandlers } from './handlers.js';
import { trainingReportRoute } from './routes.js';

/** The training report: per agent or group, what became of the assignments given in a range. */
export function trainingReportRoutes(deps: ApiDeps) {
  const handlers = trainingReportHandlers(deps);
  return new OpenAPIHono<AppEnv>().openapi(trainingReportRoute, handlers.report);
}
