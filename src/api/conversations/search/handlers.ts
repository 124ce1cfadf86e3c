import type { RouteHandler } from '@hono/zod-openapi';
import { auditedCall } from '../../../audit/write/audited.js';
import { searchConversations, type ConversationSearchRow } from '../../../search/conversation-search.js';
import { conversationScope } from '../../middleware/auth/scope.js';
import type { AppEnv } from '../../context.js';
import type { ApiDeps } from '../../deps.js';
import { pageOf } from '../../pagination.js';
import { requestContext } from '../../request-context.js';
import type { searchConversationsRoute } from './routes.js';
import { auditedFilters, searchRequestOf } from '../../search-query.js';

const iso = (date: Date | null) => (date ? date.toISOString() : null);

function hitOf({ position: _position, ...row }: ConversationSearchRow) {
  return {
    ...row,
    startedAt: iso(row.startedAt),
    endedAt: iso(row.endedAt),
    email: row.email ? { ...row.email, sentAt: iso(row.email.sentAt) } : null,
  };
}

export function conversationSearchHandlers(deps: ApiDeps) {
  const searchConversationsHandler: RouteHandler<typeof searchConversationsRoute, AppEnv> = async (c) => {
    const request = searchRequestOf(c.req.valid('query'));
    const context = requestContext(c);
    const filters = auditedFilters(request.filters);
    const page = await auditedCall(
      deps.db,
      {
        ...context,
        activity: 'CONVERSATION_SEARCH',
        description: `Conversations searched by ${Object.keys(filters).join(', ') || 'no filter'}`,
        details: { filters, limit: request.limit, continued: request.after !== undefined },
      },
      async () => {
        const rows = await searchConversations(deps.db, {
          ...request,
          scope: conversationScope(c.get('principal')),
          limit: request.limit + 1,
        });
        const value = pageOf(rows, request.limit, (row) => ({ ...row.position }));
        return { value, details: { count: value.items.length, more: value.nextCursor !== null } };
      },
    );
    return c.json({ items: page.items.map(hitOf), nextCursor: page.nextCursor }, 200);
  };

  return { searchConversations: searchConversationsHandler };
}
