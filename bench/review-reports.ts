import { pathToFileURL } from 'node:url';
import { PgDialect } from 'drizzle-orm/pg-core';
import type pg from 'pg';
import { questionnaireDefinitionSchema, scoringTiersSchema, type Answers } from '../src/domain/questionnaire.js';
import { scoreReview } from '../src/domain/review-score.js';
import { reviewReport, reviewReportQuery, type ReportViewer, type ReviewReportFilters } from '../src/reviews/review-reports.js';
import { count, latency, ms, type BenchRow } from './measure.js';
import { createScratchDatabase } from '../test/support/scratch-database.js';

const AGENTS = 200;
const GROUPS = 20;
const EVALUATORS = 20;
const QUESTIONNAIRES = 5;
const SEED_BATCH = 250_000;
const DAY_MS = 24 * 3600 * 1000;

/** Three sections of four questions: the answers and score a real review carries make its row as wide as a real one. */
const DEFINITION = questionnaireDefinitionSchema.parse({
  scoring: 'percentage',
  naMethod: 'section-actual-average',
  sections: [0, 1, 2].map((s) => ({
    id: `section-${s}`,
    title: `Section ${s}`,
    weight: s === 2 ? 34 : 33,
    questions: [0, 1, 2, 3].map((q) => ({ id: `question-${s}-${q}`, text: `Question ${q} of section ${s}`, type: q % 2 === 0 ? 'yes-no' : 'scale-1-5', allowNa: true })),
  })),
});
const TIERS = scoringTiersSchema.parse([
  { name: 'fail', from: 0, to: 50, needsTraining: true },
  { name: 'needs coaching', from: 50, to: 75, needsTraining: true },
  { name: 'meets', from: 75, to: 90 },
  { name: 'exceeds', from: 90, to: 100 },
]);
const ANSWERS: Answers = Object.fromEntries(
  DEFINITION.sections.flatMap((section) => section.questions.map((question, q) => [question.id, { value: question.type === 'yes-no' ? 'yes' : 4, ...(q === 0 ? { comment: 'Clear and complete' } : {}) }])),
);
const SCORE = scoreReview(DEFINITION, TIERS, ANSWERS);

/**
 * Fills the review tables with `reviews` completed reviews over the year before `yearEnd`: 200 agents in
 * 20 groups (every tenth agent in two), 20 evaluators, 5 questionnaires, about 3 % disputed, each row with
 * the answers and score of a 12-question review (the same for all: they only give the row its real width;
 * the report reads the denormalised percent, tier and dispute tallies). Written with
 * triggers (and so foreign-key checks) off, as a restore would; the ids are derived from numbers so the
 * reviews can name their conversations, questionnaires and evaluators without lookups.
 */
