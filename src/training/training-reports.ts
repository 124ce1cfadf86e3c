import { sql, type SQL } from 'drizzle-orm';
import type { Executor } from '../db/client.js';
import { trainingAssignments } from '../db/schema/index.js';
import { queryRows } from '../db/query-rows.js';

/**
 * Training report (the seed's training overview): per agent or per group, the assignments given in a time
 * range and what became of them. One aggregate query; a supervisor's report covers their groups only.
 */
export type TrainingReportGrouping = 'agent' | 'group';

export interface TrainingReportRow {
  key: string;
  assigned: number;
  open: number;
  passed: number;
  failed: number;
  cancelled: number;
  /** Open and past due, or marked overdue by its follow-up (even if finished since). */
  overdue: number;
  attempts: number;
}

export interface TrainingReportQuery {
  from: Date;
  to: Date;
  groupBy: TrainingReportGrouping;
  packId?: string | undefined;
  /** A supervisor's groups: only those groups (per group) or their members' assignments (per agent). */
  groups?: readonly string[] | undefined;
  now?: Date;
}

interface RawRow {
  key: string;
  assigned: number | string;
  open: number | string;
  passed: number | string;
  failed: number | string;
  cancelled: number | string;
  overdue: number | string;
  attempts: number | string;
}

export async function trainingReport(executor: Executor, query: TrainingReportQuery): Promise<TrainingReportRow[]> {
  const t = trainingAssignments;
  const now = (query.now ?? new Date()).toISOString();
  const groups = query.groups === undefined ? undefined : sql`array[${sql.join(query.groups.length === 0 ? [sql`null`] : query.groups.map((group) => sql`${group}`), sql`, `)}]::text[]`;
  const conditions: SQL[] = [sql`${t.assignedAt} >= ${query.from.toISOString()}::timestamptz`, sql`${t.assignedAt} < ${query.to.toISOString()}::timestamptz`];
  if (query.packId !== undefined) conditions.push(sql`${t.packId} = ${query.packId}`);
  if (groups !== undefined) conditions.push(sql`${t.assigneeGroups} && ${groups}`);
  const where = sql.join(conditions, sql` and `);
  const source =
    query.groupBy === 'agent'
      ? sql`select ${t.assigneeUsername} as key, ${t}.* from ${t} where ${where}`
      : sql`select g.name as key, ${t}.* from ${t} cross join lateral unnest(${t.assigneeGroups}) as g(name) where ${where}${groups === undefined ? sql`` : sql` and g.name = any(${groups})`}`;
  const rows = await queryRows<RawRow>(
    executor,
    sql`
      select key,
        count(*)::int as assigned,
        count(*) filter (where status = 'assigned')::int as open,
        count(*) filter (where status = 'passed')::int as passed,
        count(*) filter (where status = 'failed')::int as failed,
        count(*) filter (where status = 'cancelled')::int as cancelled,
        count(*) filter (where (status = 'assigned' and due_at < ${now}::timestamptz) or overdue_at is not null)::int as overdue,
        coalesce(sum(attempts_used), 0)::int as attempts
      from (${source}) s
      group by key
      order by key`,
  );
  return rows.map((row) => ({
    key: row.key,
    assigned: Number(row.assigned),
    open: Number(row.open),
    passed: Number(row.passed),
    failed: Number(row.failed),
    cancelled: Number(row.cancelled),
    overdue: Number(row.overdue),
    attempts: Number(row.attempts),
  }));
}
