import { OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../context.js';
import type { ApiDeps } from '../deps.js';
import { createRecordingRuleRoute, deleteRecordingRuleRoute, listRecordingRulesRoute, replaceRecordingRuleRoute } from './routes.js';
import { recordingRuleHandlers } from './handlers.js';

export function recordingRuleRoutes(deps: ApiDeps) {
  const handlers = recordingRuleHandlers(deps);
  return new OpenAPIHono<AppEnv>()
    .openapi(createRecordingRuleRoute, handlers.createRecordingRule)
    .openapi(listRecordingRulesRoute, handlers.listRecordingRules)
    .openapi(replaceRecordingRuleRoute, handlers.replaceRecordingRule)
    .openapi(deleteRecordingRuleRoute, handlers.deleteRecordingRule);
}
