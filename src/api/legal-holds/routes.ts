import { createRoute, z } from '@hono/zod-openapi';
import { searchFilterQuerySchema } from '../search-query.js';
import { problemResponses } from '../openapi-shared.js';
import { holdReleaseRequested } from './release-routes.js';

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
  summary: 'Request the release of every hold a search hold placed; a second person approves it (POST /v1/legal-hold-releases/{requestId}/approve)',
  request: {
    params: z.object({ holdGroupId: z.uuid() }),
    body: { required: true, content: { 'application/json': { schema: z.object({ reason: z.string().min(1).max(2000) }) } } },
  },
  responses: { ...holdReleaseRequested, ...problemResponses(404, 422) },
});

const holdGroupSchema = z
  .object({
    holdGroupId: z.string().openapi({ description: "The search hold's group id; for a hold placed on one conversation, that hold's id" }),
    kind: z.enum(['search', 'conversation']),
    reason: z.string(),
    reference: z.string().nullable(),
    scope: z.record(z.string(), z.unknown()).nullable().openapi({ description: 'The search that placed a search hold (its Conversation Explorer filters); null for a single hold' }),
    conversationId: z.string().nullable().openapi({ description: 'The conversation of a single hold' }),
    placedAt: z.string(),
    placedBy: z.string(),
    active: z.number().int(),
    released: z.number().int(),
  })
  .openapi('LegalHoldGroup');

export const listHoldGroupsRoute = createRoute({
  method: 'get',
  path: '/v1/legal-holds',
  tags: ['Retention'],
  summary: 'Legal holds, one row per search hold (with the search that placed it) or per single hold, newest first',
  request: {
    query: z.object({
      status: z.enum(['active', 'all']).default('active').openapi({ description: 'active: groups with at least one unreleased hold' }),
      limit: z.coerce.number().int().min(1).max(500).default(100),
      cursor: z.string().max(200).optional().openapi({ description: 'Keyset cursor: `next` of the previous page' }),
    }),
  },
  responses: {
    200: { description: 'Hold groups', content: { 'application/json': { schema: z.object({ items: z.array(holdGroupSchema), next: z.string().nullable() }) } } },
    ...problemResponses(422),
  },
});
