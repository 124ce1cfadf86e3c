import { OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../context.js';
import type { ApiDeps } from '../deps.js';
import { trainingAssignmentHandlers } from './handlers.js';
import { assignTrainingRoute, assignmentHistoryRoute, cancelAssignmentRoute, getAssignmentRoute, listAssignmentsRoute, submitAttemptRoute } from './routes.js';

/** Training assignments: coaching by hand, the trainee's view and quiz attempts, cancellation; each change pokes its follow-up. */
export function trainingAssignmentRoutes(deps: ApiDeps) {
  const handlers = trainingAssignmentHandlers(deps);
  return new OpenAPIHono<AppEnv>()
    .openapi(assignTrainingRoute, handlers.assign)
    .openapi(listAssignmentsRoute, handlers.list)
    .openapi(getAssignmentRoute, handlers.get)
    .openapi(assignmentHistoryRoute, handlers.history)
    .openapi(submitAttemptRoute, handlers.submit)
    .openapi(cancelAssignmentRoute, handlers.cancel);
}
