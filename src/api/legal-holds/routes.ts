import { createRoute, z } from '@hono/zod-openapi';
import { searchFilterQuerySchema } from '../search-query.js';
import { problemResponses } from '../openapi-shared.js';
import { holdReleaseRequested } from './release-routes.js';

const searchHoldRunSchema = z
  .object({
    holdGroupId: z.uuid(),
    status: z.enum(['placing', 'in_force', 'failed']).openapi({ description: 'placing: holds are being written, page by page; in_force: every matched conversation is held; failed: see `failure` (the holds placed so far stay in force)' }),
    reason: z.string(),
    reference: z.string().nullable(),
    scope: z.record(z.string(), z.unknown()).openapi({ description: 'The group id and the search that placed the hold' }),
    capturedBefore: z.string().openapi({ description: 'The matched set is fixed when the run starts: conversations captured after this are not part of the hold' }),
    startedAt: z.string(),
    finishedAt: z.string().nullable(),
    matched: z.number().int().openapi({ description: 'Conversations the search found so far' }),
    held: z.number().int().openapi({ description: 'Holds placed so far' }),
    failed: z.array(z.object({ conversationId: z.string(), reason: z.string() })).openapi({ description: 'Matched conversations left without a hold (deleted before it), the first 100' }),
    skipped: z.number().int().openapi({ description: 'How many matched conversations were left without a hold' }),
    failure: z.string().nullable(),
    statusUrl: z.string(),
  })
  .openapi('SearchHoldRun');

export const placeSearchHoldRoute = createRoute({
  method: 'post',
  path: '/v1/legal-holds',
  tags: ['Retention'],
  summary: 'Place a legal hold on every conversation a search finds, as a durable run; the search is kept as the hold scope',
  description:
    'The holds are placed by a durable run. The answer is the run: 201 when it is already in force (a small search), 202 while it is still `placing` (follow `statusUrl` until `in_force`). The same Idempotency-Key from the same user answers the run it started instead of starting another.',
  request: {
    headers: z.object({
      'idempotency-key': z.string().min(1).max(200).optional().openapi({ description: 'Repeat it on a retry: the retried request answers the run the first one started' }),
    }),
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
  responses: {
    201: { description: 'In force on every matched conversation (or failed, with the reason)', content: { 'application/json': { schema: searchHoldRunSchema } } },
    202: { description: 'Still placing: follow statusUrl', content: { 'application/json': { schema: searchHoldRunSchema } } },
    ...problemResponses(409, 422),
  },
});

export const getSearchHoldRoute = createRoute({
  method: 'get',
  path: '/v1/legal-holds/{holdGroupId}',
  tags: ['Retention'],
  summary: 'A search hold and its run: placing with progress, in force, or failed with the reason',
  request: { params: z.object({ holdGroupId: z.uuid() }) },
  responses: { 200: { description: 'The search hold', content: { 'application/json': { schema: searchHoldRunSchema } } }, ...problemResponses(404, 422) },
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
  responses: { ...holdReleaseRequested, ...problemResponses(404, 409, 422) },
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
    status: z.enum(['placing', 'in_force', 'failed', 'released']).openapi({ description: 'placing: a search hold still being written (releasing it is refused until it is in force)' }),
  })
  .openapi('LegalHoldGroup');

export const listHoldGroupsRoute = createRoute({
  method: 'get',
  path: '/v1/legal-holds',
  tags: ['Retention'],
  summary: 'Legal holds, one row per search hold (with the search that placed it) or per single hold, newest first',
  request: {
    query: z.object({
      status: z.enum(['active', 'all']).default('active').openapi({ description: 'active: groups with at least one unreleased hold, or still placing' }),
      limit: z.coerce.number().int().min(1).max(500).default(100),
      cursor: z.string().max(200).optional().openapi({ description: 'Keyset cursor: `next` of the previous page' }),
    }),
  },
  responses: {
    200: { description: 'Hold groups', content: { 'application/json': { schema: z.object({ items: z.array(holdGroupSchema), next: z.string().nullable() }) } } },
    ...problemResponses(422),
  },
});
