import type { RouteConfig, RouteHandler } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { z } from 'zod';
import { auditedCall } from '../../audit/write/audited.js';
import { reviewSummary, reviewView, loadReviewView, disputeView } from '../../reviews/review-view.js';
import { findReview, listReviews, type ReviewFilters } from '../../reviews/review-queries.js';
import { loadQuestionnaireVersion } from '../../reviews/questionnaire-versions.js';
import { reviewEventsAfter } from '../../reviews/review-events.js';
import { reviewScope } from '../../reviews/review-scope.js';
import type { ReviewRequest } from '../../reviews/review-change.js';
import { acknowledgeReview, disputeReview, disputesOf, resolveDispute } from '../../reviews/review-disputes.js';
import { completeReview, deleteReview, reopenReview, saveAnswers, setIncludedInReports, setRevealed, startReview } from '../../reviews/review-lifecycle.js';
import { createManualReview, reallocateEvaluatorReviews, reallocateReview, replaceConversation } from '../../reviews/review-allocation.js';
import type { AppEnv } from '../context.js';
import type { ApiDeps } from '../deps.js';
import { conversationScope, conversationVisibility } from '../middleware/auth/scope.js';
import { cursorBigintIdSchema, cursorTimestampSchema, decodeCursor, pageOf } from '../pagination.js';
import { ProblemError } from '../problem.js';
import { asRefusalProblem } from '../refusal-problem.js';
import { requestContext } from '../request-context.js';
import { pokeReviewFollowUps } from '../review-follow-up-client.js';
import type * as routes from './routes.js';

/** The texts of a questionnaire version's questions, in order (an agent reads their review without reading questionnaires). */
async function questionTexts(db: ApiDeps['db'], questionnaireId: string, version: number) {
  const row = await loadQuestionnaireVersion(db, questionnaireId, version);
  return (row?.definition.sections ?? []).flatMap((section) => section.questions.map((question) => ({ id: question.id, sectionId: section.id, section: section.title, text: question.text })));
}

const reviewRequest = (c: Context<AppEnv>): ReviewRequest => ({ audit: requestContext(c), caller: c.get('principal') });

const listPositionSchema = z.strictObject({ dueAt: cursorTimestampSchema.nullable(), id: z.uuid() });
const historyPositionSchema = z.strictObject({ after: cursorBigintIdSchema });

type Handler<R extends RouteConfig> = RouteHandler<R, AppEnv>;

