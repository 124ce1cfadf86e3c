import { createRoute, z } from '@hono/zod-openapi';
import { REVIEW_PERIODS } from '../../domain/review-periods.js';
import { groupNameSchema } from '../../identity/user-input.js';
import { callSelectionRulesSchema } from '../../reviews/questionnaire-selection-rules.js';
import { jsonBody, jsonContent, jsonResponse, problemResponses } from '../openapi-shared.js';

const DAY = 24 * 3600;

export const reviewPlanInputSchema = z
  .object({
    name: z.string().min(1).max(200),
    questionnaireId: z.uuid(),
    period: z.enum(REVIEW_PERIODS),
    window: z
      .object({ start: z.iso.datetime({ offset: true }), end: z.iso.datetime({ offset: true }) })
      .nullable()
      .default(null)
      .openapi({ description: "A one-off plan's window; only for period 'once'" }),
    timeZone: z.string().min(1).max(64).default('UTC').openapi({ description: 'IANA zone in which periods start at midnight', example: 'Europe/Berlin' }),
    mode: z.enum(['per-agent', 'all-matching']).openapi({ description: "per-agent: `targetPerAgent` of each agent of `agentGroup`; all-matching: every conversation `rule` selects" }),
    targetPerAgent: z.number().int().min(1).max(1000).nullable().default(null),
    agentGroup: groupNameSchema.nullable().default(null),
    rule: callSelectionRulesSchema.default({}).openapi({ description: 'Narrows the conversations a run considers; the questionnaire’s call selection rules then rank them' }),
    evaluatorGroup: groupNameSchema,
    excludeOwnGroup: z.boolean().default(false).openapi({ description: "Never give an evaluator a conversation of an agent sharing one of their groups" }),
    dueAfterSeconds: z.number().int().min(1).max(366 * DAY).default(7 * DAY),
    reminderBeforeSeconds: z.number().int().min(1).max(366 * DAY).nullable().default(null),
    arbitratorId: z.uuid().nullable().default(null).openapi({ description: 'Decides disputes instead of the plan owner' }),
    enabled: z.boolean().default(true),
  })
  .superRefine((plan, ctx) => {
    if (plan.period === 'once' && !plan.window) ctx.addIssue({ code: 'custom', path: ['window'], message: "a one-off plan needs the window it reviews" });
    if (plan.period !== 'once' && plan.window) ctx.addIssue({ code: 'custom', path: ['window'], message: 'only a one-off plan has a fixed window; recurring plans review each period' });
    if (plan.window && Date.parse(plan.window.start) >= Date.parse(plan.window.end)) ctx.addIssue({ code: 'custom', path: ['window', 'end'], message: 'the window ends before it starts' });
    if (plan.mode === 'per-agent' && plan.targetPerAgent === null) ctx.addIssue({ code: 'custom', path: ['targetPerAgent'], message: 'a per-agent plan needs its target per agent' });
    if (plan.mode === 'per-agent' && plan.agentGroup === null) ctx.addIssue({ code: 'custom', path: ['agentGroup'], message: 'a per-agent plan needs the agent group it samples' });
    if (plan.mode === 'all-matching' && Object.keys(plan.rule).length === 0) ctx.addIssue({ code: 'custom', path: ['rule'], message: 'an all-matching plan needs a rule (every conversation of the period would be reviewed)' });
    if (plan.reminderBeforeSeconds !== null && plan.reminderBeforeSeconds >= plan.dueAfterSeconds) {
      ctx.addIssue({ code: 'custom', path: ['reminderBeforeSeconds'], message: 'the reminder would come before the review exists' });
    }
  })
  .openapi('ReviewPlanInput');

