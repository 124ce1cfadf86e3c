import type { MiddlewareHandler } from 'hono';
import type { Executor } from '../../db/client.js';
import { ANONYMOUS_ACTOR, type AppEnv } from '../context.js';
import { ROUTE_PERMISSIONS, type RoutePermission } from '../permissions.js';
import type { Authenticator } from './authentication.js';
import { bearerCredentials } from './bearer.js';
import { actorOf } from './principal.js';
import { refuse } from './refusal.js';
import { endpointKey } from './route-key.js';

/** The activity a refusal is audited under when its route has none in the table (or is not in it at all). */
const UNLISTED_ROUTE_ACTIVITY = 'ACCESS_DENIED';

/**
 * Authenticates the caller and enforces the permission table on every route: public routes pass, a route
 * missing from the table is refused to everyone, others need a valid bearer token and one of the route's
 * roles. Requests to no route at all still need a valid token (so probing does not map the API) and then
 * get the not-found answer.
 */
export function accessControl(options: {
  db: Executor;
  authenticate: Authenticator;
  permissions?: Readonly<Record<string, RoutePermission>>;
}): MiddlewareHandler<AppEnv> {
  const permissions = options.permissions ?? ROUTE_PERMISSIONS;
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
      return refuse(c, options.db, {
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
      return refuse(c, options.db, {
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

    const allowedRoles = permission?.roles ?? [];
    if (!principal.roles.some((role) => allowedRoles.includes(role))) {
      const detail = permission
        ? `Roles [${principal.roles.join(', ')}] may not call ${key}; it needs one of [${allowedRoles.join(', ')}]`
        : `${key} has no permission rule, so nobody may call it`;
      return refuse(c, options.db, { status: 403, activity, route, reason: permission ? 'role' : 'no-rule', detail, actor: actorOf(principal) });
    }
    return next();
  };
}
