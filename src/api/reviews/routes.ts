import { createRoute } from '@hono/zod-openapi';
import { jsonBody, jsonContent, jsonResponse, problemResponses } from '../openapi-shared.js';
import { pageQuerySchema } from '../pagination.js';
import {
  acknowledgementBodySchema,
  answersBodySchema,
  bulkReallocationBodySchema,
  bulkReallocationSchema,
  completeBodySchema,
  createReviewBodySchema,
  deleteBodySchema,
  disputeBodySchema,
  disputeParams,
  disputeSchema,
  includeBodySchema,
  reallocateBodySchema,
  reasonBodySchema,
  replaceBodySchema,
  resolutionBodySchema,
  resolutionSchema,
  revealBodySchema,
  reviewHistorySchema,
  reviewIdParams,
  reviewListQuerySchema,
  reviewPageSchema,
  reviewDetailSchema,
  reviewSchema,
} from './schemas.js';

const tags = ['Reviews'];
const changed = (description: string) => ({ 200: { description, content: jsonContent(reviewSchema) } });

export const listReviewsRoute = createRoute({
  method: 'get',
  path: '/v1/reviews',
  tags,
  summary: "Reviews the caller may see, newest due first: an evaluator's queue, an agent's revealed reviews, a supervisor's groups'",
  request: { query: reviewListQuerySchema },
  responses: { 200: jsonResponse('A page of reviews', reviewPageSchema), ...problemResponses(422) },
});

export const getReviewRoute = createRoute({
  method: 'get',
  path: '/v1/reviews/{reviewId}',
  tags,
  summary: 'One review: answers, score, tier, disputes, and its conversation (or the conversation’s tombstone)',
  request: { params: reviewIdParams },
  responses: { 200: jsonResponse('The review', reviewDetailSchema), ...problemResponses(404, 422) },
});

export const reviewHistoryRoute = createRoute({
  method: 'get',
  path: '/v1/reviews/{reviewId}/history',
  tags,
  summary: "The review's steps, oldest first",
  request: { params: reviewIdParams, query: pageQuerySchema },
  responses: { 200: jsonResponse('A page of steps', reviewHistorySchema), ...problemResponses(404, 422) },
});

export const createReviewRoute = createRoute({
  method: 'post',
  path: '/v1/reviews',
  tags,
  summary: "Add a particular conversation to a review with a questionnaire's current version",
  request: { body: jsonBody(createReviewBodySchema) },
  responses: { 201: jsonResponse('Created', reviewSchema), ...problemResponses(404, 409, 422) },
});

export const bulkReallocateRoute = createRoute({
  method: 'post',
  path: '/v1/reviews/reallocations',
  tags,
  summary: 'Move every open review of one evaluator (e.g. a disabled user) to others, balanced by open workload',
  request: { body: jsonBody(bulkReallocationBodySchema) },
  responses: { 200: jsonResponse('What moved where, and what nobody could take', bulkReallocationSchema), ...problemResponses(422) },
});

export const startReviewRoute = createRoute({
  method: 'post',
  path: '/v1/reviews/{reviewId}/start',
  tags,
  summary: 'Start a waiting review (its assigned evaluator only)',
  request: { params: reviewIdParams },
  responses: { ...changed('Started'), ...problemResponses(403, 404, 409, 422) },
});

export const saveAnswersRoute = createRoute({
  method: 'put',
  path: '/v1/reviews/{reviewId}/answers',
  tags,
  summary: "Save a draft of the answers, checked against the review's own questionnaire version",
  request: { params: reviewIdParams, body: jsonBody(answersBodySchema) },
  responses: { ...changed('Saved'), ...problemResponses(403, 404, 409, 422) },
});

