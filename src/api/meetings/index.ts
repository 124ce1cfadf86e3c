import { OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../context.js';
import type { ApiDeps } from '../deps.js';
import { auditedRefusal } from '../imports/refused-import.js';
import { meetingHandlers } from './handlers.js';
import { postMeetingRoute } from './routes.js';

/** Face-to-face and video meeting minutes (MiFID II Art. 76(9)): conversations of channel MEETING. */
export function meetingRoutes(deps: ApiDeps) {
  const handlers = meetingHandlers(deps);
  return new OpenAPIHono<AppEnv>({ defaultHook: auditedRefusal(deps, 'MEETING_MINUTES_IMPORT', 'Invalid meeting minutes') }).openapi(postMeetingRoute, handlers.postMeeting);
}
