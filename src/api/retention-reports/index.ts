import { OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../context.js';
import type { ApiDeps } from '../deps.js';
import { disposalReportRoute, retentionForecastRoute } from './routes.js';
import { retentionReportHandlers } from './handlers.js';

export function retentionReportRoutes(deps: ApiDeps) {
  const handlers = retentionReportHandlers(deps);
  return new OpenAPIHono<AppEnv>()
    .openapi(disposalReportRoute, handlers.disposalReport)
    .openapi(retentionForecastRoute, handlers.retentionForecast);
}