export const completeReviewRoute = createRoute({
  method: 'post',
  path: '/v1/reviews/{reviewId}/complete',
  tags,
  summary: 'Complete a review: every required question answered; the score and tier are computed by the server',
  request: { params: reviewIdParams, body: jsonBody(completeBodySchema, false) },
  responses: { ...changed('Completed, with its score'), ...problemResponses(403, 404, 409, 422) },
});

export const reopenReviewRoute = createRoute({
  method: 'post',
  path: '/v1/reviews/{reviewId}/reopen',
  tags,
  summary: 'Reopen a completed review for its assigned evaluator (refused once its scores are frozen)',
  request: { params: reviewIdParams, body: jsonBody(reasonBodySchema) },
  responses: { ...changed('Reopened'), ...problemResponses(404, 409, 422) },
});

export const reallocateReviewRoute = createRoute({
  method: 'post',
  path: '/v1/reviews/{reviewId}/reallocate',
  tags,
  summary: 'Give an open review to another evaluator',
  request: { params: reviewIdParams, body: jsonBody(reallocateBodySchema) },
  responses: { ...changed('Reallocated'), ...problemResponses(404, 409, 422) },
});

export const replaceConversationRoute = createRoute({
  method: 'post',
  path: '/v1/reviews/{reviewId}/replace-conversation',
  tags,
  summary: 'Replace the conversation of a waiting review',
  request: { params: reviewIdParams, body: jsonBody(replaceBodySchema) },
  responses: { ...changed('Replaced'), ...problemResponses(404, 409, 422) },
});

export const deleteReviewRoute = createRoute({
  method: 'delete',
  path: '/v1/reviews/{reviewId}',
  tags,
  summary: 'Delete a review (kept with its history); a completed review only with a reason',
  request: { params: reviewIdParams, body: jsonBody(deleteBodySchema, false) },
  responses: { ...changed('Deleted'), ...problemResponses(404, 409, 422) },
});

export const revealReviewRoute = createRoute({
  method: 'put',
  path: '/v1/reviews/{reviewId}/reveal',
  tags,
  summary: 'Reveal a completed review to its agent, or hide it again',
  request: { params: reviewIdParams, body: jsonBody(revealBodySchema) },
  responses: { ...changed('Changed'), ...problemResponses(404, 409, 422) },
});

export const includeInReportsRoute = createRoute({
  method: 'put',
  path: '/v1/reviews/{reviewId}/include-in-reports',
  tags,
  summary: 'Count a review in reports, or not (calibration reviews never count)',
  request: { params: reviewIdParams, body: jsonBody(includeBodySchema) },
  responses: { ...changed('Changed'), ...problemResponses(404, 409, 422) },
});

export const acknowledgeReviewRoute = createRoute({
  method: 'post',
  path: '/v1/reviews/{reviewId}/acknowledgement',
  tags,
  summary: "The agent acknowledges their revealed review, within the questionnaire's window",
  request: { params: reviewIdParams, body: jsonBody(acknowledgementBodySchema, false) },
  responses: { ...changed('Acknowledged'), ...problemResponses(403, 404, 409, 422) },
});

export const disputeReviewRoute = createRoute({
  method: 'post',
  path: '/v1/reviews/{reviewId}/disputes',
  tags,
  summary: "The agent disputes their revealed review, within the questionnaire's window, with a comment and optionally suggested answers",
  request: { params: reviewIdParams, body: jsonBody(disputeBodySchema) },
  responses: { 201: jsonResponse('Disputed', disputeSchema), ...problemResponses(403, 404, 409, 422) },
});

export const resolveDisputeRoute = createRoute({
  method: 'post',
  path: '/v1/reviews/{reviewId}/disputes/{disputeId}/resolution',
  tags,
  summary: "Decide a dispute (the plan's arbitrator, else its owner): accepting changes answers and recomputes the score; rejecting freezes it",
  request: { params: disputeParams, body: jsonBody(resolutionBodySchema) },
  responses: { 200: jsonResponse('Resolved', resolutionSchema), ...problemResponses(403, 404, 409, 422) },
});
