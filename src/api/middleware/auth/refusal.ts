import type { Context } from 'hono';
import type { Actor } from '../../../audit/write/actor.js';
import { appendOutcome } from '../../../audit/write/audit-outcome.js';
import type { Executor } from '../../../db/client.js';
import type { AppEnv } from '../../context.js';
import { problem } from '../../problem.js';

const CONVERSATION_IN_PATH = /\/conversations\/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})(?:\/|$)/i;

export interface Refusal {
  /** 404 for an object outside the caller's scope (or absent), answered as if it did not exist. */
  status: 401 | 403 | 404;
  /** The catalogue activity of the refused route. */
  activity: string;
  route: string;
  reason: string;
  detail: string;
  actor: Actor;
  /** The problem's title, where the status's own name would say too much (404 never says "forbidden"). */
  title?: string;
  /** The conversation the refused request named, when access control resolved it (a call's, for instance). */
  conversationId?: string;
}

function wwwAuthenticate(refusal: Refusal): string {
  if (refusal.reason === 'missing') return 'Bearer realm="recordkeeper"';
  return `Bearer realm="recordkeeper", error="invalid_token", error_description="${refusal.detail.replace(/["\\]/g, '')}"`;
}

/**
 * Answers a refused request (401 with a Bearer challenge, 403, or 404 for an object out of scope) and audits it as UNAUTHORIZED under the
 * route's activity, so refusals show up where the successful calls of the same activity do. A refused
 * access to a conversation is linked to it, so the conversation's trace shows who tried.
 */
export async function refuse(c: Context<AppEnv>, db: Executor, refusal: Refusal): Promise<Response> {
  const conversationId = refusal.conversationId ?? CONVERSATION_IN_PATH.exec(c.req.path)?.[1]?.toLowerCase() ?? null;
  await appendOutcome(db, {
    activity: refusal.activity,
    // A scoped caller naming an object that does not exist is a failed lookup, not a refusal.
    result: refusal.reason === 'not-found' ? 'FAIL' : 'UNAUTHORIZED',
    actor: refusal.actor,
    description: `${refusal.route} refused (${refusal.status}): ${refusal.detail}`,
    details: { route: refusal.route, path: c.req.path, status: refusal.status, reason: refusal.reason },
    correlationId: c.get('requestId'),
    conversationId,
  });
  if (refusal.status === 401) {
    c.header('WWW-Authenticate', wwwAuthenticate(refusal));
    return problem(c, 401, 'Unauthorized', { detail: refusal.detail });
  }
  return problem(c, refusal.status, refusal.title ?? 'Forbidden', { detail: refusal.detail });
}
