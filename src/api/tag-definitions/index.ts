import { OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../context.js';
import type { ApiDeps } from '../deps.js';
import { createTagDefinitionRoute, deleteTagDefinitionRoute, listTagDefinitionsRoute } from './routes.js';
import { tagDefinitionHandlers } from './handlers.js';

export function tagDefinitionRoutes(deps: ApiDeps) {
  const handlers = tagDefinitionHandlers(deps);
  return new OpenAPIHono<AppEnv>()
    .openapi(createTagDefinitionRoute, handlers.createTagDefinition)
    .openapi(listTagDefinitionsRoute, handlers.listTagDefinitions)
    .openapi(deleteTagDefinitionRoute, handlers.deleteTagDefinition);
}
