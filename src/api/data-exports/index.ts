import { OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../context.js';
import type { ApiDeps } from '../deps.js';
import { dataExportHandlers } from './handlers.js';
import {
  createDataExportRoute,
  downloadDataExportRunRoute,
  getDataExportRoute,
  listDataExportRunsRoute,
  listDataExportsRoute,
  removeDataExportRoute,
  runDataExportRoute,
  updateDataExportRoute,
} from './routes.js';

/** The seed's Data Export module: export tasks, their runs (by hand or scheduled) and their verified files. */
export function dataExportRoutes(deps: ApiDeps) {
  const handlers = dataExportHandlers(deps);
  return new OpenAPIHono<AppEnv>()
    .openapi(createDataExportRoute, handlers.create)
    .openapi(listDataExportsRoute, handlers.list)
    .openapi(getDataExportRoute, handlers.get)
    .openapi(updateDataExportRoute, handlers.update)
    .openapi(removeDataExportRoute, handlers.remove)
    .openapi(runDataExportRoute, handlers.run)
    .openapi(listDataExportRunsRoute, handlers.runs)
    .openapi(downloadDataExportRunRoute, handlers.download);
}
