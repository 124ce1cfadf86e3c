import { OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../context.js';
import type { ApiDeps } from '../deps.js';
import { deleteTaskControl, createDeleteTaskRoute, listDeleteTasksRoute, removeDeleteTaskRoute, replaceDeleteTaskRoute } from './routes.js';
import { deleteTaskHandlers } from './handlers.js';

export function deleteTaskRoutes(deps: ApiDeps) {
  const handlers = deleteTaskHandlers(deps);
  return new OpenAPIHono<AppEnv>()
    .openapi(createDeleteTaskRoute, handlers.createDeleteTask)
    .openapi(listDeleteTasksRoute, handlers.listDeleteTasks)
    .openapi(replaceDeleteTaskRoute, handlers.replaceDeleteTask)
    .openapi(removeDeleteTaskRoute, handlers.removeDeleteTask)
    .openapi(deleteTaskControl.trigger, handlers.trigger)
    .openapi(deleteTaskControl.listRuns, handlers.listRuns)
    .openapi(deleteTaskControl.pause, handlers.pause)
    .openapi(deleteTaskControl.resume, handlers.resume);
}
