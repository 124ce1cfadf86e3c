import { OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../context.js';
import type { ApiDeps } from '../deps.js';
import { calibrationHandlers } from './handlers.js';
import { createCalibrationRoute, getCalibrationRoute } from './routes.js';

/** Calibration: one conversation sent blind to several evaluators, and how far their scores lie apart. */
export function calibrationRoutes(deps: ApiDeps) {
  const handlers = calibrationHandlers(deps);
  return new OpenAPIHono<AppEnv>().openapi(createCalibrationRoute, handlers.create).openapi(getCalibrationRoute, handlers.get);
}
