import { createRoute, z } from '@hono/zod-openapi';
import { capturedMediaSchema } from '../../imports/import-result.js';
import { problemResponses } from '../../openapi-shared.js';

const conversationId = z.uuid().openapi({ param: { name: 'conversationId', in: 'path' } });
const sha256 = z
  .string()
  .regex(/^[0-9a-f]{64}$/, 'a SHA-256 digest: 64 lowercase hex characters')
  .openapi({ param: { name: 'sha256', in: 'path' } });

export const listConversationMediaRoute = createRoute({
  method: 'get',
  path: '/v1/conversations/{conversationId}/media',
  tags: ['Conversations'],
  summary: "List a conversation's media (original messages, transcripts, attachments, recordings)",
  request: { params: z.object({ conversationId }) },
  responses: {
    200: { description: 'The media, by kind and order', content: { 'application/json': { schema: z.object({ items: z.array(capturedMediaSchema) }) } } },
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
    '"Media integrity violation" and the failed access is audited. Every access is audited (ACCESS_MEDIA).',
  request: { params: z.object({ conversationId, sha256 }) },
  responses: {
    200: {
      description: 'The file; `Digest`-style `x-content-sha256` header and `ETag` carry its digest',
      content: { 'application/octet-stream': { schema: z.string().openapi({ format: 'binary' }) } },
    },
    ...problemResponses(401, 403, 404, 410, 422),
    500: { description: 'The stored file no longer matches its digest (or is missing): it is not served' },
  },
});
