import { createRoute, z } from '@hono/zod-openapi';
import { jsonBody, jsonResponse, problemResponses } from '../openapi-shared.js';

const TAG = 'Reviews';

export const createCalibrationBodySchema = z
  .object({
    conversationId: z.uuid(),
    questionnaireId: z.uuid(),
    evaluatorIds: z
      .array(z.uuid())
      .min(2)
      .max(20)
      .superRefine((ids, ctx) => {
        ids.forEach((id, index) => {
          if (ids.indexOf(id) !== index) ctx.addIssue({ code: 'custom', path: [index], message: `evaluator ${id} is listed twice` });
        });
      })
      .openapi({ description: '2 to 20 distinct enabled evaluators; none may be the conversation’s agent' }),
    dueAt: z.iso.datetime({ offset: true }).optional().openapi({ description: 'When each evaluator’s review is due; none when absent' }),
  })
  .openapi('CalibrationInput');

const createdSchema = z
  .object({
    calibrationId: z.uuid(),
    conversationId: z.uuid(),
    questionnaireId: z.uuid(),
    questionnaireVersion: z.number().int(),
    reviews: z.array(z.object({ reviewId: z.uuid(), evaluatorId: z.uuid(), username: z.string() })),
  })
  .openapi('CalibrationCreated');

export const createCalibrationRoute = createRoute({
  method: 'post',
  path: '/v1/calibrations',
  tags: [TAG],
  summary: 'Send one conversation and questionnaire to several evaluators blind',
  description:
    'Each evaluator gets a review of kind `calibration` with the questionnaire’s current version, seen only by them and completed through ' +
    'the ordinary review routes; calibration reviews never count in reports. Audited as CALIBRATION_CREATE.',
  request: { body: jsonBody(createCalibrationBodySchema) },
  responses: { 201: jsonResponse('Sent', createdSchema), ...problemResponses(410, 422) },
});

const spreadFields = {
  mean: z.number().nullable().openapi({ description: 'Mean over completed reviews, in percent' }),
  meanAbsoluteDeviation: z.number().nullable().openapi({ description: 'Mean absolute deviation from the mean, in percentage points' }),
  range: z.number().nullable().openapi({ description: 'Max - min, in percentage points' }),
};

const calibrationResultSchema = z
  .object({
    calibrationId: z.uuid(),
    conversationId: z.uuid(),
    questionnaire: z.object({ id: z.uuid(), name: z.string(), version: z.number().int() }),
    createdBy: z.string(),
    createdAt: z.string(),
    evaluators: z.number().int(),
    completed: z.number().int().openapi({ description: 'Completed N of `evaluators`; only completed reviews count in the spread' }),
    reviews: z.array(
      z.object({
        reviewId: z.uuid(),
        evaluator: z.object({ id: z.uuid(), username: z.string(), fullName: z.string() }),
        status: z.string(),
        completedAt: z.string().nullable(),
        answers: z.record(z.string(), z.unknown()).nullable().openapi({ description: 'Once completed' }),
        score: z.record(z.string(), z.unknown()).nullable().openapi({ description: 'The ReviewScore, once completed' }),
      }),
    ),
    questions: z.array(
      z.object({
        questionId: z.string(),
        sectionId: z.string(),
        text: z.string(),
        fractions: z.array(z.object({ reviewId: z.uuid(), evaluatorId: z.uuid(), fraction: z.number().nullable(), na: z.boolean() })),
        ...spreadFields,
      }),
    ),
    total: z.object({
      percents: z.array(z.object({ reviewId: z.uuid(), evaluatorId: z.uuid(), percent: z.number().nullable(), deviation: z.number().nullable() })),
      ...spreadFields,
    }),
  })
  .openapi('CalibrationResult');

export const getCalibrationRoute = createRoute({
  method: 'get',
  path: '/v1/calibrations/{calibrationId}',
  tags: [TAG],
  summary: 'A calibration’s result: each evaluator’s answers and score, and the deviation per question and in total',
  description: 'Audited as EVALUATION_REPORT.',
  request: { params: z.object({ calibrationId: z.uuid() }) },
  responses: { 200: jsonResponse('The result', calibrationResultSchema), ...problemResponses(404, 422) },
});
