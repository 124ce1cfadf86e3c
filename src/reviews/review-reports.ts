import { arrayOverlaps, sql, type SQL } from 'drizzle-orm';
import type { Executor } from '../db/client.js';
import { queryRows } from '../db/query-rows.js';
import { reviews, users } from '../db/schema/index.js';
import type { Role } from '../domain/roles.js';
import { REVIEW_OVERSEERS } from './review-scope.js';

export const REPORT_GROUPINGS = ['agent', 'group', 'questionnaire', 'evaluator', 'period'] as const;
export type ReportGrouping = (typeof REPORT_GROUPINGS)[number];
export const PERIOD_UNITS = ['day', 'week', 'month'] as const;
export type PeriodUnit = (typeof PERIOD_UNITS)[number];

export interface ReviewReportFilters {
  groupBy: ReportGrouping;
  /** For `period`: local days, ISO weeks (from Monday) or calendar months in `timeZone`. */
  periodUnit: PeriodUnit;
  timeZone: string;
  /** Completion time, `from` included, `to` excluded. */
  from: Date;
  to: Date;
  questionnaireId?: string;
  agentGroup?: string;
  planId?: string;
}

/** Who asks, as far as the report's scope needs to know. */
export interface ReportViewer {
  roles: readonly Role[];
  supervisedGroups: readonly string[];
}

export interface ReviewReportRow {
  /** The agent's username, group name, questionnaire id, evaluator id, or the period's first local date (YYYY-MM-DD). */
  key: string | null;
  /** What a person reads: the questionnaire's name, the evaluator's username, the period as 2026-03 / 2026-W10 / 2026-03-02. */
  label: string | null;
  /** The sample size every average here stands on. */
  reviews: number;
  /** Reviews with a percent (an all-N/A review has none and is left out of the averages). */
  scored: number;
  averagePercent: number | null;
  minPercent: number | null;
  maxPercent: number | null;
  failed: number;
  needsTraining: number;
  tiers: Record<string, number>;
  disputes: { opened: number; accepted: number; partiallyAccepted: number; rejected: number; open: number };
  /** Reviews disputed at least once, and their share of `reviews`. */
  disputedReviews: number;
  disputeRate: number;
}

const PERIOD_LABELS: Record<PeriodUnit, string> = { day: 'YYYY-MM-DD', week: 'IYYY-"W"IW', month: 'YYYY-MM' };

/**
 * Which reviews the viewer's report may count: those who run or audit the programme see every agent
 * ('all'); a supervisor the agents of the groups they supervise, and in a group report only those groups'
 * rows (an agent's other groups would show a row made of that agent alone); anyone else nothing.
 */
function scopeOf(viewer: ReportViewer): { agents: SQL; groups: readonly string[] } | 'all' | 'none' {
  if (viewer.roles.some((role) => REVIEW_OVERSEERS.includes(role))) return 'all';
  if (!viewer.roles.includes('supervisor') || viewer.supervisedGroups.length === 0) return 'none';
  const supervised = sql`(select ${users.username} from ${users} where ${arrayOverlaps(users.groupNames, [...viewer.supervisedGroups])})`;
  return { agents: sql`${reviews.agentUsername} in ${supervised}`, groups: viewer.supervisedGroups };
}

/** The key column and, for `group`, the unnest that gives an agent in several groups a row in each. */
function keyOf(filters: ReviewReportFilters): { key: SQL; join: SQL } {
  switch (filters.groupBy) {
    case 'agent':
      return { key: sql`${reviews.agentUsername}`, join: sql`` };
    case 'group':
      return { key: sql`agent_group.name`, join: sql`cross join lateral unnest(${reviews.agentGroups}) as agent_group(name)` };
    case 'questionnaire':
      return { key: sql`${reviews.questionnaireId}::text`, join: sql`` };
    case 'evaluator':
      return { key: sql`${reviews.evaluatorId}::text`, join: sql`` };
    case 'period':
      // The local start of the period, a timestamp: formatted once per row of the result, not per review.
      return { key: sql`date_trunc(${filters.periodUnit}, ${reviews.completedAt} at time zone ${filters.timeZone})`, join: sql`` };
  }
}

/** The key as the result shows it, and its label. */
function shownKeyOf(filters: ReviewReportFilters): { key: SQL; label: SQL } {
  switch (filters.groupBy) {
    case 'questionnaire':
      return { key: sql`totals.key`, label: sql`(select q.name from questionnaires q where q.id = totals.key::uuid)` };
    case 'evaluator':
      return { key: sql`totals.key`, label: sql`(select u.username from users u where u.id = totals.key::uuid)` };
    case 'period':
      return { key: sql`to_char(totals.key, 'YYYY-MM-DD')`, label: sql`to_char(totals.key, ${PERIOD_LABELS[filters.periodUnit]})` };
    default:
      return { key: sql`totals.key`, label: sql`totals.key` };
  }
}

/**
 * The report as one SQL statement: completed reviews in the range, read by an index-only scan of the
 * covering reviews_report_idx (the dispute tallies are the review's own columns, never a join of
 * review_disputes), grouped by key and tier, then by key (so the tier distribution needs no second pass).
 * Reviews are never loaded into memory. Calibration reviews and those kept out of reports never count.
 */
