import { ROUTE_PERMISSIONS, type RoutePermission } from '../../permissions.js';

type Operation = Record<string, unknown> & { responses?: Record<string, unknown> };
type Document = { paths?: Record<string, Record<string, Operation>>; components?: Record<string, Record<string, unknown>> };

const HTTP_METHODS = new Set(['get', 'put', 'post', 'delete', 'patch', 'head', 'options', 'trace']);
const problemContent = { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } };

/**
 * Adds what the permission table decides to the generated document: which operations need a bearer token,
 * which roles may call each (`x-roles`), the activity a call is audited under (`x-audit-activity`), and
 * the 401/403 answers every protected operation can give. Clients learn the rules from the same table
 * the server enforces.
 */
export function withPermissions<T extends object>(generated: T, permissions: Readonly<Record<string, RoutePermission>> = ROUTE_PERMISSIONS): T {
  const document = generated as Document;
  document.components = { ...document.components };
  document.components.securitySchemes = {
    ...document.components.securitySchemes,
    bearerAuth: { type: 'http', scheme: 'bearer', description: 'An API token (`rk_…`, see `npm run token:create`) or, where configured, an OIDC access token' },
  };
  for (const [path, item] of Object.entries(document.paths ?? {})) {
    for (const [method, operation] of Object.entries(item)) {
      if (!HTTP_METHODS.has(method)) continue;
      const rule = permissions[`${method.toUpperCase()} ${path}`];
      if (rule?.roles === 'public') {
        operation.security = [];
        continue;
      }
      operation.security = [{ bearerAuth: [] }];
      operation['x-roles'] = rule ? [...rule.roles] : [];
      if (rule?.activity) operation['x-audit-activity'] = rule.activity;
      operation.responses = {
        ...operation.responses,
        401: { description: 'No valid bearer token', content: problemContent },
        403: { description: 'None of the caller’s roles may call this', content: problemContent },
      };
    }
  }
  return generated;
}
