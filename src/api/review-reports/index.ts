import { OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../context.js';
import type { ApiDeps } from '../deps.js';
import { reviewReportHandlers } from './handlers.js';
import { calibrationReportRoute, exportReviewReportRoute, reviewReportRoute } from './routes.js';

/** Review reports: scores per agent, group, questionnaire, evaluator or period, their CSV, and evaluator alignment. */
export function reviewReportRoutes(deps: ApiDeps) {
  const handlers = reviewReportHandlers(deps);
  return new OpenAPIHono<AppEnv>()
    .openapi(reviewReportRoute, handlers.report)
    .openapi(exportReviewReportRoute, handlers.exportReport)
    .openapi(calibrationReportRoute, handlers.calibrationReport);
}
