import { createRoute, z } from '@hono/zod-openapi';
import { capturedMediaSchema } from '../../imports/import-result.js';
import { jsonResponse, problemResponses } from '../../openapi-shared.js';

const conversationId = z.uuid().openapi({ param: { name: 'conversationId', in: 'path' } });
const sha256 = z
  .string()
  .regex(/^[0-9a-f]{64}$/, 'a SHA-256 digest: 64 lowercase hex characters')
  .openapi({ param: { name: 'sha256', in: 'path' } });

/** A listed file; recordings name the call segment they are the audio of. */
export const conversationMediaItemSchema = capturedMediaSchema
  .extend({ segmentIndex: z.number().int().nullable().openapi({ description: 'The call segment a recording belongs to; null for other media' }) })
  .openapi('ConversationMediaItem');

export const listConversationMediaRoute = createRoute({
  method: 'get',
  path: '/v1/conversations/{conversationId}/media',
  tags: ['Conversations'],
  summary: "List a conversation's media (original messages, transcripts, attachments, recordings)",
  request: { params: z.object({ conversationId }) },
  responses: {
    200: jsonResponse('The media, by kind and order', z.object({ items: z.array(conversationMediaItemSchema) })),
    ...problemResponses(401, 403, 404, 422),
  },
});

export const getConversationMediaRoute = createRoute({
  method: 'get',
  path: '/v1/conversations/{conversationId}/media/{sha256}',
  tags: ['Conversations'],
  summary: 'Download one media file of a conversation, verified against its SHA-256 digest',
  description:
    'The file is served only if its bytes still hash to the digest it was stored under; otherwise the answer is 500 ' +
    '"Media integrity violation" and the failed access is audited. Every access is audited (ACCESS_MEDIA). ' +
    'A single `Range: bytes=start-end` is honoured (206 with Content-Range, so an audio player can seek), after the whole ' +
    'file has been verified; a range outside the file is 416.',
  request: { params: z.object({ conversationId, sha256 }) },
  responses: {
    200: {
      description: 'The file; `Digest`-style `x-content-sha256` header and `ETag` carry its digest',
      content: { 'application/octet-stream': { schema: z.string().openapi({ format: 'binary' }) } },
    },
    206: {
      description: 'The requested byte range of the verified file, with Content-Range',
      content: { 'application/octet-stream': { schema: z.string().openapi({ format: 'binary' }) } },
    },
    ...problemResponses(401, 403, 404, 410, 416, 422),
    500: { description: 'The stored file no longer matches its digest (or is missing): it is not served' },
  },
});

const recordingManifestEntry = z.object({
  fileName: z.string(),
  segmentIndex: z.number().int(),
  mediaType: z.string(),
  sizeBytes: z.number().int(),
  sha256: z.string(),
  source: z.string(),
  storedAt: z.string(),
});

export const exportConversationRecordingsRoute = createRoute({
  method: 'post',
  path: '/v1/conversations/{conversationId}/recordings/export',
  tags: ['Conversations'],
  summary: "Export a conversation's call recordings as one tar package with a manifest of their digests",
  description:
    'A POSIX tar: `manifest.json` first (conversation id, export time, and per recording its file name, segment, media type, size ' +
    'and SHA-256), then each recording under `recordings/`. Every file is verified against its digest before the package starts and ' +
    're-hashed while it is written; audited SEND_RECORDING.',
  request: { params: z.object({ conversationId }) },
  responses: {
    200: {
      description: 'The package (application/x-tar)',
      content: { 'application/x-tar': { schema: z.string().openapi({ format: 'binary', description: `manifest.json: ${JSON.stringify(Object.keys(recordingManifestEntry.shape))}` }) } },
    },
    ...problemResponses(401, 403, 404, 410, 422),
    500: { description: 'A recording no longer matches its digest: nothing is sent' },
  },
});
