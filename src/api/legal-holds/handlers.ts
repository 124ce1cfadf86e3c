import { randomUUID } from 'node:crypto';
import type { RouteHandler } from '@hono/zod-openapi';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import { appendOutcome } from '../../audit/write/audit-outcome.js';
import type { SearchHoldRunRow } from '../../db/schema/index.js';
import { uuidV5 } from '../../lib/ids.js';
import { findSearchHoldRun, finishSearchHoldRun, startSearchHoldRun } from '../../legal-holds/search-hold-runs.js';
import { SEARCH_HOLD_RUN_DEFAULTS, SEARCH_HOLD_RUN_WORKFLOW, searchHoldRunWorkflowId, type SearchHoldRunInput } from '../../workflows/search-hold-run.contract.js';
import type { AppEnv } from '../context.js';
import { auditedFilters, searchFiltersOf } from '../search-query.js';
import type { ApiDeps } from '../deps.js';
import { DEFAULT_REQUEST_TIMEOUT_MS } from '../app.js';
import { ProblemError } from '../problem.js';
import { requestContext } from '../request-context.js';
import { requestRelease } from './release-handlers.js';
import type { getSearchHoldRoute, placeSearchHoldRoute, releaseSearchHoldRoute } from './routes.js';

export function searchHoldView(run: SearchHoldRunRow) {
  return {
    holdGroupId: run.holdGroupId,
    status: run.status,
    reason: run.reason,
    reference: run.reference,
    scope: run.scope,
    capturedBefore: run.capturedBefore.toISOString(),
    startedAt: run.startedAt.toISOString(),
    finishedAt: run.finishedAt?.toISOString() ?? null,
    matched: run.matched,
    held: run.held,
    failed: run.skips,
    skipped: run.skipped,
    failure: run.failure,
    statusUrl: `/v1/legal-holds/${run.holdGroupId}`,
  };
}

const ANSWER_POLL_MS = 100;

/**
 * Every search hold is a run, however small the search, and every answer is that run's status. The request
 * waits a little for it (a third of the request timeout, at most 10 s): a small search answers 201 in force,
 * as it always did, and a large one 202 placing, with the status URL to follow, long before the timeout.
 */
export function legalHoldGroupHandlers(deps: ApiDeps) {
  const runTuning = { ...SEARCH_HOLD_RUN_DEFAULTS, ...deps.searchHoldRun };
  const answerWithinMs = deps.searchHoldRun?.answerWithinMs ?? Math.min(10_000, (deps.http?.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS) / 3);
  const awaitRun = async (run: SearchHoldRunRow): Promise<SearchHoldRunRow> => {
    const deadline = Date.now() + answerWithinMs;
    let current = run;
    while (current.status === 'placing' && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, ANSWER_POLL_MS));
      current = (await findSearchHoldRun(deps.db, run.holdGroupId)) ?? current;
    }
    return current;
  };

  const placeSearchHoldHandler: RouteHandler<typeof placeSearchHoldRoute, AppEnv> = async (c) => {
    const body = c.req.valid('json');
    const { 'idempotency-key': idempotencyKey } = c.req.valid('header');
    const context = requestContext(c);
    const filters = searchFiltersOf(body.query);
    // Per user, so one person's key can never answer another's request.
    const holdGroupId = idempotencyKey ? uuidV5(`search-hold\u0000${context.actor.id}\u0000${idempotencyKey}`) : randomUUID();
    const scope = { holdGroupId, query: auditedFilters(filters) };
    const { run, sameRequest } = await startSearchHoldRun(deps.db, { holdGroupId, filters, scope, reason: body.reason, reference: body.reference, context });
    if (!sameRequest) {
      await appendOutcome(deps.db, { activity: 'LEGAL_HOLD_ADD', result: 'FAIL', actor: context.actor, correlationId: context.correlationId, description: `Legal hold over a search refused: Idempotency-Key reused for another request`, details: { holdGroupId } });
      throw new ProblemError(409, 'Idempotency-Key reused', { detail: `the key already placed hold ${holdGroupId} with another reason or search`, errors: [{ pointer: '/headers/idempotency-key', field: 'idempotency-key', message: 'already used for another request' }] });
    }
    // Started on every placing answer, so a request that failed between recording the run and starting it is finished by its retry.
    if (run.status === 'placing') {
      const input: SearchHoldRunInput = { holdGroupId, pageSize: runTuning.pageSize, pagesPerRun: runTuning.pagesPerRun };
      try {
        await deps.temporal.client.workflow.start(SEARCH_HOLD_RUN_WORKFLOW, { workflowId: searchHoldRunWorkflowId(holdGroupId), taskQueue: deps.temporal.taskQueue, args: [input] });
      } catch (error) {
        if (!(error instanceof WorkflowExecutionAlreadyStartedError)) {
          // Said, not left placing with nothing to place it.
          await finishSearchHoldRun(deps.db, { holdGroupId, failure: `the run could not be started: ${(error as Error).message}` });
          throw error;
        }
      }
    }
    const answered = await awaitRun(run);
    c.header('Location', `/v1/legal-holds/${holdGroupId}`);
    return c.json(searchHoldView(answered), answered.status === 'placing' ? 202 : 201);
  };
  const getSearchHold: RouteHandler<typeof getSearchHoldRoute, AppEnv> = async (c) => {
    const { holdGroupId } = c.req.valid('param');
    const run = await findSearchHoldRun(deps.db, holdGroupId);
    if (!run) throw new ProblemError(404, 'Search hold not found', { detail: holdGroupId });
    return c.json(searchHoldView(run), 200);
  };
  const releaseSearchHold: RouteHandler<typeof releaseSearchHoldRoute, AppEnv> = async (c) => {
    const { holdGroupId } = c.req.valid('param');
    const { reason } = c.req.valid('json');
    return c.json(await requestRelease(deps, c, { kind: 'group', holdGroupId }, reason), 202);
  };

  return { placeSearchHold: placeSearchHoldHandler, getSearchHold, releaseSearchHold };
}
