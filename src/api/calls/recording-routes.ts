import { createRoute, z } from '@hono/zod-openapi';
import { RECORDING_MEDIA_TYPES } from '../../domain/call-recordings.js';
import { jsonResponse, problemResponses } from '../openapi-shared.js';
import { callIdParams } from './routes.js';

/** A recording is read whole into memory to be hashed and stored: about an hour of 16-bit stereo 22 kHz WAV. */
export const MAX_RECORDING_BYTES = 200 * 1024 * 1024;

/** The upload routes, which the app gives the recording body limit instead of the JSON one. */
export const RECORDING_UPLOAD_PATH = /^\/v1\/calls\/[^/]+(\/segments\/[^/]+)?\/recording$/;

const audioBody = {
  required: true,
  description: `The audio as raw bytes, at most ${MAX_RECORDING_BYTES} bytes; Content-Type one of ${Object.keys(RECORDING_MEDIA_TYPES).join(', ')}`,
  content: Object.fromEntries(Object.keys(RECORDING_MEDIA_TYPES).map((type) => [type, { schema: z.string().openapi({ format: 'binary' }) }])),
};

const storedRecording = z
  .object({
    conversationId: z.string(),
    segmentIndex: z.number().int(),
    sha256: z.string(),
    sizeBytes: z.number().int(),
    mediaType: z.string(),
    fileName: z.string(),
    duplicate: z.boolean(),
    url: z.string().openapi({ description: 'Where the verified audio is played (Range requests) or downloaded' }),
  })
  .openapi('StoredRecording');

const responses = {
  200: jsonResponse('The same bytes were already this segment’s recording: nothing changed', storedRecording),
  201: jsonResponse('Stored and bound to the segment', storedRecording),
  ...problemResponses(404, 409, 410, 413, 415, 422),
};

export const putSegmentRecordingRoute = createRoute({
  method: 'put',
  path: '/v1/calls/{callId}/segments/{segmentIndex}/recording',
  tags: ['Live calls'],
  summary: 'Upload the audio of one recorded segment of a call (WAV, MP3, Ogg/Opus)',
  description:
    'Stored content-addressed with its SHA-256 and bound to the segment (numbered from 1, as in GET /v1/calls/{callId}); audited RECORDING_STORED. ' +
    'Refused, and nothing kept, when the customer refused consent (409) or the segment is not recorded (422); the refusal is audited. ' +
    'Sending the same bytes again is a no-op (200); different bytes for a segment that has a recording are refused (409).',
  request: { params: callIdParams.extend({ segmentIndex: z.coerce.number().int().min(1).max(100_000).openapi({ param: { name: 'segmentIndex', in: 'path' } }) }), body: audioBody },
  responses,
});

export const putCallRecordingRoute = createRoute({
  method: 'put',
  path: '/v1/calls/{callId}/recording',
  tags: ['Live calls'],
  summary: 'Upload the audio of a whole call that has exactly one segment',
  description: 'For sources that record one file per contact. A call cut into several segments (hold, transfer) is refused with 422: upload per segment.',
  request: { params: callIdParams, body: audioBody },
  responses,
});
