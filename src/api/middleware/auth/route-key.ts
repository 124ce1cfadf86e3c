import type { Context } from 'hono';
import { matchedRoutes } from 'hono/route';

/** `app.use(...)` registers middleware as method ALL on a wildcard path; such a route never ends a request. */
const isMiddleware = (route: { method: string; path: string }) => route.method === 'ALL' && route.path.endsWith('*');

/** Hono's `/v1/users/:userId` (optionally with a `{regex}` or `?`) as OpenAPI writes it: `/v1/users/{userId}`. */
export function openApiPath(honoPath: string): string {
  return honoPath.replace(/:([A-Za-z0-9_]+)(\{[^}]*\})?\??/g, '{$1}');
}

/**
 * The permission-table key (`METHOD /openapi/path/{param}`) of the route that will answer this request,
 * or undefined when no route matches (the not-found handler answers). HEAD requests are routed to GET
 * handlers, so the registered method, not the request's, names the route.
 */
export function endpointKey(c: Context): string | undefined {
  const endpoint = matchedRoutes(c).findLast((route) => !isMiddleware(route));
  return endpoint ? `${endpoint.method} ${openApiPath(endpoint.path)}` : undefined;
}

/**
 * The path parameters of the route that will answer this request, read before any handler runs (Hono
 * gives middleware registered on `*` no parameters of its own).
 */
export function endpointParams(c: Context): Record<string, string> {
  const endpoint = matchedRoutes(c).findLast((route) => !isMiddleware(route));
  if (!endpoint) return {};
  const pattern = endpoint.path.split('/');
  const actual = c.req.path.split('/');
  const params: Record<string, string> = {};
  pattern.forEach((segment, index) => {
    const name = /^:([A-Za-z0-9_]+)/.exec(segment)?.[1];
    const value = actual[index];
    if (name === undefined || value === undefined) return;
    try {
      params[name] = decodeURIComponent(value);
    } catch {
      params[name] = value;
    }
  });
  return params;
}