export async function seed(pool: pg.Pool, reviews: number, yearEnd: Date, log: (line: string) => void): Promise<void> {
  const conversationCount = Math.ceil(reviews / QUESTIONNAIRES);
  await pool.query(
    `insert into users (id, username, full_name, roles, group_names)
     select md5('agent' || a)::uuid, 'agent-' || a, 'Agent ' || a, array['agent'],
            array['group-' || (a % ${GROUPS})] || case when a % 10 = 0 then array['group-' || ((a + 7) % ${GROUPS})] else '{}'::text[] end
     from generate_series(0, ${AGENTS - 1}) a
     union all
     select md5('evaluator' || e)::uuid, 'evaluator-' || e, 'Evaluator ' || e, array['evaluator'], '{}'::text[]
     from generate_series(0, ${EVALUATORS - 1}) e
     union all
     select md5('supervisor')::uuid, 'supervisor', 'Supervisor', array['supervisor'], '{}'::text[]`,
  );
  await pool.query(`update users set supervised_groups = array['group-3', 'group-4'] where username = 'supervisor'`);
  await pool.query(
    `insert into questionnaires (id, name, state, created_by)
     select md5('questionnaire' || q)::uuid, 'Questionnaire ' || q, 'active', 'bench' from generate_series(0, ${QUESTIONNAIRES - 1}) q`,
  );
  await pool.query(
    `insert into questionnaire_versions (questionnaire_id, version, definition, tiers, created_by)
     select md5('questionnaire' || q)::uuid, 1, $1::jsonb, $2::jsonb, 'bench' from generate_series(0, ${QUESTIONNAIRES - 1}) q`,
    [JSON.stringify(DEFINITION), JSON.stringify(TIERS)],
  );
  await pool.query(
    `insert into conversations (id, source, external_key, channel, started_at, agent_username, workflow_id)
     select md5('conversation' || c)::uuid, 'bench', 'c-' || c, 'VOICE', $1::timestamptz - (c::float8 / $2) * interval '365 days', 'agent-' || (c % ${AGENTS}), 'bench-' || c
     from generate_series(0, $2::int - 1) c`,
    [yearEnd.toISOString(), conversationCount],
  );
  log(`review reports: ${count(conversationCount)} conversations seeded`);
  for (let first = 0; first < reviews; first += SEED_BATCH) {
    const last = Math.min(reviews, first + SEED_BATCH) - 1;
    const client = await pool.connect();
    try {
      await client.query('begin');
      await client.query('set local session_replication_role = replica');
      // Review g is of conversation g / 5 with questionnaire g % 5: every (questionnaire, conversation) once.
      await client.query(
        `insert into reviews (id, kind, questionnaire_id, questionnaire_version, conversation_id, agent_username, agent_groups, evaluator_id,
           status, answers, score, score_percent, tier_name, needs_training, failed, include_in_reports, created_by, created_at, completed_at)
         select md5('review' || g)::uuid, 'plan', md5('questionnaire' || (g % ${QUESTIONNAIRES}))::uuid, 1, md5('conversation' || (g / ${QUESTIONNAIRES}))::uuid,
           'agent-' || agent, array['group-' || (agent % ${GROUPS})] || case when agent % 10 = 0 then array['group-' || ((agent + 7) % ${GROUPS})] else '{}'::text[] end,
           md5('evaluator' || (g % ${EVALUATORS}))::uuid, 'completed', $5::jsonb, $6::jsonb, percent,
           case when percent < 50 then 'fail' when percent < 75 then 'needs coaching' when percent < 90 then 'meets' else 'exceeds' end,
           percent < 75, g % 23 = 0, g % 50 <> 0, 'bench', completed_at - interval '2 days', completed_at
         from generate_series($1::int, $2::int) g
         cross join lateral (select ((g / ${QUESTIONNAIRES}) % ${AGENTS}) as agent, round(((g::bigint * 7919) % 10001) / 100.0, 2) as percent,
           $3::timestamptz - ((($4::int - g)::float8 / $4::int) * interval '365 days') as completed_at) v`,
        [first, last, yearEnd.toISOString(), reviews, JSON.stringify(ANSWERS), JSON.stringify(SCORE)],
      );
      await client.query('commit');
    } catch (error) {
      await client.query('rollback');
      throw error;
    } finally {
      client.release();
    }
    log(`review reports: seeded ${count(last + 1)} of ${count(reviews)} reviews`);
  }
  await pool.query(
    `insert into review_disputes (id, review_id, opened_by, comment, opened_at, resolution, resolved_at)
     select gen_random_uuid(), r.id, r.agent_username, 'bench', r.completed_at + interval '1 day',
       (array['accepted', 'partially-accepted', 'rejected', null])[1 + (abs(hashtext(r.id::text)) % 4)],
       case when abs(hashtext(r.id::text)) % 4 < 3 then r.completed_at + interval '3 days' end
     from reviews r where abs(hashtext(r.id::text)) % 33 = 0`,
  );
  // The tallies the dispute service keeps on each review, filled from the disputes as a backfill would.
  await pool.query(
    `update reviews r set disputes_opened = d.opened, disputes_accepted = d.accepted, disputes_partially_accepted = d.partially_accepted, disputes_rejected = d.rejected
     from (select review_id, count(*) as opened, count(*) filter (where resolution = 'accepted') as accepted,
             count(*) filter (where resolution = 'partially-accepted') as partially_accepted, count(*) filter (where resolution = 'rejected') as rejected
           from review_disputes group by review_id) d
     where d.review_id = r.id`,
  );
  // A restore ends the same way: the visibility map set, so the report's index-only scan reads no heap pages.
  await pool.query('vacuum analyze');
}

