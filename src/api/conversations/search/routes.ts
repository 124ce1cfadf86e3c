import { createRoute, z } from '@hono/zod-openapi';
import { problemResponses } from '../../openapi-shared.js';
import { cursorSchema } from '../../pagination.js';

export const SEARCH_DEFAULT_LIMIT = 50;
export const SEARCH_MAX_LIMIT = 200;
/** Attribute filters are `attr.<key>=<value>` query parameters. */
export const ATTRIBUTE_PREFIX = 'attr.';

const text = (description: string, max = 256) => z.string().min(1).max(max).optional().openapi({ description });
const timestamp = (description: string) => z.iso.datetime({ offset: true }).optional().openapi({ description });

export const searchQuerySchema = z.looseObject({
  channel: z.enum(['VOICE', 'CHAT', 'TASK', 'EMAIL']).optional(),
  from: timestamp('Started at or after (ISO 8601)'),
  to: timestamp('Started before (ISO 8601)'),
  agent: text("The agent's username"),
  queue: text('Queue name'),
  phone: text("A phone number or address: the customer's, the system's, or any party of a recorded call segment"),
  tag: z
    .union([z.string().min(1).max(300), z.array(z.string().min(1).max(300)).max(20)])
    .optional()
    .openapi({ description: '`name` or `name=value`; repeat for several tags, all of which must be present' }),
  emailFrom: text('Sender address of an email'),
  emailTo: text('A To address of an email'),
  cc: text('A Cc address of an email'),
  subject: text('Words of an email subject (web-search syntax: "phrase", -word, or)', 500),
  q: text('Full text over chat messages and participant names, email addresses, subject and body, and call metadata', 500),
  state: z.string().regex(/^[a-z_-]{1,32}$/).optional().openapi({ description: 'Lifecycle state, e.g. open, captured, deleted' }),
  limit: z.coerce.number().int().min(1).max(SEARCH_MAX_LIMIT).default(SEARCH_DEFAULT_LIMIT).openapi({ description: `Page size, at most ${SEARCH_MAX_LIMIT}` }),
  cursor: cursorSchema,
});

const emailSummarySchema = z.object({
  messageId: z.string().nullable(),
  from: z.string().nullable(),
  to: z.array(z.string()),
  cc: z.array(z.string()),
  subject: z.string().nullable(),
  sentAt: z.string().nullable(),
});

export const conversationHitSchema = z
  .object({
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
    email: emailSummarySchema.nullable(),
  })
  .openapi('ConversationHit');

export const searchConversationsRoute = createRoute({
  method: 'get',
  path: '/v1/conversations',
  tags: ['Conversations'],
  summary: 'Search conversations (the Conversation Explorer)',
  description:
    'Every filter given must match. Contact attributes are filtered with `attr.<key>=<value>` parameters. Results are ' +
    'newest first; pass `nextCursor` back as `cursor` for the next page. Only conversations the caller may see are ' +
    'searched (agents: their own; supervisors: their groups\'). Each search is audited with its filters and result count.',
  request: { query: searchQuerySchema },
  responses: {
    200: {
      description: 'One page of matching conversations',
      content: { 'application/json': { schema: z.object({ items: z.array(conversationHitSchema), nextCursor: z.string().nullable() }) } },
    },
    ...problemResponses(401, 403, 422),
  },
});
