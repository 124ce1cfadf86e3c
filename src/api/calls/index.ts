import { OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../context.js';
import type { ApiDeps } from '../deps.js';
import { getCallRoute, postCallEventsRoute, tagActiveSegmentRoute, untagActiveSegmentRoute } from './routes.js';
import { callHandlers } from './handlers.js';
import { recordingHandlers } from './recording-handlers.js';
import { putCallRecordingRoute, putSegmentRecordingRoute } from './recording-routes.js';

export function callRoutes(deps: ApiDeps) {
  const handlers = callHandlers(deps);
  const recordings = recordingHandlers(deps);
  return new OpenAPIHono<AppEnv>()
    .openapi(postCallEventsRoute, handlers.postCallEvents)
    .openapi(getCallRoute, handlers.getCall)
    .openapi(tagActiveSegmentRoute, handlers.tagActiveSegment)
    .openapi(untagActiveSegmentRoute, handlers.untagActiveSegment)
    .openapi(putSegmentRecordingRoute, recordings.putSegmentRecording)
    .openapi(putCallRecordingRoute, recordings.putCallRecording);
}
