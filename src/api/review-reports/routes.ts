import { createRoute, z } from '@hono/zod-openapi';
import { PERIOD_UNITS, REPORT_GROUPINGS } from '../../reviews/review-reports.js';
import { problemResponses } from '../openapi-shared.js';

const TAG = 'Reviews';

const range = {
  from: z.iso.datetime({ offset: true }).openapi({ description: 'Start of the range (included)', example: '2026-01-01T00:00:00Z' }),
  to: z.iso.datetime({ offset: true }).openapi({ description: 'End of the range (excluded)', example: '2026-02-01T00:00:00Z' }),
};

export const reviewReportQuerySchema = z.object({
  groupBy: z.enum(REPORT_GROUPINGS).openapi({ description: 'A row per agent, agent group (an agent in several counts in each), questionnaire, evaluator or period' }),
  periodUnit: z.enum(PERIOD_UNITS).default('month').openapi({ description: 'For groupBy=period: local days, ISO weeks or calendar months' }),
  timeZone: z.string().min(1).max(64).optional().openapi({ description: 'IANA zone periods are cut in; default: the caller’s own', example: 'Europe/London' }),
  ...range,
  questionnaireId: z.uuid().optional(),
  agentGroup: z.string().min(1).max(128).optional().openapi({ description: 'Only reviews of agents in this group' }),
  planId: z.uuid().optional(),
});

const reportRowSchema = z
  .object({
    key: z.string().nullable().openapi({ description: 'Username, group name, questionnaire id, evaluator id, or the period’s first local date' }),
    label: z.string().nullable(),
    reviews: z.number().int().openapi({ description: 'The sample size every figure of the row stands on' }),
    scored: z.number().int().openapi({ description: 'Reviews with a percent (an all-N/A review has none)' }),
    averagePercent: z.number().nullable(),
    minPercent: z.number().nullable(),
    maxPercent: z.number().nullable(),
    failed: z.number().int(),
    needsTraining: z.number().int(),
    tiers: z.record(z.string(), z.number().int()).openapi({ description: 'Reviews per scoring tier' }),
    disputes: z.object({ opened: z.number().int(), accepted: z.number().int(), partiallyAccepted: z.number().int(), rejected: z.number().int(), open: z.number().int() }),
    disputedReviews: z.number().int(),
    disputeRate: z.number().openapi({ description: 'disputedReviews / reviews' }),
  })
  .openapi('ReviewReportRow');

const description =
  'Completed reviews with completed_at in [from, to), kept in reports, calibrations never included. Supervisors see only the agents of the groups ' +
  'they supervise (and, grouped by group, only those groups). Reviews of agents without a group are in no group row. Audited as EVALUATION_REPORT.';

export const reviewReportRoute = createRoute({
  method: 'get',
  path: '/v1/review-reports',
  tags: [TAG],
  summary: 'Scores, tiers and disputes per agent, group, questionnaire, evaluator or period, each with its sample size',
  description,
  request: { query: reviewReportQuerySchema },
  responses: {
    200: {
      description: 'The report',
      content: {
        'application/json': {
          schema: z.object({
            groupBy: z.enum(REPORT_GROUPINGS),
            periodUnit: z.enum(PERIOD_UNITS).nullable(),
            timeZone: z.string(),
            from: z.string(),
            to: z.string(),
            rows: z.array(reportRowSchema),
          }),
        },
      },
    },
    ...problemResponses(422),
  },
});

export const exportReviewReportRoute = createRoute({
  method: 'get',
  path: '/v1/review-reports/export',
  tags: [TAG],
  summary: 'The same report as CSV',
  description: `${description} One column per scoring tier that occurs (tier:<name>); cells that a spreadsheet would run as a formula start with a quote.`,
  request: { query: reviewReportQuerySchema },
  responses: { 200: { description: 'The report', content: { 'text/csv': { schema: z.string() } } }, ...problemResponses(422) },
});

export const calibrationReportRoute = createRoute({
  method: 'get',
  path: '/v1/review-reports/calibration',
  tags: [TAG],
  summary: 'Evaluator alignment: how far each evaluator’s calibration totals lie from their peers’',
  description: 'Over calibrations created in [from, to). Audited as EVALUATION_REPORT.',
  request: { query: z.object(range) },
  responses: {
    200: {
      description: 'One row per evaluator',
      content: {
        'application/json': {
          schema: z.object({
            from: z.string(),
            to: z.string(),
            evaluators: z.array(
              z.object({
                evaluator: z.object({ id: z.uuid(), username: z.string(), fullName: z.string() }),
                calibrations: z.number().int(),
                completed: z.number().int(),
                compared: z.number().int().openapi({ description: 'Completed calibrations with at least one other completed review to compare with' }),
                meanAbsoluteDeviation: z.number().nullable().openapi({ description: 'Mean |percent - calibration mean|, in percentage points' }),
                maxDeviation: z.number().nullable(),
              }),
            ),
          }),
        },
      },
    },
    ...problemResponses(422),
  },
});
