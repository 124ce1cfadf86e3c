import { sql, type SQL } from 'drizzle-orm';
import { rangeBounds, type ConversationExportFilters, type ExportSource, type ReviewScoreExportFilters } from './export-filters.js';

/**
 * One export's rows as one SQL statement, every column text and named c1..cN in header order, and the CSV
 * header naming its columns (time columns name the zone).
 */
export interface ExportQuery {
  header: string[];
  query: SQL;
}

/**
 * A time as the file shows it: `2026-11-20 11:00:00` in the export's zone. Formatted by PostgreSQL, with
 * the zone as a parameter, so a million rows cost no Date objects in the worker.
 */
const localTime = (column: SQL, timeZone: string) => sql`to_char(${column} at time zone ${timeZone}::text, 'YYYY-MM-DD HH24:MI:SS')`;

function rangeConditions(column: SQL, bounds: { from: Date | null; to: Date | null }): SQL[] {
  const conditions: SQL[] = [];
  if (bounds.from) conditions.push(sql`${column} >= ${bounds.from.toISOString()}::timestamptz`);
  if (bounds.to) conditions.push(sql`${column} < ${bounds.to.toISOString()}::timestamptz`);
  return conditions;
}

/** Interaction metadata: ids, channel, times, agent, queue, state and tag names; never a customer's address or words. */
function conversationsQuery(filters: ConversationExportFilters, timeZone: string, nominal: Date): ExportQuery {
  const conditions: SQL[] = [sql`c.deleted_at is null`, ...rangeConditions(sql`c.started_at`, rangeBounds(filters.startedAt, nominal))];
  if (filters.channel) conditions.push(sql`c.channel = ${filters.channel}`);
  if (filters.queue) conditions.push(sql`c.queue_name = ${filters.queue}`);
  if (filters.agent) conditions.push(sql`c.agent_username = ${filters.agent}`);
  if (filters.tag) conditions.push(sql`exists (select 1 from conversation_tags t where t.conversation_id = c.id and t.name = ${filters.tag})`);
  return {
    header: ['conversationId', 'source', 'externalKey', 'channel', `startedAt (${timeZone})`, `endedAt (${timeZone})`, 'durationSeconds', 'agent', 'queue', 'lifecycleState', 'tags'],
    // Oldest first, by the (started_at desc, id desc) index read backwards.
    query: sql`select c.id::text as c1, c.source as c2, c.external_key as c3, c.channel as c4,
        ${localTime(sql`c.started_at`, timeZone)} as c5, ${localTime(sql`c.ended_at`, timeZone)} as c6,
        floor(extract(epoch from c.ended_at - c.started_at))::bigint::text as c7,
        c.agent_username as c8, c.queue_name as c9, c.lifecycle_state as c10,
        (select string_agg(distinct t.name, ';' order by t.name) from conversation_tags t where t.conversation_id = c.id) as c11
      from conversations c
      where ${sql.join(conditions, sql` and `)}
      order by c.started_at asc, c.id asc`,
  };
}

/** Completed reviews (not calibrations, not deleted) and their scores. */
function reviewScoresQuery(filters: ReviewScoreExportFilters, timeZone: string, nominal: Date): ExportQuery {
  const conditions: SQL[] = [
    sql`r.status = 'completed'`,
    sql`r.kind <> 'calibration'`,
    sql`r.deleted_at is null`,
    ...rangeConditions(sql`r.completed_at`, rangeBounds(filters.completedAt, nominal)),
  ];
  if (filters.questionnaireId) conditions.push(sql`r.questionnaire_id = ${filters.questionnaireId}::uuid`);
  if (filters.agent) conditions.push(sql`r.agent_username = ${filters.agent}`);
  if (filters.agentGroup) conditions.push(sql`r.agent_groups @> array[${filters.agentGroup}]::text[]`);
  if (filters.tier) conditions.push(sql`r.tier_name = ${filters.tier}`);
  return {
    header: [
      'reviewId', 'conversationId', 'questionnaireId', 'questionnaire', 'questionnaireVersion', 'agent', 'agentGroups', 'evaluator',
      'scorePercent', 'tier', 'needsTraining', 'failed', 'includeInReports', `completedAt (${timeZone})`, `revealedAt (${timeZone})`,
      'disputesOpened', 'disputesAccepted', 'disputesPartiallyAccepted', 'disputesRejected',
    ],
    query: sql`select r.id::text as c1, r.conversation_id::text as c2, r.questionnaire_id::text as c3, q.name as c4, r.questionnaire_version::text as c5,
        r.agent_username as c6, array_to_string(r.agent_groups, ';') as c7, e.username as c8,
        r.score_percent::text as c9, r.tier_name as c10, r.needs_training::text as c11, r.failed::text as c12, r.include_in_reports::text as c13,
        ${localTime(sql`r.completed_at`, timeZone)} as c14, ${localTime(sql`r.revealed_at`, timeZone)} as c15,
        r.disputes_opened::text as c16, r.disputes_accepted::text as c17, r.disputes_partially_accepted::text as c18, r.disputes_rejected::text as c19
      from reviews r
      join questionnaires q on q.id = r.questionnaire_id
      left join users e on e.id = r.evaluator_id
      where ${sql.join(conditions, sql` and `)}
      order by r.completed_at asc, r.id asc`,
  };
}

export function exportQuery(source: ExportSource, filters: Record<string, unknown>, timeZone: string, nominal: Date): ExportQuery {
  return source === 'conversations'
    ? conversationsQuery(filters as ConversationExportFilters, timeZone, nominal)
    : reviewScoresQuery(filters as ReviewScoreExportFilters, timeZone, nominal);
}
