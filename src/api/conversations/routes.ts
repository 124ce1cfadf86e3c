import { createRoute, z } from '@hono/zod-openapi';
import { problemResponses } from '../openapi-shared.js';

const legSchema = z.object({
  contactId: z.string(),
  channel: z.string(),
  initiationMethod: z.string().nullable(),
  initiationTimestamp: z.string().nullable(),
  disconnectTimestamp: z.string().nullable(),
  lastUpdateTimestamp: z.string(),
  deliveries: z.number().int(),
  previousContactId: z.string().nullable(),
  nextContactId: z.string().nullable(),
});

/** What every view of a conversation says about it: the Explorer's hits and a conversation read alike. */
export const conversationSummaryFields = {
  id: z.uuid(),
  source: z.string(),
  channel: z.string(),
  lifecycleState: z.string(),
  startedAt: z.string().nullable(),
  endedAt: z.string().nullable(),
  agentUsername: z.string().nullable(),
  queueName: z.string().nullable(),
  customerAddress: z.string().nullable(),
  systemAddress: z.string().nullable(),
  attributes: z.record(z.string(), z.string()),
};

export const conversationSchema = z
  .object({
    ...conversationSummaryFields,
    externalKey: z.string(),
    workflowId: z.string(),
    /** Values kept verbatim that the engine did not recognise; empty for almost every conversation. */
    captureFlags: z.array(z.object({ code: z.string(), description: z.string() })),
    legs: z.array(legSchema),
  })
  .openapi('Conversation');

export const getConversationRoute = createRoute({
  method: 'get',
  path: '/v1/conversations/{conversationId}',
  tags: ['Conversations'],
  summary: 'Read one conversation with its legs in order',
  request: { params: z.object({ conversationId: z.uuid().openapi({ param: { name: 'conversationId', in: 'path' } }) }) },
  responses: {
    200: { description: 'The conversation', content: { 'application/json': { schema: conversationSchema } } },
    ...problemResponses(404, 422),
  },
});
