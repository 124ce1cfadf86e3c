import type { Context } from 'hono';
import type { RouteHandler } from '@hono/zod-openapi';
import { appendOutcome } from '../../audit/write/audit-outcome.js';
import { approveHoldRelease, findHoldRelease, holdReleaseView, pendingHoldReleases, requestHoldRelease, type HoldReleaseTarget, type HoldReleaseView } from '../../legal-holds/release-requests.js';
import { findSearchHoldRun } from '../../legal-holds/search-hold-runs.js';
import { releaseSearchHoldGroup } from '../../legal-holds/search-holds.js';
import type { RequestContext } from '../../audit/write/actor.js';
import { releaseLegalHoldUpdate } from '../../workflows/conversation-lifecycle.contract.js';
import type { AppEnv } from '../context.js';
import type { ApiDeps } from '../deps.js';
import { auditedLifecycleUpdate, updateConversation } from '../lifecycle-client.js';
import { ProblemError } from '../problem.js';
import { requestContext } from '../request-context.js';
import { notifyLifecycles } from './hold-notify.js';
import type { approveHoldReleaseRoute, getHoldReleaseRoute, listHoldReleasesRoute } from './release-routes.js';

/**
 * A search hold still placing is refused rather than released half way: its pre-release report would
 * cover only the holds written so far, and the run would go on placing after the release. Placing never
 * starts again once ended, so a group found ended here stays so.
 */
async function refuseWhilePlacing(deps: ApiDeps, context: RequestContext, holdGroupId: string, reason: string): Promise<void> {
  const run = await findSearchHoldRun(deps.db, holdGroupId);
  if (run?.status !== 'placing') return;
  await appendOutcome(deps.db, {
    activity: 'LEGAL_HOLD_RELEASE_REQUEST',
    result: 'FAIL',
    actor: context.actor,
    correlationId: context.correlationId,
    description: `Release of legal hold ${holdGroupId} requested: refused, the hold is still being placed`,
    details: { holdGroupId, reason, held: run.held, matched: run.matched },
  });
  throw new ProblemError(409, 'Hold still placing', {
    detail: `legal hold ${holdGroupId} is still being placed (${run.held} hold(s) so far); request its release once GET /v1/legal-holds/${holdGroupId} reports in_force`,
    type: 'https://recordkeeper.dev/problems/hold-still-placing',
  });
}

/** Both release routes only ask: the holds stay in force until a second person approves. */
export async function requestRelease(deps: ApiDeps, c: Context<AppEnv>, target: HoldReleaseTarget, reason: string): Promise<HoldReleaseView> {
  const context = requestContext(c);
  if (target.kind === 'group') await refuseWhilePlacing(deps, context, target.holdGroupId, reason);
  const requested = await requestHoldRelease(deps.db, { target, reason, context });
  if (requested) return requested;
  const holdGroupId = target.kind === 'group' ? target.holdGroupId : target.holdId;
  const conversationId = target.kind === 'hold' ? target.conversationId : null;
  await appendOutcome(deps.db, {
    activity: 'LEGAL_HOLD_RELEASE_REQUEST',
    result: 'FAIL',
    actor: context.actor,
    correlationId: context.correlationId,
    description: `Release of legal hold ${holdGroupId} requested: no active hold`,
    details: { holdGroupId, reason },
    conversationId,
  });
  throw new ProblemError(404, target.kind === 'group' ? 'No active holds in this group' : 'No active hold', { detail: holdGroupId });
}

const REFUSALS = {
  'not-found': { status: 404, title: 'Release request not found' },
  'own-request': { status: 403, title: 'FourEyesRequired' },
  expired: { status: 409, title: 'ReleaseRequestExpired' },
} as const;

export function holdReleaseHandlers(deps: ApiDeps) {
  const approve: RouteHandler<typeof approveHoldReleaseRoute, AppEnv> = async (c) => {
    const { requestId } = c.req.valid('param');
    const context = requestContext(c);
    const outcome = await approveHoldRelease(deps.db, { requestId, context });
    if ('refusal' in outcome) {
      const detail =
        outcome.refusal === 'own-request'
          ? 'whoever requested a release cannot approve it: another person with the legal hold role must'
          : outcome.refusal === 'expired'
            ? `the request expired at ${outcome.request!.expiresAt.toISOString()}; request the release again`
            : `no release request ${requestId}`;
      await appendOutcome(deps.db, {
        activity: 'LEGAL_HOLD_RELEASE_APPROVE',
        result: outcome.refusal === 'own-request' ? 'UNAUTHORIZED' : 'FAIL',
        actor: context.actor,
        correlationId: context.correlationId,
        description: `Approval of release request ${requestId} refused: ${detail}`,
        details: { requestId, refusal: outcome.refusal },
        conversationId: outcome.request?.conversationId ?? null,
      });
      const refusal = REFUSALS[outcome.refusal];
      throw new ProblemError(refusal.status, refusal.title, { detail });
    }
    const { request } = outcome;
    // The approver releases; the reason keeps who asked for it.
    const reason = `${request.reason} (requested by ${request.requestedBy}, approved by ${context.actor.id})`;
    let released: number;
    if (request.conversationId === null) {
      const holds = await releaseSearchHoldGroup(deps.db, { holdGroupId: request.holdGroupId, reason, context });
      released = holds.length;
      if (released > 0) {
        await notifyLifecycles(deps, request.holdGroupId, 'released', reason);
        await appendOutcome(deps.db, { activity: 'LEGAL_HOLD_RELEASE', result: 'OK', actor: context.actor, correlationId: context.correlationId, description: `Legal hold group ${request.holdGroupId} released on ${released} conversation(s)`, details: { holdGroupId: request.holdGroupId, requestId, reason, released } });
      }
    } else {
      const conversationId = request.conversationId;
      const result = await auditedLifecycleUpdate(
        deps,
        c,
        { activity: 'LEGAL_HOLD_RELEASE', description: `Release of legal hold ${request.holdGroupId} on conversation ${conversationId}`, conversationId, details: { holdId: request.holdGroupId, requestId, reason } },
        () => updateConversation(deps, conversationId, releaseLegalHoldUpdate, { context, holdId: request.holdGroupId, reason }),
      );
      released = result.status === 'released' ? 1 : 0;
    }
    return c.json({ ...holdReleaseView(request), released }, 200);
  };

  const get: RouteHandler<typeof getHoldReleaseRoute, AppEnv> = async (c) => {
    const { requestId } = c.req.valid('param');
    const request = await findHoldRelease(deps.db, requestId);
    if (!request) throw new ProblemError(404, 'Release request not found', { detail: `no release request ${requestId}` });
    return c.json(holdReleaseView(request), 200);
  };

  const list: RouteHandler<typeof listHoldReleasesRoute, AppEnv> = async (c) => {
    const { limit } = c.req.valid('query');
    return c.json({ items: (await pendingHoldReleases(deps.db, limit)).map((row) => holdReleaseView(row)) }, 200);
  };

  return { approve, get, list };
}
