import { OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../context.js';
import type { ApiDeps } from '../deps.js';
import { archiveTaskControl, createArchiveTaskRoute, listArchiveTasksRoute } from './routes.js';
import { archiveTaskHandlers } from './handlers.js';

export function archiveTaskRoutes(deps: ApiDeps) {
  const handlers = archiveTaskHandlers(deps);
  return new OpenAPIHono<AppEnv>()
    .openapi(createArchiveTaskRoute, handlers.createArchiveTask)
    .openapi(listArchiveTasksRoute, handlers.listArchiveTasks)
    .openapi(archiveTaskControl.trigger, handlers.trigger)
    .openapi(archiveTaskControl.listRuns, handlers.listRuns)
    .openapi(archiveTaskControl.pause, handlers.pause)
    .openapi(archiveTaskControl.resume, handlers.resume);
}
