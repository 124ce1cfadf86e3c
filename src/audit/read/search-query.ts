import { and, desc, eq, gte, inArray, isNull, lte, or, sql, type SQL } from 'drizzle-orm';
import type { Executor } from '../../db/client.js';
import { auditLog } from '../../db/schema/index.js';
import type { AuditCursor, AuditSearchFilters } from './search-filters.js';

/** One audit entry as read for display and export; ids and times as text, so nothing is rounded. */
export interface AuditRow {
  id: string;
  chainSeq: string;
  /** UTC with microseconds, the precision the chain is computed over. */
  occurredAt: string;
  module: string;
  activity: string;
  phase: string;
  result: string | null;
  actorType: string;
  actorId: string;
  actorUsername: string;
  actorFullName: string;
  description: string;
  details: Record<string, unknown>;
  correlationId: string;
  conversationId: string | null;
}

const UTC_MICROS = `'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'`;

export const auditRowColumns = {
  id: sql<string>`${auditLog.id}::text`,
  chainSeq: sql<string>`${auditLog.chainSeq}::text`,
  occurredAt: sql<string>`to_char(${auditLog.occurredAt} at time zone 'UTC', ${sql.raw(UTC_MICROS)})`,
  module: auditLog.module,
  activity: auditLog.activity,
  phase: auditLog.phase,
  result: auditLog.result,
  actorType: auditLog.actorType,
  actorId: auditLog.actorId,
  actorUsername: auditLog.actorUsername,
  actorFullName: auditLog.actorFullName,
  description: auditLog.description,
  details: auditLog.details,
  correlationId: auditLog.correlationId,
  conversationId: auditLog.conversationId,
};

function filterConditions(filters: AuditSearchFilters, cursor: AuditCursor | undefined): SQL[] {
  const conditions: (SQL | undefined)[] = [gte(auditLog.occurredAt, filters.from), lte(auditLog.occurredAt, filters.to)];
  if (filters.activities.length > 0) conditions.push(inArray(auditLog.activity, filters.activities));
  if (filters.user !== undefined) conditions.push(or(eq(auditLog.actorId, filters.user), eq(auditLog.actorUsername, filters.user)));
  if (filters.result === 'NONE') conditions.push(isNull(auditLog.result));
  else if (filters.result !== undefined) conditions.push(eq(auditLog.result, filters.result));
  if (filters.correlationId !== undefined) conditions.push(eq(auditLog.correlationId, filters.correlationId));
  if (filters.conversationId !== undefined) conditions.push(eq(auditLog.conversationId, filters.conversationId));
  // Row comparison in index order: (occurred_at, id) descending is one btree scan, however deep the page.
  if (cursor) conditions.push(sql`(${auditLog.occurredAt}, ${auditLog.id}) < (${cursor.occurredAt}::timestamptz, ${cursor.id}::bigint)`);
  return conditions.filter((condition): condition is SQL => condition !== undefined);
}

/** Newest first, after the cursor; the benchmark explains exactly this query. */
export function auditSearchQuery(executor: Executor, filters: AuditSearchFilters, page: { cursor?: AuditCursor; limit: number }) {
  return executor
    .select(auditRowColumns)
    .from(auditLog)
    .where(and(...filterConditions(filters, page.cursor)))
    .orderBy(desc(auditLog.occurredAt), desc(auditLog.id))
    .limit(page.limit);
}

export interface AuditPage {
  rows: AuditRow[];
  /** Where the next page starts; null on the last page. */
  nextCursor: AuditCursor | null;
}

export async function fetchAuditPage(executor: Executor, filters: AuditSearchFilters, page: { cursor?: AuditCursor; limit: number }): Promise<AuditPage> {
  // One extra row tells whether another page exists without counting.
  const rows: AuditRow[] = await auditSearchQuery(executor, filters, { cursor: page.cursor, limit: page.limit + 1 });
  if (rows.length <= page.limit) return { rows, nextCursor: null };
  const kept = rows.slice(0, page.limit);
  const last = kept[kept.length - 1]!;
  return { rows: kept, nextCursor: { occurredAt: last.occurredAt, id: last.id } };
}
