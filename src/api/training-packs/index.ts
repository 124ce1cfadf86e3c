import { OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../context.js';
import type { ApiDeps } from '../deps.js';
import { trainingPackHandlers } from './handlers.js';
import {
  activateTrainingPackRoute,
  addTrainingPackVersionRoute,
  createTrainingPackRoute,
  getTrainingMaterialRoute,
  getTrainingPackRoute,
  listTrainingPacksRoute,
  removeTrainingPackRoute,
  updateTrainingPackRoute,
  uploadTrainingMaterialRoute,
} from './routes.js';

/** Training packs (the seed's eLearning) and their presentation material: what is taught only changes by new versions. */
export function trainingPackRoutes(deps: ApiDeps) {
  const handlers = trainingPackHandlers(deps);
  return new OpenAPIHono<AppEnv>()
    .openapi(createTrainingPackRoute, handlers.create)
    .openapi(listTrainingPacksRoute, handlers.list)
    .openapi(getTrainingPackRoute, handlers.get)
    .openapi(updateTrainingPackRoute, handlers.update)
    .openapi(addTrainingPackVersionRoute, handlers.addVersion)
    .openapi(activateTrainingPackRoute, handlers.activate)
    .openapi(removeTrainingPackRoute, handlers.remove)
    .openapi(uploadTrainingMaterialRoute, handlers.upload)
    .openapi(getTrainingMaterialRoute, handlers.download);
}
