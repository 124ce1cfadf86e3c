import type { RouteHandler } from '@hono/zod-openapi';
import { and, asc, eq, gte, inArray, lt, sql } from 'drizzle-orm';
import { queryRows } from '../../db/query-rows.js';
import { auditLog, disposalLedger, mediaRemovals } from '../../db/schema/index.js';
import type { AppEnv } from '../context.js';
import type { ApiDeps } from '../deps.js';
import type { disposalReportRoute, retentionForecastRoute } from './routes.js';

const DISPOSAL_ACTIVITIES = ['CONVERSATION_DELETED', 'CONVERSATION_EVENT_ANONYMIZE_ADD'];

function mediaDestruction(removals: readonly { outcome: string | null; settledAt: Date | null }[]) {
  const removed = removals.filter((removal) => removal.outcome === 'removed').length;
  const inUseElsewhere = removals.filter((removal) => removal.outcome === 'in-use').length;
  const pending = removals.length - removed - inUseElsewhere;
  const settled = removals.map((removal) => removal.settledAt?.getTime() ?? 0);
  return {
    state: removals.length === 0 ? ('none' as const) : pending > 0 ? ('pending' as const) : ('done' as const),
    files: removals.length,
    removed,
    inUseElsewhere,
    destroyedAt: removals.length > 0 && pending === 0 ? new Date(Math.max(...settled)).toISOString() : null,
  };
}

export function retentionReportHandlers(deps: ApiDeps) {
  const disposalReport: RouteHandler<typeof disposalReportRoute, AppEnv> = async (c) => {
    const { from, to, limit, after } = c.req.valid('query');
    const conditions = [
      from ? gte(disposalLedger.disposedAt, new Date(from)) : undefined,
      to ? lt(disposalLedger.disposedAt, new Date(to)) : undefined,
      // Ids are random: the page continues after the cursor row's (disposedAt, id), the order pages are read in.
      after ? sql`(${disposalLedger.disposedAt}, ${disposalLedger.id}) > (select d.disposed_at, d.id from disposal_ledger d where d.id = ${after})` : undefined,
    ].filter((condition) => condition !== undefined);
    const rows = await deps.db
      .select()
      .from(disposalLedger)
      .where(conditions.length ? and(...conditions) : undefined)
      .orderBy(asc(disposalLedger.disposedAt), asc(disposalLedger.id))
      .limit(limit + 1);
    const page = rows.slice(0, limit);
    // The audit entry written in the disposal's own transaction: an auditor verifies its hash with /v1/audit/verify.
    const audit = page.length
      ? await deps.db
          .select({ conversationId: auditLog.conversationId, correlationId: auditLog.correlationId, chainSeq: auditLog.chainSeq, hash: auditLog.hash, activity: auditLog.activity, occurredAt: auditLog.occurredAt })
          .from(auditLog)
          .where(
            and(
              inArray(auditLog.conversationId, page.map((row) => row.conversationId)),
              inArray(auditLog.activity, DISPOSAL_ACTIVITIES),
              eq(auditLog.result, 'OK'),
              sql`${auditLog.phase} <> 'BEGIN'`,
            ),
          )
      : [];
    const removals = page.length
      ? await deps.db
          .select({ disposalId: mediaRemovals.disposalId, sha256: mediaRemovals.sha256, outcome: mediaRemovals.outcome, settledAt: mediaRemovals.settledAt, destroyedVersionIds: mediaRemovals.destroyedVersionIds })
          .from(mediaRemovals)
          .where(inArray(mediaRemovals.disposalId, page.map((row) => row.id)))
      : [];
    const auditByKey = new Map(audit.map((entry) => [`${entry.conversationId}|${entry.correlationId}`, entry]));
    const items = page.map((row) => {
      const entry = auditByKey.get(`${row.conversationId}|${row.auditCorrelationId}`);
      return {
        id: row.id,
        conversationId: row.conversationId,
        disposedAt: row.disposedAt.toISOString(),
        kind: row.kind as 'deletion' | 'anonymisation' | 'recording-without-consent',
        reason: row.reason,
        deleteTaskId: row.deleteTaskId,
        requestedBy: row.requestedBy,
        destroyed: row.destroyed,
        mediaDestruction: mediaDestruction(removals.filter((removal) => removal.disposalId === row.id)),
        destroyedObjectVersions: removals
          .filter((removal) => removal.disposalId === row.id)
          .flatMap((removal) => (removal.destroyedVersionIds ?? []).map((versionId) => ({ sha256: removal.sha256, versionId }))),
        auditEntry: entry ? { chainSeq: entry.chainSeq.toString(), hash: entry.hash, activity: entry.activity, occurredAt: entry.occurredAt.toISOString() } : null,
      };
    });
    return c.json({ items, next: rows.length > limit ? (page[page.length - 1]?.id ?? null) : null }, 200);
  };
  const retentionForecast: RouteHandler<typeof retentionForecastRoute, AppEnv> = async (c) => {
    const { months } = c.req.valid('query');
    const dueByMonth = await queryRows<{ month: string; due: string }>(deps.db, sql`
      select to_char(date_trunc('month', delete_due_at at time zone 'UTC'), 'YYYY-MM') as month, count(*) as due
      from conversations
      where deleted_at is null and delete_due_at >= date_trunc('month', now())
        and delete_due_at < date_trunc('month', now()) + make_interval(months => ${months})
      group by 1 order by 1`);
    const [totals] = await queryRows<{ overdue: string; held: string; untasked: string }>(
      deps.db,
      // Three counts, each on its own index (the kept conversations' due dates, NULL for untasked; the active holds),
      // rather than one pass over every conversation with a hold lookup per row.
      sql`
        select
          (select count(*) from conversations where deleted_at is null and delete_due_at < now()) as overdue,
          (select count(distinct h.conversation_id) from legal_holds h join conversations c on c.id = h.conversation_id
             where h.released_at is null and c.deleted_at is null) as held,
          (select count(*) from conversations where deleted_at is null and delete_due_at is null) as untasked`,
    );
    return c.json(
      {
        months: dueByMonth.map((row) => ({ month: row.month, due: Number(row.due) })),
        overdue: Number(totals?.overdue ?? 0),
        onLegalHold: Number(totals?.held ?? 0),
        withoutDeleteTask: Number(totals?.untasked ?? 0),
      },
      200,
    );
  };

  return { disposalReport, retentionForecast };
}
