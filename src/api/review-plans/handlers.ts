import { randomUUID } from 'node:crypto';
import type { RouteHandler, z } from '@hono/zod-openapi';
import { isKnownTimeZone } from '../../domain/time-zones.js';
import { isUsable, loadCurrentQuestionnaire } from '../../reviews/questionnaire-versions.js';
import { planRuns, type PlanRow } from '../../reviews/review-plan-runs.js';
import { createReviewPlan, PlanInputRefused, removeReviewPlan, reviewPlan, reviewPlanList, updateReviewPlan, type ReviewPlanInput } from '../../reviews/review-plans.js';
import { engineFailureOf } from '../../temporal/failures.js';
import { syncReviewPlanSchedule } from '../../temporal/schedules.js';
import { REVIEW_PLAN_RUN_WORKFLOW, type ReviewPlanRunResult } from '../../workflows/review-plan-run.contract.js';
import type { AppEnv } from '../context.js';
import type { ApiDeps } from '../deps.js';
import { FAILURE_STATUS, ProblemError } from '../problem.js';
import { requestContext } from '../request-context.js';
import type * as routes from './routes.js';

const iso = (date: Date | null) => date?.toISOString() ?? null;

function planView(plan: PlanRow) {
  return {
    ...plan,
    period: plan.period as ReviewPlanInput['period'],
    mode: plan.mode as ReviewPlanInput['mode'],
    window: plan.windowStart && plan.windowEnd ? { start: plan.windowStart.toISOString(), end: plan.windowEnd.toISOString() } : null,
    rule: plan.rule as Record<string, unknown>,
    createdAt: plan.createdAt.toISOString(),
    updatedAt: plan.updatedAt.toISOString(),
    removedAt: iso(plan.removedAt),
  };
}

function inputOf(body: z.infer<typeof routes.reviewPlanInputSchema>): ReviewPlanInput {
  if (!isKnownTimeZone(body.timeZone)) {
    throw new ProblemError(422, 'Invalid request', { detail: `Unknown time zone ${body.timeZone}`, errors: [{ pointer: '/timeZone', field: 'timeZone', message: 'not an IANA time zone' }] });
  }
  return { ...body, window: body.window ? { start: new Date(body.window.start), end: new Date(body.window.end) } : null };
}

/** A refusal from the service, as problem+json naming its field. */
async function refusalsAsProblems<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (!(error instanceof PlanInputRefused)) throw error;
    const title = error.status === 404 ? 'Not found' : error.status === 409 ? 'Conflict' : 'Invalid request';
    throw new ProblemError(error.status, title, { detail: error.message, errors: [{ pointer: `/${error.field}`, field: error.field, message: error.message }] });
  }
}

export function reviewPlanHandlers(deps: ApiDeps) {
  const syncSchedule = (plan: PlanRow) =>
    syncReviewPlanSchedule(deps.temporal.client, deps.temporal.taskQueue, { id: plan.id, period: plan.period, timeZone: plan.timeZone, enabled: plan.enabled, removed: plan.removedAt !== null });

  const existingPlan = async (planId: string) => {
    const plan = await reviewPlan(deps.db, planId);
    if (!plan) throw new ProblemError(404, 'Review plan not found', { detail: planId });
    return plan;
  };

  const create: RouteHandler<typeof routes.createReviewPlanRoute, AppEnv> = async (c) => {
    const plan = await refusalsAsProblems(() => createReviewPlan(deps.db, inputOf(c.req.valid('json')), requestContext(c)));
    await syncSchedule(plan);
    return c.json(planView(plan), 201);
  };

  const list: RouteHandler<typeof routes.listReviewPlansRoute, AppEnv> = async (c) => {
    const plans = await reviewPlanList(deps.db, { includeRemoved: c.req.valid('query').includeRemoved === 'true' });
    return c.json({ items: plans.map(planView) }, 200);
  };

  const get: RouteHandler<typeof routes.getReviewPlanRoute, AppEnv> = async (c) => c.json(planView(await existingPlan(c.req.valid('param').planId)), 200);

  const update: RouteHandler<typeof routes.updateReviewPlanRoute, AppEnv> = async (c) => {
    const plan = await refusalsAsProblems(() => updateReviewPlan(deps.db, c.req.valid('param').planId, inputOf(c.req.valid('json')), requestContext(c)));
    await syncSchedule(plan);
    return c.json(planView(plan), 200);
  };

  const remove: RouteHandler<typeof routes.removeReviewPlanRoute, AppEnv> = async (c) => {
    const plan = await refusalsAsProblems(() => removeReviewPlan(deps.db, c.req.valid('param').planId, requestContext(c)));
    await syncSchedule(plan);
    return c.json(planView(plan), 200);
  };

  const run: RouteHandler<typeof routes.runReviewPlanRoute, AppEnv> = async (c) => {
    const { planId } = c.req.valid('param');
    const body = c.req.valid('json') ?? {};
    const plan = await existingPlan(planId);
    if (plan.removedAt) throw new ProblemError(409, 'Review plan removed', { detail: `Plan "${plan.name}" was removed; its runs stay readable` });
    const current = await loadCurrentQuestionnaire(deps.db, plan.questionnaireId);
    if (!current || !isUsable(current.questionnaire)) throw new ProblemError(409, 'Questionnaire not active', { detail: `The plan's questionnaire is ${current?.questionnaire.state ?? 'gone'}` });
    const context = requestContext(c);
    let result: ReviewPlanRunResult;
    try {
      result = await deps.temporal.client.workflow.execute(REVIEW_PLAN_RUN_WORKFLOW, {
        workflowId: `review-plan-run-${planId}-manual-${randomUUID()}`,
        taskQueue: deps.temporal.taskQueue,
        args: [{ planId, periodContaining: body.periodContaining, requestedBy: { username: context.actor.username, correlationId: context.correlationId } }],
      });
    } catch (error) {
      const failure = engineFailureOf(error);
      if (failure) throw new ProblemError(FAILURE_STATUS[failure.type], 'Review plan run refused', { detail: failure.message });
      throw error;
    }
    const runRow = (await planRuns(deps.db, planId)).find((row) => row.id === result.runId)!;
    return c.json(runView(runRow), 200);
  };

  const runs: RouteHandler<typeof routes.listReviewPlanRunsRoute, AppEnv> = async (c) => {
    const { planId } = c.req.valid('param');
    await existingPlan(planId);
    return c.json({ items: (await planRuns(deps.db, planId)).map(runView) }, 200);
  };

  return { create, list, get, update, remove, run, runs };
}

function runView(row: Awaited<ReturnType<typeof planRuns>>[number]) {
  return {
    runId: row.id,
    planId: row.planId,
    periodStart: row.periodStart.toISOString(),
    periodEnd: row.periodEnd.toISOString(),
    runs: row.runs,
    firstRunAt: row.firstRunAt.toISOString(),
    lastRunAt: row.lastRunAt.toISOString(),
    report: row.report,
  };
}
