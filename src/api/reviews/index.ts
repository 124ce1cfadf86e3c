import { OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../context.js';
import type { ApiDeps } from '../deps.js';
import { reviewHandlers } from './handlers.js';
import {
  acknowledgeReviewRoute,
  bulkReallocateRoute,
  completeReviewRoute,
  createReviewRoute,
  deleteReviewRoute,
  disputeReviewRoute,
  getReviewRoute,
  includeInReportsRoute,
  listReviewsRoute,
  reallocateReviewRoute,
  reopenReviewRoute,
  replaceConversationRoute,
  resolveDisputeRoute,
  revealReviewRoute,
  reviewHistoryRoute,
  saveAnswersRoute,
  startReviewRoute,
} from './routes.js';

/**
 * The lifecycle of one review (the seed's Reviews module): each step one audited transaction with its
 * review_events row; the review's follow-up workflow is told after commit.
 */
export function reviewRoutes(deps: ApiDeps) {
  const handlers = reviewHandlers(deps);
  return new OpenAPIHono<AppEnv>()
    .openapi(listReviewsRoute, handlers.list)
    .openapi(createReviewRoute, handlers.create)
    .openapi(bulkReallocateRoute, handlers.bulkReallocate)
    .openapi(getReviewRoute, handlers.get)
    .openapi(reviewHistoryRoute, handlers.history)
    .openapi(startReviewRoute, handlers.start)
    .openapi(saveAnswersRoute, handlers.save)
    .openapi(completeReviewRoute, handlers.complete)
    .openapi(reopenReviewRoute, handlers.reopen)
    .openapi(reallocateReviewRoute, handlers.reallocate)
    .openapi(replaceConversationRoute, handlers.replace)
    .openapi(deleteReviewRoute, handlers.remove)
    .openapi(revealReviewRoute, handlers.reveal)
    .openapi(includeInReportsRoute, handlers.includeInReports)
    .openapi(acknowledgeReviewRoute, handlers.acknowledge)
    .openapi(disputeReviewRoute, handlers.dispute)
    .openapi(resolveDisputeRoute, handlers.resolve);
}
