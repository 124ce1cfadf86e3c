import { sql } from 'drizzle-orm';
import type { Executor } from '../db/client.js';
import { queryRows } from '../db/query-rows.js';

export interface EvaluatorAlignment {
  evaluator: { id: string; username: string; fullName: string };
  /** Calibrations sent to them in the range. */
  calibrations: number;
  /** Of those, completed by them. */
  completed: number;
  /** Completed ones compared: the calibration had at least one other completed, scored review. */
  compared: number;
  /** Mean over compared calibrations of |their percent - that calibration's mean|, in percentage points. */
  meanAbsoluteDeviation: number | null;
  /** The largest such deviation. */
  maxDeviation: number | null;
}

interface RawAlignment {
  evaluator_id: string;
  username: string;
  full_name: string;
  calibrations: number;
  completed: number;
  compared: number;
  mean_absolute_deviation: number | null;
  max_deviation: number | null;
}

/**
 * How far each evaluator's totals lie from their peers' in the calibrations made in [from, to). A
 * calibration's mean is over its completed, scored reviews; one with a single such review compares nobody.
 */
export async function evaluatorAlignment(executor: Executor, range: { from: Date; to: Date }): Promise<EvaluatorAlignment[]> {
  const rows = await queryRows<RawAlignment>(
    executor,
    sql`
      with taken as (
        select r.calibration_id, r.evaluator_id, r.status = 'completed' as completed,
          case when r.status = 'completed' then r.score_percent end as percent
        from calibrations c
        join reviews r on r.calibration_id = c.id and r.kind = 'calibration' and r.status <> 'deleted'
        where c.created_at >= ${range.from.toISOString()}::timestamptz and c.created_at < ${range.to.toISOString()}::timestamptz
      ),
      means as (
        select calibration_id, avg(percent) as mean, count(percent) as scored
        from taken group by calibration_id
      ),
      deviations as (
        select t.evaluator_id, t.completed,
          case when t.percent is not null and m.scored >= 2 then abs(t.percent - m.mean) end as deviation
        from taken t join means m using (calibration_id)
      )
      select d.evaluator_id, u.username, u.full_name,
        count(*)::int as calibrations,
        count(*) filter (where d.completed)::int as completed,
        count(d.deviation)::int as compared,
        round(avg(d.deviation), 2)::float8 as mean_absolute_deviation,
        round(max(d.deviation), 2)::float8 as max_deviation
      from deviations d
      join users u on u.id = d.evaluator_id
      group by d.evaluator_id, u.username, u.full_name
      order by u.username`,
  );
  return rows.map((row) => ({
    evaluator: { id: row.evaluator_id, username: row.username, fullName: row.full_name },
    calibrations: Number(row.calibrations),
    completed: Number(row.completed),
    compared: Number(row.compared),
    meanAbsoluteDeviation: row.mean_absolute_deviation === null ? null : Number(row.mean_absolute_deviation),
    maxDeviation: row.max_deviation === null ? null : Number(row.max_deviation),
  }));
}
