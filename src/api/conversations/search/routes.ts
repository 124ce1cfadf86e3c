import { createRoute, z } from '@hono/zod-openapi';
import { jsonContent, problemResponses } from '../../openapi-shared.js';
import { searchQuerySchema } from '../../search-query.js';
import { conversationSummaryFields } from '../routes.js';

const emailSummarySchema = z.object({
  messageId: z.string().nullable(),
  from: z.string().nullable(),
  to: z.array(z.string()),
  cc: z.array(z.string()),
  subject: z.string().nullable(),
  sentAt: z.string().nullable(),
});

export const conversationHitSchema = z
  .object({ ...conversationSummaryFields, email: emailSummarySchema.nullable() })
  .openapi('ConversationHit');

export const searchConversationsRoute = createRoute({
  method: 'get',
  path: '/v1/conversations',
  tags: ['Conversations'],
  summary: 'Search conversations (the Conversation Explorer)',
  description:
    'Every filter given must match. Contact attributes are filtered with `attr.<key>=<value>` parameters (a key has ' +
    'letters, digits, `-` and `_`; at most 20); any other parameter is refused with 422 rather than ignored. Results are ' +
    'newest first; pass `nextCursor` back as `cursor` for the next page. Only conversations the caller may see are ' +
    'searched (agents: their own; supervisors: their groups\'). Each search is audited with its filters and result count.',
  request: { query: searchQuerySchema },
  responses: {
    200: {
      description: 'One page of matching conversations',
      content: jsonContent(z.object({ items: z.array(conversationHitSchema), nextCursor: z.string().nullable() })),
    },
    ...problemResponses(401, 403, 422),
  },
});
