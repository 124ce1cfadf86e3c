import type { RouteHandler } from '@hono/zod-openapi';
import { appendOutcome } from '../../audit/write/audit-outcome.js';
import { auditedCall, auditedChange } from '../../audit/write/audited.js';
import { calibrationResult, createCalibration, findCalibration } from '../../reviews/calibrations.js';
import type { AppEnv } from '../context.js';
import type { ApiDeps } from '../deps.js';
import { FAILURE_STATUS, ProblemError } from '../problem.js';
import { requestContext } from '../request-context.js';
import { pokeReviewFollowUps } from '../review-follow-up-client.js';
import type { createCalibrationRoute, getCalibrationRoute } from './routes.js';

const invalid = (field: string, message: string) =>
  new ProblemError(422, 'Invalid request', { detail: message, errors: [{ pointer: `/${field.replaceAll('.', '/')}`, field, message }] });

export function calibrationHandlers(deps: ApiDeps) {
  const create: RouteHandler<typeof createCalibrationRoute, AppEnv> = async (c) => {
    const body = c.req.valid('json');
    const { actor, correlationId } = requestContext(c);
    const dueAt = body.dueAt === undefined ? null : new Date(body.dueAt);
    if (dueAt !== null && dueAt.getTime() <= Date.now()) throw invalid('dueAt', 'must lie in the future');
    const calibration = await auditedChange(
      deps.db,
      {
        activity: 'CALIBRATION_CREATE',
        actor,
        correlationId,
        conversationId: body.conversationId,
        description: `Conversation ${body.conversationId} sent to ${body.evaluatorIds.length} evaluators for calibration`,
        details: { questionnaireId: body.questionnaireId, evaluatorIds: body.evaluatorIds, dueAt: body.dueAt ?? null },
      },
      async (tx) => {
        const outcome = await createCalibration(tx, { ...body, dueAt, createdBy: actor.username });
        if (!outcome.ok) {
          throw new ProblemError(FAILURE_STATUS[outcome.failure], outcome.failure === 'InvalidInput' ? 'Invalid request' : outcome.failure, {
            detail: outcome.detail,
            errors: outcome.problems.map((problem) => ({ pointer: `/${problem.field.replaceAll('.', '/')}`, field: problem.field, message: problem.message })),
          });
        }
        const created = outcome.calibration;
        return {
          value: created,
          details: {
            calibrationId: created.calibrationId,
            questionnaireVersion: created.questionnaireVersion,
            evaluators: created.reviews.map((review) => ({ evaluatorId: review.evaluatorId, username: review.username, reviewId: review.reviewId })),
            reviewIds: created.reviews.map((review) => review.reviewId),
          },
        };
      },
    );
    await pokeReviewFollowUps(deps, calibration.reviews.map((review) => review.reviewId));
    return c.json(calibration, 201);
  };

  const get: RouteHandler<typeof getCalibrationRoute, AppEnv> = async (c) => {
    const { calibrationId } = c.req.valid('param');
    const context = requestContext(c);
    const request = { ...context, activity: 'EVALUATION_REPORT', description: `Calibration ${calibrationId} viewed`, details: { report: 'calibration', calibrationId } };
    const calibration = await findCalibration(deps.db, calibrationId);
    if (!calibration) {
      await appendOutcome(deps.db, { ...request, result: 'FAIL', description: `${request.description}: not found` });
      throw new ProblemError(404, 'Calibration not found', { detail: calibrationId });
    }
    const result = await auditedCall(deps.db, { ...request, conversationId: calibration.conversationId }, async () => {
      const value = await calibrationResult(deps.db, calibration);
      return { value, details: { completed: value.completed, evaluators: value.evaluators } };
    });
    return c.json(
      {
        ...result,
        createdAt: result.createdAt.toISOString(),
        reviews: result.reviews.map((review) => ({
          ...review,
          completedAt: review.completedAt?.toISOString() ?? null,
          answers: review.answers as Record<string, unknown> | null,
          score: review.score as unknown as Record<string, unknown> | null,
        })),
      },
      200,
    );
  };

  return { create, get };
}
