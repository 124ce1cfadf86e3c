import { sql } from 'drizzle-orm';
import { bigint, bigserial, boolean, check, index, integer, jsonb, numeric, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import type { QuizAnswers, TrainingPackDefinition } from '../../domain/training-pack.js';
import { conversations } from './conversations.js';
import { users } from './identity.js';
import { reviews } from './reviews.js';

/**
 * A training pack (the seed's eLearning pack). What it teaches and tests lives in its versions; what is
 * edited in place here (name, timing, onboarding) never changes an assignment already given.
 */
export const trainingPacks = pgTable(
  'training_packs',
  {
    id: uuid('id').primaryKey(),
    name: text('name').notNull(),
    description: text('description').notNull().default(''),
    /** performance: follow-up to low review scores; onboarding: new agents; coaching: supervisors and groups. */
    purpose: text('purpose').notNull(),
    /** draft: being written; active: may be assigned; retired: kept for the assignments that used it. */
    state: text('state').notNull().default('draft'),
    currentVersion: integer('current_version').notNull().default(1),
    /** Assigned to every agent user created while the pack is active. */
    assignOnAgentCreation: boolean('assign_on_agent_creation').notNull().default(false),
    /** An assignment (and each re-assignment after a failed attempt) is due this long after it is given. */
    dueAfterSeconds: integer('due_after_seconds').notNull(),
    /** The trainee is reminded this long before the due time; null: no reminder. */
    reminderBeforeSeconds: integer('reminder_before_seconds'),
    createdBy: text('created_by').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
    retiredAt: timestamp('retired_at', { withTimezone: true }),
  },
  (table) => [
    check('training_packs_purpose_ck', sql`${table.purpose} in ('performance', 'onboarding', 'coaching')`),
    check('training_packs_state_ck', sql`${table.state} in ('draft', 'active', 'retired')`),
  ],
);

/** Every version a pack ever had; never changed, so an assignment always shows what it was given. */
export const trainingPackVersions = pgTable(
  'training_pack_versions',
  {
    packId: uuid('pack_id')
      .notNull()
      .references(() => trainingPacks.id),
    version: integer('version').notNull(),
    definition: jsonb('definition').$type<TrainingPackDefinition>().notNull(),
    createdBy: text('created_by').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [primaryKey({ columns: [table.packId, table.version] })],
);

/**
 * One pack version given to one person: as the follow-up of a review (`review_id`, on that review's
 * conversation), on onboarding, or as coaching by hand (to a user, or to each member of a group).
 */
export const trainingAssignments = pgTable(
  'training_assignments',
  {
    id: uuid('id').primaryKey(),
    packId: uuid('pack_id')
      .notNull()
      .references(() => trainingPacks.id),
    packVersion: integer('pack_version').notNull(),
    /** The trainee; the username is kept as well so reports keep a name when people move or leave. */
    assigneeUserId: uuid('assignee_user_id')
      .notNull()
      .references(() => users.id),
    assigneeUsername: text('assignee_username').notNull(),
    /** The trainee's groups when assigned, for group reports. */
    assigneeGroups: text('assignee_groups').array().notNull().default(sql`'{}'::text[]`),
    /** review: follow-up to a low score; onboarding: a new agent; coaching: given by hand. */
    reason: text('reason').notNull(),
    reviewId: uuid('review_id').references(() => reviews.id),
    /** The reviewed conversation, whose lifecycle records each step of this follow-up. */
    conversationId: uuid('conversation_id').references(() => conversations.id),
    /** The pack version's reference conversation, which this assignment lets its trainee play. */
    referenceConversationId: uuid('reference_conversation_id').references(() => conversations.id),
    /** For coaching given to a group: the group, so its members' assignments can be found together. */
    coachingGroup: text('coaching_group'),
    /** assigned → passed, or failed once the attempts are used up; cancelled says why in `cancel_reason`. */
    status: text('status').notNull().default('assigned'),
    attemptsAllowed: integer('attempts_allowed').notNull(),
    attemptsUsed: integer('attempts_used').notNull().default(0),
    dueAt: timestamp('due_at', { withTimezone: true }).notNull(),
    remindAt: timestamp('remind_at', { withTimezone: true }),
    remindedAt: timestamp('reminded_at', { withTimezone: true }),
    overdueAt: timestamp('overdue_at', { withTimezone: true }),
    cancelReason: text('cancel_reason'),
    assignedBy: text('assigned_by').notNull(),
    assignedAt: timestamp('assigned_at', { withTimezone: true }).notNull().defaultNow(),
    completedAt: timestamp('completed_at', { withTimezone: true }),
    /** The last training_events id its follow-up told the conversation's lifecycle. */
    forwardedEventId: bigint('forwarded_event_id', { mode: 'number' }).notNull().default(0),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    check('training_assignments_reason_ck', sql`${table.reason} in ('review', 'onboarding', 'coaching')`),
    check('training_assignments_status_ck', sql`${table.status} in ('assigned', 'passed', 'failed', 'cancelled')`),
    // A review has at most one open follow-up; a cancelled one does not block the next.
    uniqueIndex('training_assignments_open_review_uq').on(table.reviewId).where(sql`${table.reviewId} is not null and ${table.status} = 'assigned'`),
    // A new agent is onboarded with a pack once, however often their creation is retried.
    uniqueIndex('training_assignments_onboarding_uq').on(table.packId, table.assigneeUserId).where(sql`${table.reason} = 'onboarding'`),
    index('training_assignments_assignee_idx').on(table.assigneeUserId, table.status),
    index('training_assignments_open_due_idx').on(table.dueAt).where(sql`${table.status} = 'assigned'`),
    index('training_assignments_report_idx').on(table.assignedAt, table.packId),
    index('training_assignments_review_idx').on(table.reviewId).where(sql`${table.reviewId} is not null`),
    index('training_assignments_reference_idx').on(table.referenceConversationId, table.assigneeUserId).where(sql`${table.referenceConversationId} is not null`),
  ],
);

/** Each submission of an assignment's quiz, scored on the server. */
export const trainingAttempts = pgTable(
  'training_attempts',
  {
    id: uuid('id').primaryKey(),
    assignmentId: uuid('assignment_id')
      .notNull()
      .references(() => trainingAssignments.id),
    number: integer('number').notNull(),
    answers: jsonb('answers').$type<QuizAnswers>().notNull(),
    scorePercent: numeric('score_percent', { precision: 5, scale: 2, mode: 'number' }).notNull(),
    passed: boolean('passed').notNull(),
    submittedBy: text('submitted_by').notNull(),
    submittedAt: timestamp('submitted_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [uniqueIndex('training_attempts_number_uq').on(table.assignmentId, table.number)],
);

/**
 * Each step of an assignment, in the transaction that made it: its history, and the outbox its follow-up
 * workflow reads to tell the reviewed conversation's lifecycle and the notification outbox reads for mails.
 */
export const trainingEvents = pgTable(
  'training_events',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    assignmentId: uuid('assignment_id')
      .notNull()
      .references(() => trainingAssignments.id),
    conversationId: uuid('conversation_id'),
    step: text('step').notNull(),
    actor: text('actor').notNull(),
    detail: jsonb('detail').$type<Record<string, unknown>>().notNull().default(sql`'{}'::jsonb`),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [index('training_events_assignment_idx').on(table.assignmentId, table.id)],
);