export const reviewPlanSchema = z
  .object({
    id: z.uuid(),
    name: z.string(),
    questionnaireId: z.uuid(),
    period: z.enum(REVIEW_PERIODS),
    window: z.object({ start: z.string(), end: z.string() }).nullable(),
    timeZone: z.string(),
    mode: z.enum(['per-agent', 'all-matching']),
    targetPerAgent: z.number().int().nullable(),
    agentGroup: z.string().nullable(),
    rule: z.record(z.string(), z.unknown()),
    evaluatorGroup: z.string(),
    excludeOwnGroup: z.boolean(),
    dueAfterSeconds: z.number().int(),
    reminderBeforeSeconds: z.number().int().nullable(),
    ownerId: z.uuid(),
    arbitratorId: z.uuid().nullable(),
    enabled: z.boolean(),
    createdAt: z.string(),
    updatedAt: z.string(),
    removedAt: z.string().nullable(),
  })
  .openapi('ReviewPlan');

const planRunSchema = z
  .object({
    runId: z.uuid(),
    planId: z.uuid(),
    periodStart: z.string(),
    periodEnd: z.string(),
    runs: z.number().int().openapi({ description: 'How often this period was run (a retry or a manual run adds nothing twice)' }),
    firstRunAt: z.string(),
    lastRunAt: z.string(),
    report: z.record(z.string(), z.unknown()).openapi({ description: 'selected, alreadySelected, agents, shortfalls, assignedPerEvaluator, unassigned, skipped, capped' }),
  })
  .openapi('ReviewPlanRun');

const planParams = z.object({ planId: z.uuid() });

export const createReviewPlanRoute = createRoute({
  method: 'post',
  path: '/v1/review-plans',
  tags: ['Reviews'],
  summary: 'Define a periodic review plan; recurring plans run as a Temporal Schedule after each period',
  request: { body: jsonBody(reviewPlanInputSchema) },
  responses: { 201: jsonResponse('Created', reviewPlanSchema), ...problemResponses(404, 409, 422) },
});

export const listReviewPlansRoute = createRoute({
  method: 'get',
  path: '/v1/review-plans',
  tags: ['Reviews'],
  summary: 'Review plans, newest first',
  request: { query: z.object({ includeRemoved: z.enum(['true', 'false']).default('false') }) },
  responses: { 200: jsonResponse('Plans', z.object({ items: z.array(reviewPlanSchema) })), ...problemResponses(422) },
});

export const getReviewPlanRoute = createRoute({
  method: 'get',
  path: '/v1/review-plans/{planId}',
  tags: ['Reviews'],
  summary: 'One review plan',
  request: { params: planParams },
  responses: { 200: jsonResponse('The plan', reviewPlanSchema), ...problemResponses(404, 422) },
});

export const updateReviewPlanRoute = createRoute({
  method: 'put',
  path: '/v1/review-plans/{planId}',
  tags: ['Reviews'],
  summary: 'Change a review plan; its schedule follows at once; reviews already made keep their plan',
  request: { params: planParams, body: jsonBody(reviewPlanInputSchema) },
  responses: { 200: jsonResponse('Changed', reviewPlanSchema), ...problemResponses(404, 409, 422) },
});

export const removeReviewPlanRoute = createRoute({
  method: 'delete',
  path: '/v1/review-plans/{planId}',
  tags: ['Reviews'],
  summary: 'Remove a review plan: it stops running; its runs and reviews stay',
  request: { params: planParams },
  responses: { 200: jsonResponse('Removed', reviewPlanSchema), ...problemResponses(404, 422) },
});

export const runReviewPlanRoute = createRoute({
  method: 'post',
  path: '/v1/review-plans/{planId}/runs',
  tags: ['Reviews'],
  summary: 'Run a plan now for a period (by default the last complete one); running a period again assigns nothing twice',
  request: {
    params: planParams,
    body: {
      required: false,
      content: jsonContent(z.object({ periodContaining: z.iso.datetime({ offset: true }).optional().openapi({ description: 'Any instant in the period to review' }) })),
    },
  },
  responses: { 200: jsonResponse('The run and its report', planRunSchema), ...problemResponses(404, 409, 422) },
});

export const listReviewPlanRunsRoute = createRoute({
  method: 'get',
  path: '/v1/review-plans/{planId}/runs',
  tags: ['Reviews'],
  summary: "A plan's runs, newest period first, with their reports",
  request: { params: planParams },
  responses: { 200: jsonResponse('Runs', z.object({ items: z.array(planRunSchema) })), ...problemResponses(404, 422) },
});