async function planOf(pool: pg.Pool, filters: ReviewReportFilters, viewer: ReportViewer): Promise<string> {
  const query = new PgDialect({ casing: 'snake_case' }).sqlToQuery(reviewReportQuery(filters, viewer));
  const { rows } = await pool.query(`explain (format json) ${query.sql}`, query.params);
  const indexes = new Set<string>();
  const scans = new Set<string>();
  const visit = (node: Record<string, unknown>) => {
    if (typeof node['Index Name'] === 'string') indexes.add(node['Index Name']);
    if (node['Node Type'] === 'Seq Scan') scans.add(`seq scan ${String(node['Relation Name'])}`);
    if (typeof node['Workers Planned'] === 'number') scans.add(`${node['Workers Planned']} workers`);
    for (const child of (node.Plans as Record<string, unknown>[] | undefined) ?? []) visit(child);
  };
  visit((rows[0]['QUERY PLAN'] as { Plan: Record<string, unknown> }[])[0]!.Plan);
  return [...indexes, ...scans].join(' + ');
}

export async function reviewReportBenchmark(options: { serverUrl: string; reviews: number; log: (line: string) => void }): Promise<BenchRow[]> {
  const scratch = await createScratchDatabase(options.serverUrl, 'reviews');
  const bench = `review reports, ${count(options.reviews)} reviews`;
  const rows: BenchRow[] = [];
  try {
    const { db } = scratch.handle;
    const pool = (scratch.handle as { pool: pg.Pool }).pool;
    const yearEnd = new Date(Date.UTC(2026, 0, 1));
    const seedStarted = performance.now();
    await seed(pool, options.reviews, yearEnd, options.log);
    rows.push({ benchmark: bench, measure: 'bulk seed (triggers off)', value: `${((performance.now() - seedStarted) / 1000).toFixed(1)} s` });

    const manager: ReportViewer = { roles: ['cc-manager'], supervisedGroups: [] };
    const supervisor: ReportViewer = { roles: ['supervisor'], supervisedGroups: ['group-3', 'group-4'] };
    const month = { from: new Date(Date.UTC(2025, 5, 1)), to: new Date(Date.UTC(2025, 6, 1)) };
    const year = { from: new Date(yearEnd.getTime() - 365 * DAY_MS), to: yearEnd };
    const base = { periodUnit: 'month' as const, timeZone: 'UTC' };
    const cases: [string, ReviewReportFilters, ReportViewer][] = [
      ['a month, by agent', { ...base, ...month, groupBy: 'agent' }, manager],
      ['a month, by group', { ...base, ...month, groupBy: 'group' }, manager],
      ['the year, by agent', { ...base, ...year, groupBy: 'agent' }, manager],
      ['the year, by group', { ...base, ...year, groupBy: 'group' }, manager],
      ['the year, by month (Europe/London)', { ...base, ...year, groupBy: 'period', timeZone: 'Europe/London' }, manager],
      ['the year, by agent, supervisor of 2 groups', { ...base, ...year, groupBy: 'agent' }, supervisor],
      ['a month, one questionnaire, by evaluator', { ...base, ...month, groupBy: 'evaluator', questionnaireId: (await pool.query(`select md5('questionnaire0')::uuid as id`)).rows[0].id as string }, manager],
    ];
    for (const [label, filters, viewer] of cases) {
      let resultRows = 0;
      let counted = 0;
      const timing = await latency(10, async () => {
        const result = await reviewReport(db, filters, viewer);
        resultRows = result.length;
        counted = result.reduce((sum, row) => sum + row.reviews, 0);
      });
      rows.push({
        benchmark: bench,
        measure: label,
        value: `p50 ${ms(timing.p50)}, p95 ${ms(timing.p95)}`,
        note: `${count(resultRows)} rows over ${count(counted)} reviews; ${await planOf(pool, filters, viewer)}${timing.p95 < 1000 ? '' : ' — OVER the 1 s target'}`,
      });
    }
    return rows;
  } finally {
    await scratch.drop();
  }
}

// `npx tsx bench/review-reports.ts [reviews]` runs it on its own; bench/run.ts runs it with the others.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { parseConfig } = await import('../src/config.js');
  const { printTable } = await import('./measure.js');
  const config = parseConfig(process.env);
  const reviews = Number(process.argv[2] ?? 1_000_000);
  printTable(await reviewReportBenchmark({ serverUrl: config.testPostgresUrl, reviews, log: (line) => process.stderr.write(`[bench] ${line}\n`) }));
}
