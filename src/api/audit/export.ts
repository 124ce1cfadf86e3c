import type { RouteHandler } from '@hono/zod-openapi';
import { appendAudit } from '../../audit/write/audit-writer.js';
import { EXPORT_WRITERS } from '../../audit/read/export-format.js';
import { auditExportStream } from '../../audit/read/export-stream.js';
import type { AppEnv } from '../context.js';
import type { ApiDeps } from '../deps.js';
import { requestContext } from '../request-context.js';
import { auditFiltersOf, filterDetails } from './filters.js';
import type { exportAuditRoute } from './routes.js';
import { requestTimeZone } from './time-zone.js';

/**
 * Streams the export. The audited request spans the whole transfer: BEGIN now, END when the last page is
 * read (OK, with the row count) or when reading fails or the client leaves (FAIL).
 */
export function exportAudit(deps: ApiDeps): RouteHandler<typeof exportAuditRoute, AppEnv> {
  return async (c) => {
    const query = c.req.valid('query');
    const filters = auditFiltersOf(query);
    const timeZone = requestTimeZone(c, query.timeZone);
    const context = requestContext(c);
    const audited = {
      ...context,
      activity: 'AUDIT_EXPORT',
      description: `Audit log exported as ${query.format.toUpperCase()}`,
    };
    const details = { filters: filterDetails(filters), format: query.format, timeZone };
    await appendAudit(deps.db, [{ ...audited, phase: 'BEGIN', result: null, details }]);
    const body = auditExportStream({
      db: deps.db,
      filters,
      format: query.format,
      timeZone,
      onFinish: (outcome) =>
        appendAudit(deps.db, [
          {
            ...audited,
            phase: 'END',
            result: outcome.result,
            details: { ...details, rows: outcome.rows, ...(outcome.result === 'FAIL' ? { error: outcome.error } : {}) },
          },
        ]),
    });
    const stamp = filters.to.toISOString().replace(/[:.]/g, '-');
    return c.body(body, 200, {
      'content-type': EXPORT_WRITERS[query.format].contentType,
      'content-disposition': `attachment; filename="audit-log-${stamp}.${query.format}"`,
    });
  };
}
