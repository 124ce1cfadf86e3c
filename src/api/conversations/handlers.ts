import type { RouteHandler } from '@hono/zod-openapi';
import { auditedCall } from '../../audit/write/audited.js';
import type { AppEnv } from '../context.js';
import type { ApiDeps } from '../deps.js';
import { ProblemError } from '../problem.js';
import { requestContext } from '../request-context.js';
import { readConversation } from './read-conversation.js';
import type { getConversationRoute } from './routes.js';

export function conversationsHandlers(deps: ApiDeps) {
  const getConversation: RouteHandler<typeof getConversationRoute, AppEnv> = async (c) => {
    const { conversationId } = c.req.valid('param');
    const { messagesLimit, messagesAfter } = c.req.valid('query');
    const context = requestContext(c);
    const conversation = await auditedCall(
      deps.db,
      {
        ...context,
        activity: 'CONVERSATION_BY_ID',
        description: `Conversation ${conversationId} looked up`,
        conversationId,
      },
      async () => {
        // Access control has already answered a conversation outside the caller's scope as absent.
        const value = await readConversation(deps.db, conversationId, { limit: messagesLimit, after: messagesAfter ?? null });
        return { value, result: value ? 'OK' : 'FAIL', details: value ? {} : { error: 'not found' } };
      },
    );
    if (!conversation) throw new ProblemError(404, 'Conversation not found', { detail: `No conversation ${conversationId}` });
    return c.json(conversation, 200);
  };

  return { getConversation };
}
