import { createRoute, z } from '@hono/zod-openapi';
import { RETENTION_REASON_CODES } from '../../domain/retention-decision.js';
import { jsonBody, jsonResponse, problemResponses, tagNameSchema } from '../openapi-shared.js';
import { holdReleaseRequested } from '../legal-holds/release-routes.js';

const conversationParams = z.object({ conversationId: z.uuid() });
const segmentTagResult = z.object({ conversationId: z.string(), segmentIndex: z.number().int(), change: z.enum(['added', 'updated', 'removed', 'unchanged']) });
const holdResult = z.object({ conversationId: z.string(), holdId: z.string(), status: z.enum(['active', 'released']), activeHolds: z.number().int() });

/** One reason of the retention decision; each code adds its own fields (ids, ISO dates) beside `text`. */
export const retentionReasonSchema = z
  .looseObject({
    code: z.enum(RETENTION_REASON_CODES).openapi({ description: 'Stable; the first reason listed is the one that decides' }),
    text: z.string().openapi({ example: 'under 1 active legal hold' }),
  })
  .openapi('RetentionReason');

/** The retention decision as the overview and the lifecycle trace show it. */
export const retentionDecisionShape = {
  status: z.enum(['held', 'keep', 'due', 'deleted']),
  deleteAt: z.string().nullable(),
  deleteTask: z.object({ id: z.string(), name: z.string() }).nullable(),
  reasons: z.array(retentionReasonSchema).openapi({ description: 'Why it is kept (or that it may go), deciding reason first; empty once deleted' }),
};

export const tagConversationRoute = createRoute({
  method: 'post',
  path: '/v1/conversations/{conversationId}/tags',
  tags: ['Conversations'],
  summary: 'Tag a conversation as a whole (retrospective tagging); a protecting tag extends its retention',
  request: {
    params: conversationParams,
    body: jsonBody(z.object({ name: tagNameSchema, value: z.string().max(256).nullable().default(null) })),
  },
  responses: { 200: jsonResponse('Tagged', segmentTagResult), ...problemResponses(404, 410, 422) },
});

export const untagConversationRoute = createRoute({
  method: 'delete',
  path: '/v1/conversations/{conversationId}/tags/{name}',
  tags: ['Conversations'],
  summary: 'Remove a conversation-level tag (a protection already granted is kept)',
  request: { params: conversationParams.extend({ name: tagNameSchema }) },
  responses: { 200: jsonResponse('Removed', segmentTagResult), ...problemResponses(404, 410, 422) },
});

export const placeLegalHoldRoute = createRoute({
  method: 'post',
  path: '/v1/conversations/{conversationId}/legal-holds',
  tags: ['Retention'],
  summary: 'Place a legal hold: the conversation is never deleted or anonymised until the hold is released',
  request: {
    params: conversationParams,
    body: jsonBody(z.object({ reason: z.string().min(1).max(2000), reference: z.string().max(200).nullable().default(null) })),
  },
  responses: { 201: jsonResponse('Placed', holdResult), ...problemResponses(404, 410, 422) },
});

export const releaseLegalHoldRoute = createRoute({
  method: 'post',
  path: '/v1/conversations/{conversationId}/legal-holds/{holdId}/release',
  tags: ['Retention'],
  summary: 'Request the release of a legal hold; a second person approves it (POST /v1/legal-hold-releases/{requestId}/approve), then retention applies again',
  request: {
    params: conversationParams.extend({ holdId: z.uuid() }),
    body: jsonBody(z.object({ reason: z.string().min(1).max(2000) })),
  },
  responses: { ...holdReleaseRequested, ...problemResponses(404, 410, 422) },
});

export const extendRetentionRoute = createRoute({
  method: 'post',
  path: '/v1/conversations/{conversationId}/retention-extensions',
  tags: ['Retention'],
  summary: "Extend a conversation's protection on an authority's request; it never moves earlier",
  request: {
    params: conversationParams,
    body: {
      required: true,
      content: {
        'application/json': {
          schema: z.object({ until: z.iso.datetime({ offset: true }), reason: z.string().min(1).max(2000), authorityReference: z.string().max(200).nullable().default(null) }),
        },
      },
    },
  },
  responses: {
    200: jsonResponse('Protection after the request', z.object({ conversationId: z.string(), protectedUntil: z.string(), extended: z.boolean() })),
    ...problemResponses(404, 410, 422),
  },
});

export const retentionOverviewRoute = createRoute({
  method: 'get',
  path: '/v1/conversations/{conversationId}/retention',
  tags: ['Retention'],
  summary: 'Why a conversation is kept and until when: holds, protecting tags, the delete task that applies, and the reasons with their codes',
  request: { params: conversationParams },
  responses: {
    200: {
      description: 'Retention overview',
      content: {
        'application/json': {
          schema: z.object({
            conversationId: z.string(),
            state: z.string(),
            deletedAt: z.string().nullable(),
            protectedUntil: z.string().nullable(),
            protectingTags: z.array(z.object({ name: z.string(), protectionYears: z.number().int() })),
            activeHolds: z.array(z.object({ id: z.string(), reason: z.string(), placedAt: z.string(), placedBy: z.string() })),
            ...retentionDecisionShape,
          }),
        },
      },
    },
    ...problemResponses(404),
  },
});

export const anonymiseRoute = createRoute({
  method: 'post',
  path: '/v1/conversations/{conversationId}/anonymisation',
  tags: ['Retention'],
  summary: 'Erase personal data (GDPR request); refused with 409 and the reason under a legal hold or MiFID protection',
  request: {
    params: conversationParams,
    body: jsonBody(z.object({ reason: z.string().min(1).max(2000), requestReference: z.string().max(200).nullable().default(null) })),
  },
  responses: {
    200: jsonResponse('Anonymised', z.object({ conversationId: z.string(), anonymised: z.literal(true), destroyed: z.number().int() })),
    ...problemResponses(404, 409, 410, 422),
  },
});
