import { z } from '@hono/zod-openapi';
import { DEFAULT_PERIOD_MS, type AuditCursor, type AuditSearchFilters } from '../../audit/read/search-filters.js';
import { ACTIVITIES } from '../../domain/audit-catalogue.js';
import { cursorBigintIdSchema, cursorTimestampSchema, decodeCursor, encodeCursor } from '../pagination.js';
import { ProblemError } from '../problem.js';
import type { auditFilterQuery } from './routes.js';

function invalid(field: string, message: string): ProblemError {
  return new ProblemError(422, 'Invalid request', { detail: message, errors: [{ pointer: `/${field}`, field, message }] });
}

/** The request's filters with the screen's defaults applied; unknown activity names are a 422, not an empty page. */
export function auditFiltersOf(query: z.infer<typeof auditFilterQuery>, now = new Date()): AuditSearchFilters {
  const to = query.to ? new Date(query.to) : now;
  const from = query.from ? new Date(query.from) : new Date(to.getTime() - DEFAULT_PERIOD_MS);
  if (from > to) throw invalid('from', '`from` is after `to`');
  const activities = [...new Set([query.activity ?? []].flat().flatMap((value) => value.split(',')).map((name) => name.trim()).filter(Boolean))];
  const unknown = activities.filter((name) => !ACTIVITIES.has(name));
  if (unknown.length > 0) throw invalid('activity', `Not catalogue activities: ${unknown.join(', ')}`);
  return {
    from,
    to,
    activities,
    ...(query.user !== undefined ? { user: query.user } : {}),
    ...(query.result !== undefined ? { result: query.result } : {}),
    ...(query.correlationId !== undefined ? { correlationId: query.correlationId } : {}),
    ...(query.conversationId !== undefined ? { conversationId: query.conversationId } : {}),
  };
}

/** The filters as the audit entry of a search or export records them. */
export function filterDetails(filters: AuditSearchFilters): Record<string, unknown> {
  return { ...filters, from: filters.from.toISOString(), to: filters.to.toISOString() };
}

const cursorPosition = z.strictObject({ at: cursorTimestampSchema, id: cursorBigintIdSchema });

export function auditCursorOf(cursor: string | undefined): AuditCursor | undefined {
  if (cursor === undefined) return undefined;
  const position = decodeCursor(cursor, cursorPosition);
  return { occurredAt: position.at, id: position.id };
}

export function encodeAuditCursor(cursor: AuditCursor | null): string | null {
  return cursor ? encodeCursor({ at: cursor.occurredAt, id: cursor.id }) : null;
}
