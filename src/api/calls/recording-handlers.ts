import type { Context } from 'hono';
import type { RouteHandler } from '@hono/zod-openapi';
import { recordingMediaType, RECORDING_MEDIA_TYPES } from '../../domain/call-recordings.js';
import { RecordingRejectedError, segmentIndexesOf, storeSegmentRecording } from '../../media/call-recordings.js';
import type { AppEnv } from '../context.js';
import type { ApiDeps } from '../deps.js';
import { ProblemError } from '../problem.js';
import { requestContext } from '../request-context.js';
import { callConversationId } from './call-id.js';
import type { putCallRecordingRoute, putSegmentRecordingRoute } from './recording-routes.js';

const STATUS: Record<RecordingRejectedError['code'], { status: 404 | 409 | 410 | 422; title: string }> = {
  SEGMENT_NOT_FOUND: { status: 404, title: 'Segment not found' },
  CONVERSATION_DELETED: { status: 410, title: 'ConversationDisposed' },
  CONSENT_REFUSED: { status: 409, title: 'Consent refused' },
  NOT_RECORDED: { status: 422, title: 'Segment not recorded' },
  SEGMENT_HAS_RECORDING: { status: 409, title: 'Segment already has a recording' },
};

export function recordingHandlers(deps: ApiDeps) {
  const store = async (c: Context<AppEnv>, callId: string, segmentIndex: number) => {
    const contentType = c.req.header('content-type');
    const mediaType = recordingMediaType(contentType);
    if (!mediaType) {
      throw new ProblemError(415, 'Unsupported media type', {
        detail: `Content-Type ${JSON.stringify(contentType ?? '')} is not a recording type; send one of ${Object.keys(RECORDING_MEDIA_TYPES).join(', ')}`,
        errors: [{ pointer: '', field: 'Content-Type', message: `${contentType ?? '(none)'} is not accepted` }],
      });
    }
    const content = new Uint8Array(await c.req.arrayBuffer());
    if (content.byteLength === 0) {
      throw new ProblemError(422, 'Empty recording', { detail: 'The body holds no audio', errors: [{ pointer: '', field: '(body)', message: 'empty' }] });
    }
    const context = requestContext(c);
    const conversationId = callConversationId(callId);
    try {
      const stored = await storeSegmentRecording(deps, { conversationId, segmentIndex, mediaType, content, source: 'upload', actor: context.actor, context });
      return c.json({ ...stored, url: `/v1/conversations/${conversationId}/media/${stored.sha256}` }, stored.duplicate ? 200 : 201);
    } catch (error) {
      if (!(error instanceof RecordingRejectedError)) throw error;
      const { status, title } = STATUS[error.code];
      throw new ProblemError(status, title, { detail: error.reason, errors: [{ pointer: '/segmentIndex', field: 'segmentIndex', message: error.reason }] });
    }
  };

  const putSegmentRecording: RouteHandler<typeof putSegmentRecordingRoute, AppEnv> = async (c) => {
    const { callId, segmentIndex } = c.req.valid('param');
    return store(c, callId, segmentIndex);
  };
  const putCallRecording: RouteHandler<typeof putCallRecordingRoute, AppEnv> = async (c) => {
    const { callId } = c.req.valid('param');
    const segments = await segmentIndexesOf(deps.db, callConversationId(callId));
    if (segments.length === 0) throw new ProblemError(404, 'Call not found', { detail: `Call ${callId} has no recorded segments yet` });
    if (segments.length > 1) {
      const detail = `call ${callId} has ${segments.length} segments (${segments.join(', ')}): upload each at /v1/calls/${callId}/segments/{segmentIndex}/recording`;
      throw new ProblemError(422, 'Call has several segments', { detail, errors: [{ pointer: '/segmentIndex', field: 'segmentIndex', message: detail }] });
    }
    return store(c, callId, segments[0]!);
  };
  return { putSegmentRecording, putCallRecording };
}
