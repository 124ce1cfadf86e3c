import { createRoute, z } from '@hono/zod-openapi';
import { searchFilterQuerySchema } from '../search-query.js';
import { problemResponses } from '../openapi-shared.js';

const groupResult = z
  .object({
    holdGroupId: z.uuid(),
    matched: z.number().int(),
    held: z.number().int(),
    failed: z.array(z.object({ conversationId: z.string(), reason: z.string() })),
  })
  .openapi('LegalHoldGroupResult');

export const placeSearchHoldRoute = createRoute({
  method: 'post',
  path: '/v1/legal-holds',
  tags: ['Retention'],
  summary: 'Place a legal hold on every conversation a search finds; the search is kept as the hold scope',
  request: {
    body: {
      required: true,
      content: {
        'application/json': {
          schema: z.object({
            reason: z.string().min(1).max(2000),
            reference: z.string().max(200).nullable().default(null),
            query: searchFilterQuerySchema.openapi({ description: 'The Conversation Explorer filters, as in GET /v1/conversations (no limit or cursor)' }),
          }),
        },
      },
    },
  },
  responses: { 201: { description: 'Placed', content: { 'application/json': { schema: groupResult } } }, ...problemResponses(422) },
});

export const releaseSearchHoldRoute = createRoute({
  method: 'post',
  path: '/v1/legal-holds/{holdGroupId}/release',
  tags: ['Retention'],
  summary: 'Release every hold a search hold placed (explicitly, audited per conversation)',
  request: {
    params: z.object({ holdGroupId: z.uuid() }),
    body: { required: true, content: { 'application/json': { schema: z.object({ reason: z.string().min(1).max(2000) }) } } },
  },
  responses: { 200: { description: 'Released', content: { 'application/json': { schema: groupResult } } }, ...problemResponses(404, 422) },
});
