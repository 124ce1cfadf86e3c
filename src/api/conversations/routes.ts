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

export const conversationSchema = z
  .object({
    id: z.string().uuid(),
    source: z.string(),
    externalKey: z.string(),
    channel: z.string(),
    lifecycleState: z.string(),
    startedAt: z.string().nullable(),
    endedAt: z.string().nullable(),
    agentUsername: z.string().nullable(),
    queueName: z.string().nullable(),
    customerAddress: z.string().nullable(),
    systemAddress: z.string().nullable(),
    attributes: z.record(z.string(), z.string()),
    workflowId: z.string(),
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
