import { createRoute, z } from '@hono/zod-openapi';
import { jsonResponse, problemResponses } from '../openapi-shared.js';

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

const digest = z.string().regex(/^[0-9a-f]{64}$/);

/** What an imported email says (the whole message is its `original` media). */
const emailContentSchema = z.object({
  messageId: z.string().nullable(),
  from: z.string().nullable(),
  to: z.array(z.string()),
  cc: z.array(z.string()),
  subject: z.string().nullable(),
  sentAt: z.string().nullable(),
  bodyExcerpt: z.string().nullable().openapi({ description: 'The first 4,000 characters of the text body' }),
  bodyTruncated: z.boolean(),
  originalSha256: digest,
  attachments: z.array(z.object({ fileName: z.string().nullable(), contentType: z.string(), sha256: digest })),
});

const chatContentSchema = z.object({
  participants: z.array(z.object({ participantId: z.string().nullable(), role: z.string().nullable(), displayName: z.string().nullable() })),
  messages: z.array(
    z.object({
      seq: z.number().int(),
      itemId: z.string(),
      type: z.string(),
      sentAt: z.string(),
      participantId: z.string().nullable(),
      participantRole: z.string().nullable(),
      displayName: z.string().nullable(),
      contentType: z.string().nullable(),
      body: z.string().nullable(),
    }),
  ),
  nextMessagesCursor: z.string().nullable().openapi({ description: 'Pass as messagesAfter for the next page; null on the last page' }),
});

const segmentSchema = z.object({
  segmentIndex: z.number().int(),
  kind: z.string(),
  partyA: z.string(),
  partyB: z.string(),
  startedAt: z.string(),
  endedAt: z.string().nullable(),
  recorded: z.boolean(),
  consent: z.string(),
  mediaKept: z.boolean(),
  recordings: z.array(
    z.object({
      sha256: digest,
      contentType: z.string(),
      fileName: z.string().nullable(),
      sizeBytes: z.number().int().nullable(),
      source: z.string().nullable().openapi({ description: 'upload or s3' }),
      sourceLocation: z.string().nullable(),
    }),
  ),
});

const transferTargetSchema = z.object({
  contactId: z.string(),
  address: z.string(),
  type: z.string().nullable(),
  completedAt: z.string().nullable(),
  nextContactId: z.string().nullable(),
});

const tagSchema = z.object({ segmentIndex: z.number().int(), name: z.string(), value: z.string().nullable(), source: z.string(), appliedAt: z.string() });

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
    /** Content per channel: an email's parties and body, a chat's messages (paged), a call's segments and transfers. */
    email: emailContentSchema.nullable(),
    chat: chatContentSchema.nullable(),
    segments: z.array(segmentSchema),
    transferTargets: z.array(transferTargetSchema),
    tags: z.array(tagSchema).openapi({ description: 'Per segment (0: the conversation as a whole) and source: recording-rule, external-data, api, agent-desktop, …' }),
  })
  .openapi('Conversation');

export const getConversationRoute = createRoute({
  method: 'get',
  path: '/v1/conversations/{conversationId}',
  tags: ['Conversations'],
  summary: 'Read one conversation with its legs in order and its content',
  request: {
    params: z.object({ conversationId: z.uuid().openapi({ param: { name: 'conversationId', in: 'path' } }) }),
    query: z.object({
      messagesLimit: z.coerce.number().int().min(1).max(1000).default(200).openapi({ description: 'Chat messages per page' }),
      messagesAfter: z.coerce.number().int().min(-1).optional().openapi({ description: 'The nextMessagesCursor of the previous page' }),
    }),
  },
  responses: {
    200: jsonResponse('The conversation', conversationSchema),
    ...problemResponses(404, 422),
  },
});
