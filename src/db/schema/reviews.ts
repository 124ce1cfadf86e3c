import { sql } from 'drizzle-orm';
import { bigint, bigserial, boolean, check, index, integer, jsonb, numeric, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import type { Answers, QuestionnaireDefinition, ScoringTier } from '../../domain/questionnaire.js';
import type { ReviewScore } from '../../domain/review-score.js';
import { conversations } from './conversations.js';
import { users } from './identity.js';

/** Which conversations suit a questionnaire (the seed's call selection rules); every given criterion must hold. */
export interface CallSelectionRules {
  channels?: string[];
  queues?: string[];
  /** The agent belongs to one of these groups. */
  agentGroups?: string[];
  /** Every listed tag is on the conversation (with this value, when given). */
  tags?: { name: string; value?: string | null }[];
  minDurationSeconds?: number;
  maxDurationSeconds?: number;
  /** The contact record's InitiationMethod (INBOUND, OUTBOUND, TRANSFER, CALLBACK, API, ...). */
  directions?: string[];
  /** Each of these contact-center attribute keys is present. */
  metadataKeys?: string[];
  /** Local time of day, in the plan's time zone, as HH:MM; `to` exclusive; a window may wrap midnight. */
  timeOfDay?: { from: string; to: string };
}

/**
 * A questionnaire (the seed's Questionnaires module). What it scores with lives in its versions; what is
 * edited in place here never changes a score: its name, who may use it, which calls suit it.
 */
export const questionnaires = pgTable('questionnaires', {
  id: uuid('id').primaryKey(),
  name: text('name').notNull(),
  description: text('description').notNull().default(''),
  /** draft: being written; active: plans and reviews may use it; inactive: retired or paused. */
  state: text('state').notNull().default('draft'),
  currentVersion: integer('current_version').notNull().default(1),
  /** Evaluator groups that may use it (the seed's questionnaire permissions); empty: every evaluator. */
  evaluatorGroups: text('evaluator_groups').array().notNull().default(sql`'{}'::text[]`),
  selectionRules: jsonb('selection_rules').$type<CallSelectionRules>().notNull().default(sql`'{}'::jsonb`),
  /** How long an agent may acknowledge or dispute a revealed review. */
  disputeWindowDays: integer('dispute_window_days').notNull().default(14),
  createdBy: text('created_by').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  /** Set when removed after use: a used questionnaire is retired, never deleted. */
  retiredAt: timestamp('retired_at', { withTimezone: true }),
});

/** Every version a questionnaire ever had; a review keeps the version it was scored with, so none is ever changed. */
export const questionnaireVersions = pgTable(
  'questionnaire_versions',
  {
    questionnaireId: uuid('questionnaire_id')
      .notNull()
      .references(() => questionnaires.id),
    version: integer('version').notNull(),
    definition: jsonb('definition').$type<QuestionnaireDefinition>().notNull(),
    tiers: jsonb('tiers').$type<ScoringTier[]>().notNull(),
    createdBy: text('created_by').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [primaryKey({ columns: [table.questionnaireId, table.version] })],
);

/** Periodic monitoring: which conversations of which agents get reviewed, by whom, how often. */
export const reviewPlans = pgTable(
  'review_plans',
  {
    id: uuid('id').primaryKey(),
    name: text('name').notNull(),
    questionnaireId: uuid('questionnaire_id')
      .notNull()
      .references(() => questionnaires.id),
    period: text('period').notNull(),
    /** For a one-off plan: the window it samples. */
    windowStart: timestamp('window_start', { withTimezone: true }),
    windowEnd: timestamp('window_end', { withTimezone: true }),
    timeZone: text('time_zone').notNull().default('UTC'),
    /** per-agent: `targetPerAgent` conversations of each agent of `agentGroup`; all-matching: every conversation `rule` selects. */
    mode: text('mode').notNull(),
    targetPerAgent: integer('target_per_agent'),
    agentGroup: text('agent_group'),
    /** Narrows the conversations a run considers (channel, queue, tags, ...); the questionnaire's rules then rank them. */
    rule: jsonb('rule').$type<CallSelectionRules>().notNull().default(sql`'{}'::jsonb`),
    evaluatorGroup: text('evaluator_group').notNull(),
    excludeOwnGroup: boolean('exclude_own_group').notNull().default(false),
    /** Each review is due this long after its run. */
    dueAfterSeconds: integer('due_after_seconds').notNull(),
    /** Evaluators are reminded this long before a review is due; null: no reminder. */
    reminderBeforeSeconds: integer('reminder_before_seconds'),
    /** Who decides disputes: the plan owner (its creator) unless an arbitrator is named. */
    ownerId: uuid('owner_id')
      .notNull()
      .references(() => users.id),
    arbitratorId: uuid('arbitrator_id').references(() => users.id),
    enabled: boolean('enabled').notNull().default(true),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
    removedAt: timestamp('removed_at', { withTimezone: true }),
  },
  (table) => [check('review_plans_mode_ck', sql`${table.mode} in ('per-agent', 'all-matching')`)],
);

/** What one run of a plan did; one row per plan and period, so a re-run of a period finds its earlier self. */
export const reviewPlanRuns = pgTable(
  'review_plan_runs',
  {
    id: uuid('id').primaryKey(),
    planId: uuid('plan_id')
      .notNull()
      .references(() => reviewPlans.id),
    periodStart: timestamp('period_start', { withTimezone: true }).notNull(),
    periodEnd: timestamp('period_end', { withTimezone: true }).notNull(),
    runs: integer('runs').notNull().default(0),
    /** The latest run's report: selected, assigned per evaluator, shortfalls, skipped with reasons. */
    report: jsonb('report').$type<Record<string, unknown>>().notNull().default(sql`'{}'::jsonb`),
    firstRunAt: timestamp('first_run_at', { withTimezone: true }).notNull().defaultNow(),
    lastRunAt: timestamp('last_run_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [uniqueIndex('review_plan_runs_period_uq').on(table.planId, table.periodStart)],
);

/** A calibration: one conversation and questionnaire sent blind to several evaluators. */
export const calibrations = pgTable('calibrations', {
  id: uuid('id').primaryKey(),
  questionnaireId: uuid('questionnaire_id')
    .notNull()
    .references(() => questionnaires.id),
  questionnaireVersion: integer('questionnaire_version').notNull(),
  conversationId: uuid('conversation_id')
    .notNull()
    .references(() => conversations.id),
  createdBy: text('created_by').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});

/**
 * One review of one conversation with one questionnaire version. The row outlives its conversation's
 * deletion: the conversation row stays as a tombstone, and the review keeps its answers and score.
 */
export const reviews = pgTable(
  'reviews',
  {
    id: uuid('id').primaryKey(),
    /** plan: selected by a plan run; manual: a particular call added by hand; calibration: never in an agent's reports. */
    kind: text('kind').notNull(),
    questionnaireId: uuid('questionnaire_id')
      .notNull()
      .references(() => questionnaires.id),
    questionnaireVersion: integer('questionnaire_version').notNull(),
    conversationId: uuid('conversation_id')
      .notNull()
      .references(() => conversations.id),
    planId: uuid('plan_id').references(() => reviewPlans.id),
    planRunId: uuid('plan_run_id').references(() => reviewPlanRuns.id),
    calibrationId: uuid('calibration_id').references(() => calibrations.id),
    /** The reviewed agent and their groups when the review was made, so reports keep them when people move. */
    agentUsername: text('agent_username'),
    agentGroups: text('agent_groups').array().notNull().default(sql`'{}'::text[]`),
    evaluatorId: uuid('evaluator_id').references(() => users.id),
    /** waiting → in-progress → completed; deleted keeps the row (and its audit) with a reason. */
    status: text('status').notNull().default('waiting'),
    answers: jsonb('answers').$type<Answers>().notNull().default(sql`'{}'::jsonb`),
    score: jsonb('score').$type<ReviewScore>(),
    /** Denormalised from `score` for reports that aggregate in SQL. */
    scorePercent: numeric('score_percent', { precision: 5, scale: 2, mode: 'number' }),
    tierName: text('tier_name'),
    needsTraining: boolean('needs_training').notNull().default(false),
    failed: boolean('failed').notNull().default(false),
    includeInReports: boolean('include_in_reports').notNull().default(true),
    dueAt: timestamp('due_at', { withTimezone: true }),
    remindAt: timestamp('remind_at', { withTimezone: true }),
    remindedAt: timestamp('reminded_at', { withTimezone: true }),
    overdueAt: timestamp('overdue_at', { withTimezone: true }),
    createdBy: text('created_by').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    startedAt: timestamp('started_at', { withTimezone: true }),
    completedAt: timestamp('completed_at', { withTimezone: true }),
    completedBy: uuid('completed_by').references(() => users.id),
    revealedAt: timestamp('revealed_at', { withTimezone: true }),
    /** The agent's answer to a revealed review: acknowledged, or disputed (see review_disputes). */
    acknowledgedAt: timestamp('acknowledged_at', { withTimezone: true }),
    /**
     * Tallies of this review's disputes, kept in step by review-disputes.ts in the transaction that opens or
     * resolves one, so reports count disputes from the report index alone; still open = opened minus the three outcomes.
     */
    disputesOpened: integer('disputes_opened').notNull().default(0),
    disputesAccepted: integer('disputes_accepted').notNull().default(0),
    disputesPartiallyAccepted: integer('disputes_partially_accepted').notNull().default(0),
    disputesRejected: integer('disputes_rejected').notNull().default(0),
    /** After a rejected dispute the scores are final. */
    scoresFrozenAt: timestamp('scores_frozen_at', { withTimezone: true }),
    deletedAt: timestamp('deleted_at', { withTimezone: true }),
    deleteReason: text('delete_reason'),
    /** The last review_events id its follow-up told the conversation's lifecycle: a restarted follow-up goes on from here. */
    forwardedEventId: bigint('forwarded_event_id', { mode: 'number' }).notNull().default(0),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    check('reviews_kind_ck', sql`${table.kind} in ('plan', 'manual', 'calibration')`),
    check('reviews_status_ck', sql`${table.status} in ('waiting', 'in-progress', 'completed', 'deleted')`),
    // Never selected twice for the same questionnaire; calibrations send one conversation to several evaluators on purpose.
    uniqueIndex('reviews_questionnaire_conversation_uq').on(table.questionnaireId, table.conversationId).where(sql`${table.kind} <> 'calibration'`),
    uniqueIndex('reviews_calibration_evaluator_uq').on(table.calibrationId, table.evaluatorId).where(sql`${table.calibrationId} is not null`),
    // An evaluator's queue, and every evaluator's open workload.
    index('reviews_evaluator_open_idx').on(table.evaluatorId, table.dueAt).where(sql`${table.status} in ('waiting', 'in-progress')`),
    // Retention asks "does this conversation have a review not yet completed".
    index('reviews_conversation_idx').on(table.conversationId),
    index('reviews_plan_run_idx').on(table.planRunId),
    index('reviews_agent_idx').on(table.agentUsername, table.completedAt),
    // Reports aggregate completed reviews in a time range. drizzle-orm 0.45 cannot declare INCLUDE: the
    // migration makes this index covering by hand (every column review-reports.ts reads), for index-only scans.
    index('reviews_report_idx').on(table.completedAt, table.questionnaireId).where(sql`${table.status} = 'completed' and ${table.includeInReports}`),
    index('reviews_calibration_idx').on(table.calibrationId).where(sql`${table.calibrationId} is not null`),
  ],
);

/** An agent's dispute of a revealed review, and its resolution by the plan owner or arbitrator. */
export const reviewDisputes = pgTable(
  'review_disputes',
  {
    id: uuid('id').primaryKey(),
    reviewId: uuid('review_id')
      .notNull()
      .references(() => reviews.id),
    openedBy: text('opened_by').notNull(),
    comment: text('comment').notNull(),
    suggestedAnswers: jsonb('suggested_answers').$type<Answers>().notNull().default(sql`'{}'::jsonb`),
    openedAt: timestamp('opened_at', { withTimezone: true }).notNull().defaultNow(),
    /** accepted, partially-accepted or rejected; null while open. */
    resolution: text('resolution'),
    resolutionComment: text('resolution_comment'),
    resolvedBy: text('resolved_by'),
    resolvedAt: timestamp('resolved_at', { withTimezone: true }),
    scoreBefore: numeric('score_before', { precision: 5, scale: 2, mode: 'number' }),
    scoreAfter: numeric('score_after', { precision: 5, scale: 2, mode: 'number' }),
  },
  (table) => [
    // A review has at most one open dispute.
    uniqueIndex('review_disputes_open_uq').on(table.reviewId).where(sql`${table.resolvedAt} is null`),
    index('review_disputes_review_idx').on(table.reviewId),
    index('review_disputes_opened_idx').on(table.openedAt),
  ],
);

/**
 * Each step of a review, in the transaction that made it: the review's own history, and the outbox its
 * workflow reads to tell the conversation's lifecycle (selected, completed, dispute resolved, ...) and
 * to produce notifications (overdue, reminder).
 */
export const reviewEvents = pgTable(
  'review_events',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    reviewId: uuid('review_id')
      .notNull()
      .references(() => reviews.id),
    conversationId: uuid('conversation_id').notNull(),
    step: text('step').notNull(),
    actor: text('actor').notNull(),
    detail: jsonb('detail').$type<Record<string, unknown>>().notNull().default(sql`'{}'::jsonb`),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [index('review_events_review_idx').on(table.reviewId, table.id)],
);