export function reviewHandlers(deps: ApiDeps) {
  /** The review as it now is, after its change committed and its follow-up was told. */
  const answerChanged = async (reviewIds: readonly string[], reviewId: string) => {
    await pokeReviewFollowUps(deps, reviewIds);
    const view = await loadReviewView(deps.db, reviewId);
    if (!view) throw new ProblemError(404, 'Review not found', { detail: `No review ${reviewId}` });
    return view;
  };

  /** A caller narrowed to some conversations (a supervisor) names only a conversation they see. */
  const requireVisibleConversation = async (c: Context<AppEnv>, conversationId: string) => {
    const scope = conversationScope(c.get('principal'));
    if (scope === undefined) return;
    if ((await conversationVisibility(deps.db, scope, conversationId)) !== 'visible') {
      throw new ProblemError(404, 'Conversation not found', { detail: `No conversation ${conversationId}`, errors: [{ pointer: '/conversationId', field: 'conversationId', message: 'not found' }] });
    }
  };

  const list: Handler<typeof routes.listReviewsRoute> = async (c) => {
    const { limit, cursor, evaluatorId, overdue, ...rest } = c.req.valid('query');
    const principal = c.get('principal');
    const after = cursor === undefined ? undefined : decodeCursor(cursor, listPositionSchema);
    const filters: ReviewFilters = { ...rest, evaluatorId: evaluatorId === 'me' ? principal.userId : evaluatorId, overdue: overdue === undefined ? undefined : overdue === 'true' };
    const page = await auditedCall(
      deps.db,
      { ...requestContext(c), activity: 'EVALUATIONS_SEARCH', description: 'Reviews searched', details: { filters: { ...filters }, limit, continued: after !== undefined } },
      async () => {
        const rows = await listReviews(deps.db, { filters, scope: reviewScope(principal), after, limit: limit + 1 });
        const value = pageOf(rows, limit, (row) => ({ ...row.position }));
        return { value, details: { count: value.items.length, more: value.nextCursor !== null } };
      },
    );
    const now = new Date();
    return c.json({ items: page.items.map((row) => reviewSummary(row, now)), nextCursor: page.nextCursor }, 200);
  };

  const get: Handler<typeof routes.getReviewRoute> = async (c) => {
    const { reviewId } = c.req.valid('param');
    const row = await findReview(deps.db, reviewId);
    const view = await auditedCall(
      deps.db,
      { ...requestContext(c), activity: 'EVALUATIONS_SEARCH', description: `Review ${reviewId} looked up`, details: { reviewId }, conversationId: row?.conversationId ?? null },
      async () => {
        // Access control has already answered a review outside the caller's scope as absent.
        const value = row && { ...reviewView(row, await disputesOf(deps.db, reviewId)), questions: await questionTexts(deps.db, row.questionnaireId, row.questionnaireVersion) };
        return { value, result: value ? 'OK' : 'FAIL', details: value ? {} : { error: 'not found' } };
      },
    );
    if (!view) throw new ProblemError(404, 'Review not found', { detail: `No review ${reviewId}` });
    return c.json(view, 200);
  };

  const history: Handler<typeof routes.reviewHistoryRoute> = async (c) => {
    const { reviewId } = c.req.valid('param');
    const { limit, cursor } = c.req.valid('query');
    const afterId = cursor === undefined ? 0 : Number(decodeCursor(cursor, historyPositionSchema).after);
    const row = await findReview(deps.db, reviewId);
    const page = await auditedCall(
      deps.db,
      { ...requestContext(c), activity: 'EVALUATIONS_SEARCH', description: `History of review ${reviewId} viewed`, details: { reviewId }, conversationId: row?.conversationId ?? null },
      async () => {
        const events = row ? await reviewEventsAfter(deps.db, reviewId, afterId, limit + 1) : [];
        return { value: row && pageOf(events, limit, (event) => ({ after: String(event.id) })), result: row ? 'OK' : 'FAIL', details: row ? {} : { error: 'not found' } };
      },
    );
    if (!page) throw new ProblemError(404, 'Review not found', { detail: `No review ${reviewId}` });
    const items = page.items.map((event) => ({ ...event, at: event.at.toISOString() }));
    return c.json({ items, nextCursor: page.nextCursor }, 200);
  };

  const create: Handler<typeof routes.createReviewRoute> = async (c) => {
    const body = c.req.valid('json');
    await requireVisibleConversation(c, body.conversationId);
    const review = await asRefusalProblem(() => createManualReview(deps.db, reviewRequest(c), { ...body, dueAt: body.dueAt ? new Date(body.dueAt) : undefined }));
    return c.json(await answerChanged([review.id], review.id), 201);
  };

  const bulkReallocate: Handler<typeof routes.bulkReallocateRoute> = async (c) => {
    const result = await asRefusalProblem(() => reallocateEvaluatorReviews(deps.db, reviewRequest(c), c.req.valid('json')));
    await pokeReviewFollowUps(deps, result.reallocated.map((moved) => moved.reviewId));
    return c.json(result, 200);
  };

  const start: Handler<typeof routes.startReviewRoute> = async (c) => {
    const { reviewId } = c.req.valid('param');
    await asRefusalProblem(() => startReview(deps.db, reviewRequest(c), reviewId));
    return c.json(await answerChanged([reviewId], reviewId), 200);
  };

  const save: Handler<typeof routes.saveAnswersRoute> = async (c) => {
    const { reviewId } = c.req.valid('param');
    await asRefusalProblem(() => saveAnswers(deps.db, reviewRequest(c), reviewId, c.req.valid('json').answers));
    return c.json(await answerChanged([reviewId], reviewId), 200);
  };

  const complete: Handler<typeof routes.completeReviewRoute> = async (c) => {
    const { reviewId } = c.req.valid('param');
    await asRefusalProblem(() => completeReview(deps.db, reviewRequest(c), reviewId, c.req.valid('json')?.answers));
    return c.json(await answerChanged([reviewId], reviewId), 200);
  };

  const reopen: Handler<typeof routes.reopenReviewRoute> = async (c) => {
    const { reviewId } = c.req.valid('param');
    await asRefusalProblem(() => reopenReview(deps.db, reviewRequest(c), reviewId, c.req.valid('json').reason));
    return c.json(await answerChanged([reviewId], reviewId), 200);
  };

  const reallocate: Handler<typeof routes.reallocateReviewRoute> = async (c) => {
    const { reviewId } = c.req.valid('param');
    await asRefusalProblem(() => reallocateReview(deps.db, reviewRequest(c), reviewId, c.req.valid('json')));
    return c.json(await answerChanged([reviewId], reviewId), 200);
  };

  const replace: Handler<typeof routes.replaceConversationRoute> = async (c) => {
    const { reviewId } = c.req.valid('param');
    const body = c.req.valid('json');
    await requireVisibleConversation(c, body.conversationId);
    await asRefusalProblem(() => replaceConversation(deps.db, reviewRequest(c), reviewId, body));
    return c.json(await answerChanged([reviewId], reviewId), 200);
  };

  const remove: Handler<typeof routes.deleteReviewRoute> = async (c) => {
    const { reviewId } = c.req.valid('param');
    await asRefusalProblem(() => deleteReview(deps.db, reviewRequest(c), reviewId, c.req.valid('json')?.reason));
    return c.json(await answerChanged([reviewId], reviewId), 200);
  };

  const reveal: Handler<typeof routes.revealReviewRoute> = async (c) => {
    const { reviewId } = c.req.valid('param');
    await asRefusalProblem(() => setRevealed(deps.db, reviewRequest(c), reviewId, c.req.valid('json').revealed));
    return c.json(await answerChanged([reviewId], reviewId), 200);
  };

  const includeInReports: Handler<typeof routes.includeInReportsRoute> = async (c) => {
    const { reviewId } = c.req.valid('param');
    await asRefusalProblem(() => setIncludedInReports(deps.db, reviewRequest(c), reviewId, c.req.valid('json').included));
    return c.json(await answerChanged([reviewId], reviewId), 200);
  };

  const acknowledge: Handler<typeof routes.acknowledgeReviewRoute> = async (c) => {
    const { reviewId } = c.req.valid('param');
    await asRefusalProblem(() => acknowledgeReview(deps.db, reviewRequest(c), reviewId, c.req.valid('json')?.comment));
    return c.json(await answerChanged([reviewId], reviewId), 200);
  };

  const dispute: Handler<typeof routes.disputeReviewRoute> = async (c) => {
    const { reviewId } = c.req.valid('param');
    const opened = await asRefusalProblem(() => disputeReview(deps.db, reviewRequest(c), reviewId, c.req.valid('json')));
    await pokeReviewFollowUps(deps, [reviewId]);
    return c.json(disputeView(opened), 201);
  };

  const resolve: Handler<typeof routes.resolveDisputeRoute> = async (c) => {
    const { reviewId, disputeId } = c.req.valid('param');
    const { dispute: resolved } = await asRefusalProblem(() => resolveDispute(deps.db, reviewRequest(c), reviewId, disputeId, c.req.valid('json')));
    return c.json({ review: await answerChanged([reviewId], reviewId), dispute: disputeView(resolved) }, 200);
  };

  return { list, get, history, create, bulkReallocate, start, save, complete, reopen, reallocate, replace, remove, reveal, includeInReports, acknowledge, dispute, resolve };
}
