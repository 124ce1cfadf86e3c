import type { RouteHandler } from '@hono/zod-openapi';
import { auditedCall } from '../../audit/write/audited.js';
import { fetchAuditPage } from '../../audit/read/search-query.js';
import { renderAuditEntry } from '../../audit/read/search-render.js';
import type { AppEnv } from '../context.js';
import type { ApiDeps } from '../deps.js';
import { requestContext } from '../request-context.js';
import { auditCursorOf, auditFiltersOf, encodeAuditCursor, filterDetails } from './filters.js';
import type { searchAuditRoute } from './routes.js';
import { requestTimeZone } from './time-zone.js';

export function searchAudit(deps: ApiDeps): RouteHandler<typeof searchAuditRoute, AppEnv> {
  return async (c) => {
    const query = c.req.valid('query');
    const filters = auditFiltersOf(query);
    const cursor = auditCursorOf(query.cursor);
    const timeZone = requestTimeZone(c, query.timeZone);
    const context = requestContext(c);
    const page = await auditedCall(
      deps.db,
      {
        ...context,
        activity: 'AUDIT_SEARCH',
        description: 'Audit log searched',
        details: { filters: filterDetails(filters), page: { limit: query.limit, after: cursor ?? null } },
      },
      async () => {
        const value = await fetchAuditPage(deps.db, filters, { cursor, limit: query.limit });
        return { value, details: { returned: value.rows.length } };
      },
    );
    return c.json(
      {
        entries: page.rows.map((row) => renderAuditEntry(row, timeZone)),
        nextCursor: encodeAuditCursor(page.nextCursor),
        from: filters.from.toISOString(),
        to: filters.to.toISOString(),
        timeZone,
      },
      200,
    );
  };
}
