import { createRoute, z } from '@hono/zod-openapi';
import { problemResponses } from '../openapi-shared.js';

export const holdReleaseSchema = z
  .object({
    requestId: z.uuid(),
    holdGroupId: z.string().openapi({ description: "The search hold's group id, or the single hold's id" }),
    conversationId: z.string().nullable().openapi({ description: 'The conversation of a single hold; null for a search hold' }),
    reason: z.string(),
    status: z.enum(['pending', 'approved', 'expired']),
    requestedBy: z.string(),
    requestedAt: z.string(),
    expiresAt: z.string().openapi({ description: 'A pending request can be approved until then' }),
    approvedBy: z.string().nullable(),
    approvedAt: z.string().nullable(),
    report: z
      .object({
        holds: z.number().int(),
        conversations: z.number().int(),
        dueAtOnce: z.number().int().openapi({ description: 'Conversations that releasing lets be deleted at once: no other hold or protection, their delete task window passed' }),
        dueAtOnceSample: z.array(z.object({ conversationId: z.string(), deleteTaskId: z.string(), dueAt: z.string() })).openapi({ description: 'The first 100 of them' }),
      })
      .openapi({ description: 'Pre-release report, computed when the release was requested' }),
    released: z.number().int().optional().openapi({ description: 'After approval: how many holds the approval released' }),
  })
  .openapi('LegalHoldRelease');

export const holdReleaseRequested = {
  202: { description: 'Release requested: nothing is released until a second person approves it', content: { 'application/json': { schema: holdReleaseSchema } } },
};

const requestParams = z.object({ requestId: z.uuid() });

export const approveHoldReleaseRoute = createRoute({
  method: 'post',
  path: '/v1/legal-hold-releases/{requestId}/approve',
  tags: ['Retention'],
  summary: 'Approve a release request (four eyes: not by its requester, before it expires); the holds are released then',
  request: { params: requestParams },
  responses: { 200: { description: 'Approved and released', content: { 'application/json': { schema: holdReleaseSchema } } }, ...problemResponses(403, 404, 409, 422) },
});

export const getHoldReleaseRoute = createRoute({
  method: 'get',
  path: '/v1/legal-hold-releases/{requestId}',
  tags: ['Retention'],
  summary: 'A release request, with its status and pre-release report',
  request: { params: requestParams },
  responses: { 200: { description: 'Release request', content: { 'application/json': { schema: holdReleaseSchema } } }, ...problemResponses(404, 422) },
});

export const listHoldReleasesRoute = createRoute({
  method: 'get',
  path: '/v1/legal-hold-releases',
  tags: ['Retention'],
  summary: 'Release requests awaiting approval, oldest first',
  request: { query: z.object({ limit: z.coerce.number().int().min(1).max(500).default(100) }) },
  responses: { 200: { description: 'Pending requests', content: { 'application/json': { schema: z.object({ items: z.array(holdReleaseSchema) }) } } }, ...problemResponses(422) },
});
