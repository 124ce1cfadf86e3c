import { sql } from 'drizzle-orm';
import { check, index, integer, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';

export const SEARCH_HOLD_RUN_STATUSES = ['placing', 'in_force', 'failed'] as const;
export type SearchHoldRunStatus = (typeof SEARCH_HOLD_RUN_STATUSES)[number];

/** A matched conversation left without a hold, and why (the first ones; beyond that only counted). */
export interface SearchHoldSkip {
  conversationId: string;
  reason: string;
}

/**
 * The durable run that places a search hold (src/workflows/search-hold-run.ts), one per hold group: what
 * to place (the search, fixed to the conversations captured by `captured_before`), who asked, and how far
 * it got. `pages_done`/`after` advance in the transaction that writes a page's holds, so a retried page is
 * recognised and not counted twice.
 */
export const searchHoldRuns = pgTable(
  'search_hold_runs',
  {
    holdGroupId: uuid('hold_group_id').primaryKey(),
    status: text('status').$type<SearchHoldRunStatus>().notNull().default('placing'),
    /** The Conversation Explorer query as the API received it (GET /v1/conversations parameters). */
    query: jsonb('query').$type<Record<string, unknown>>().notNull(),
    /** The hold rows' scope: the group id and the audited filters. */
    scope: jsonb('scope').$type<Record<string, unknown>>().notNull(),
    reason: text('reason').notNull(),
    reference: text('reference'),
    /** The request's actor (RequestContext.actor): every hold and audit entry of the run is theirs. */
    actor: jsonb('actor').$type<Record<string, unknown>>().notNull(),
    correlationId: text('correlation_id').notNull(),
    /** The upper bound of the matched set: conversations captured later are not part of this hold. */
    capturedBefore: timestamp('captured_before', { withTimezone: true }).notNull(),
    startedAt: timestamp('started_at', { withTimezone: true }).notNull().defaultNow(),
    finishedAt: timestamp('finished_at', { withTimezone: true }),
    pagesDone: integer('pages_done').notNull().default(0),
    /** Where the next page starts (a SearchPosition); null before the first. */
    after: jsonb('after').$type<{ startedAt: string | null; id: string } | null>(),
    matched: integer('matched').notNull().default(0),
    held: integer('held').notNull().default(0),
    skipped: integer('skipped').notNull().default(0),
    skips: jsonb('skips').$type<SearchHoldSkip[]>().notNull().default([]),
    failure: text('failure'),
  },
  (table) => [
    index('search_hold_runs_placing_idx').on(table.startedAt).where(sql`${table.status} = 'placing'`),
    check('search_hold_runs_status_ck', sql`${table.status} in ('placing', 'in_force', 'failed')`),
  ],
);

export type SearchHoldRunRow = typeof searchHoldRuns.$inferSelect;
