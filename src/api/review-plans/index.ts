import { OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../context.js';
import type { ApiDeps } from '../deps.js';
import { reviewPlanHandlers } from './handlers.js';
import { createReviewPlanRoute, getReviewPlanRoute, listReviewPlanRunsRoute, listReviewPlansRoute, removeReviewPlanRoute, runReviewPlanRoute, updateReviewPlanRoute } from './routes.js';

/** Periodic monitoring: plans, their schedules, and their runs' reports. */
export function reviewPlanRoutes(deps: ApiDeps) {
  const handlers = reviewPlanHandlers(deps);
  return new OpenAPIHono<AppEnv>()
    .openapi(createReviewPlanRoute, handlers.create)
    .openapi(listReviewPlansRoute, handlers.list)
    .openapi(getReviewPlanRoute, handlers.get)
    .openapi(updateReviewPlanRoute, handlers.update)
    .openapi(removeReviewPlanRoute, handlers.remove)
    .openapi(runReviewPlanRoute, handlers.run)
    .openapi(listReviewPlanRunsRoute, handlers.runs);
}
