import { randomUUID } from 'node:crypto';
import { getConnInfo } from '@hono/node-server/conninfo';
import type { Context, MiddlewareHandler } from 'hono';
import { appendOutcome } from '../../../audit/write/audit-outcome.js';
import type { RefusalLimit } from '../../../config.js';
import type { Executor } from '../../../db/client.js';
import { ANONYMOUS_ACTOR, type AppEnv } from '../../context.js';
import { ROUTE_PERMISSIONS, type RoutePermission } from '../../permissions.js';
import type { Authenticator } from './authentication.js';
import { bearerCredentials } from './bearer.js';
import { actorOf } from './principal.js';
import { problem } from '../../problem.js';
import { refuse, type Refusal } from './refusal.js';
import { createRefusalLimiter, DEFAULT_REFUSAL_LIMIT, type SuppressedRefusals } from './refusal-limiter.js';
import { objectAccess } from './object-scope.js';
import { endpointKey, endpointParams } from './route-key.js';

/** The activity a refusal is audited under when its route has none in the table (or is not in it at all). */
const UNLISTED_ROUTE_ACTIVITY = 'ACCESS_DENIED';

/** The peer address of the connection (a proxy's own address behind one); `unknown` outside a server. */
function sourceAddress(c: Context): string {
  try {
    return getConnInfo(c).remote.address ?? 'unknown';
  } catch {
    return 'unknown';
  }
}

function summaryEntry(summary: SuppressedRefusals) {
  return {
    activity: UNLISTED_ROUTE_ACTIVITY,
    result: 'UNAUTHORIZED' as const,
    actor: ANONYMOUS_ACTOR,
    description: `${summary.count} further unauthenticated request(s) from ${summary.source} refused with 429 between ${summary.from.toISOString()} and ${summary.to.toISOString()}`,
    details: { source: summary.source, count: summary.count, from: summary.from.toISOString(), to: summary.to.toISOString(), routes: summary.routes },
    correlationId: randomUUID(),
  };
}

/**
 * Authenticates the caller and enforces the permission table on every route: public routes pass, a route
 * missing from the table is refused to everyone, others need a valid bearer token, one of the route's
 * roles and, where the route names an object, a caller whose scope covers that object. Requests to no route at all still need a valid token (so probing does not map the API) and then
 * get the not-found answer.
 */
export function accessControl(options: {
  db: Executor;
  authenticate: Authenticator;
  permissions?: Readonly<Record<string, RoutePermission>>;
  refusalLimit?: RefusalLimit;
}): MiddlewareHandler<AppEnv> {
  const permissions = options.permissions ?? ROUTE_PERMISSIONS;
  const limiter = createRefusalLimiter(options.refusalLimit ?? DEFAULT_REFUSAL_LIMIT, (summary) => appendOutcome(options.db, summaryEntry(summary)));
  const refuseUnauthenticated = async (c: Context<AppEnv>, refusal: Refusal) => {
    const admission = limiter.admit(sourceAddress(c), refusal.route);
    if (admission.audit) return refuse(c, options.db, refusal);
    c.header('Retry-After', String(admission.retryAfterSeconds));
    return problem(c, 429, 'Too many refused requests', { detail: `Too many unauthenticated requests from this address; retry in ${admission.retryAfterSeconds} s` });
  };
  return async (c, next) => {
    c.set('actor', ANONYMOUS_ACTOR);
    const key = endpointKey(c);
    const permission = key === undefined ? undefined : permissions[key];
    if (permission?.roles === 'public') return next();

    const route = key ?? `${c.req.method} ${c.req.path}`;
    const activity = permission?.activity ?? UNLISTED_ROUTE_ACTIVITY;
    const credentials = bearerCredentials(c.req.header('authorization'));
    if (credentials.kind !== 'bearer') {
      const missing = credentials.kind === 'none';
      return refuseUnauthenticated(c, {
        status: 401,
        activity,
        route,
        reason: missing ? 'missing' : 'malformed',
        detail: missing ? 'A bearer token is required' : 'The Authorization header is not "Bearer <token>"',
        actor: ANONYMOUS_ACTOR,
      });
    }
    const authentication = await options.authenticate(credentials.token, c.get('requestId'));
    if (!authentication.ok) {
      return refuseUnauthenticated(c, {
        status: 401,
        activity,
        route,
        reason: authentication.failure,
        detail: authentication.detail,
        actor: authentication.actor ?? ANONYMOUS_ACTOR,
      });
    }
    const { principal } = authentication;
    c.set('principal', principal);
    c.set('actor', actorOf(principal));
    if (key === undefined) return next();

    if (!permission || !principal.roles.some((role) => permission.roles.includes(role))) {
      const detail = permission
        ? `Roles [${principal.roles.join(', ')}] may not call ${key}; it needs one of [${permission.roles.join(', ')}]`
        : `${key} has no permission rule, so nobody may call it`;
      return refuse(c, options.db, { status: 403, activity, route, reason: permission ? 'role' : 'no-rule', detail, actor: actorOf(principal) });
    }

    if (permission.scope !== 'none') {
      const access = await objectAccess(options.db, principal, permission.scope, endpointParams(c));
      // Out of scope answers exactly like absent, so ids cannot be probed; the audit says which it was.
      if (access && access.visibility !== 'visible') {
        return refuse(c, options.db, {
          status: 404,
          activity,
          route,
          reason: access.visibility === 'hidden' ? 'scope' : 'not-found',
          detail: `No ${access.noun.toLowerCase()} ${access.id}`,
          title: `${access.noun} not found`,
          actor: actorOf(principal),
          conversationId: access.conversationId ?? undefined,
        });
      }
    }
    return next();
  };
}