export function reviewReportQuery(filters: ReviewReportFilters, viewer: ReportViewer): SQL {
  const scope = scopeOf(viewer);
  const { key, join } = keyOf(filters);
  const conditions: SQL[] = [
    sql`${reviews.completedAt} >= ${filters.from.toISOString()}::timestamptz`,
    sql`${reviews.completedAt} < ${filters.to.toISOString()}::timestamptz`,
    sql`${reviews.status} = 'completed'`,
    sql`${reviews.includeInReports}`,
    sql`${reviews.kind} <> 'calibration'`,
    sql`${reviews.deletedAt} is null`,
  ];
  if (filters.questionnaireId) conditions.push(sql`${reviews.questionnaireId} = ${filters.questionnaireId}::uuid`);
  if (filters.planId) conditions.push(sql`${reviews.planId} = ${filters.planId}::uuid`);
  if (filters.agentGroup) {
    conditions.push(sql`${reviews.agentGroups} @> array[${filters.agentGroup}]::text[]`);
    if (filters.groupBy === 'group') conditions.push(sql`agent_group.name = ${filters.agentGroup}`);
  }
  if (scope === 'none') conditions.push(sql`false`);
  if (typeof scope === 'object') {
    conditions.push(scope.agents);
    if (filters.groupBy === 'group') conditions.push(sql`agent_group.name = any(${sql.param([...scope.groups])}::text[])`);
  }

  const shown = shownKeyOf(filters);
  return sql`
    select ${shown.key} as key, ${shown.label} as label, totals.reviews, totals.scored, totals.average_percent, totals.min_percent, totals.max_percent,
      totals.failed, totals.needs_training, totals.tiers, totals.opened, totals.accepted, totals.partially_accepted, totals.rejected,
      totals.opened - totals.accepted - totals.partially_accepted - totals.rejected as open, totals.disputed
    from (
      select by_tier.key,
        sum(by_tier.reviews)::int as reviews,
        sum(by_tier.scored)::int as scored,
        round(sum(by_tier.hundredths) / 100.0 / nullif(sum(by_tier.scored), 0), 2)::float8 as average_percent,
        min(by_tier.min_percent)::float8 as min_percent,
        max(by_tier.max_percent)::float8 as max_percent,
        sum(by_tier.failed)::int as failed,
        sum(by_tier.needs_training)::int as needs_training,
        coalesce(jsonb_object_agg(by_tier.tier_name, by_tier.reviews) filter (where by_tier.tier_name is not null), '{}'::jsonb) as tiers,
        sum(by_tier.opened)::int as opened,
        sum(by_tier.accepted)::int as accepted,
        sum(by_tier.partially_accepted)::int as partially_accepted,
        sum(by_tier.rejected)::int as rejected,
        sum(by_tier.disputed)::int as disputed
      from (
        -- Sums of int4 (the percent in hundredths is exact in one): sum(int4) accumulates in int8, where
        -- sum(numeric) or sum(bigint) would accumulate in numeric, a cost paid on every review row.
        select ${key} as key, ${reviews.tierName} as tier_name,
          count(*) as reviews,
          count(${reviews.scorePercent}) as scored,
          sum((${reviews.scorePercent} * 100)::int) as hundredths,
          min(${reviews.scorePercent}) as min_percent,
          max(${reviews.scorePercent}) as max_percent,
          count(*) filter (where ${reviews.failed}) as failed,
          count(*) filter (where ${reviews.needsTraining}) as needs_training,
          sum(${reviews.disputesOpened}) as opened,
          sum(${reviews.disputesAccepted}) as accepted,
          sum(${reviews.disputesPartiallyAccepted}) as partially_accepted,
          sum(${reviews.disputesRejected}) as rejected,
          count(*) filter (where ${reviews.disputesOpened} > 0) as disputed
        from ${reviews} ${join}
        where ${sql.join(conditions, sql` and `)}
        group by 1, 2
      ) by_tier
      group by by_tier.key
    ) totals
    order by totals.key nulls last`;
}

interface RawRow {
  key: string | null;
  label: string | null;
  reviews: number;
  scored: number;
  average_percent: number | null;
  min_percent: number | null;
  max_percent: number | null;
  failed: number;
  needs_training: number;
  tiers: Record<string, number | string> | string;
  opened: number;
  accepted: number;
  partially_accepted: number;
  rejected: number;
  open: number;
  disputed: number;
}

const numberOrNull = (value: unknown) => (value === null || value === undefined ? null : Number(value));

function rowOf(raw: RawRow): ReviewReportRow {
  const tiers = typeof raw.tiers === 'string' ? (JSON.parse(raw.tiers) as Record<string, number>) : raw.tiers;
  const reviewCount = Number(raw.reviews);
  const disputed = Number(raw.disputed);
  return {
    key: raw.key,
    label: raw.label,
    reviews: reviewCount,
    scored: Number(raw.scored),
    averagePercent: numberOrNull(raw.average_percent),
    minPercent: numberOrNull(raw.min_percent),
    maxPercent: numberOrNull(raw.max_percent),
    failed: Number(raw.failed),
    needsTraining: Number(raw.needs_training),
    tiers: Object.fromEntries(Object.entries(tiers).map(([name, count]) => [name, Number(count)])),
    disputes: {
      opened: Number(raw.opened),
      accepted: Number(raw.accepted),
      partiallyAccepted: Number(raw.partially_accepted),
      rejected: Number(raw.rejected),
      open: Number(raw.open),
    },
    disputedReviews: disputed,
    disputeRate: reviewCount === 0 ? 0 : Math.round((disputed / reviewCount) * 10_000) / 10_000,
  };
}

export async function reviewReport(executor: Executor, filters: ReviewReportFilters, viewer: ReportViewer): Promise<ReviewReportRow[]> {
  const rows = await queryRows<RawRow>(executor, reviewReportQuery(filters, viewer));
  return rows.map(rowOf);
}
