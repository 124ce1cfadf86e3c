import { OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../../context.js';
import type { ApiDeps } from '../../deps.js';
import { auditedRefusal } from '../refused-import.js';
import { postEmailRoute } from './routes.js';
import { emailImportHandlers } from './handlers.js';

export function emailImportRoutes(deps: ApiDeps) {
  const handlers = emailImportHandlers(deps);
  return new OpenAPIHono<AppEnv>({ defaultHook: auditedRefusal(deps, 'EMAIL_IMPORT', 'Invalid email') })
    .openapi(postEmailRoute, handlers.postEmail);
}
