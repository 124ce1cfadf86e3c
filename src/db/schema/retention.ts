import { sql } from 'drizzle-orm';
import { bigint, boolean, index, integer, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { conversations } from './conversations.js';
import { taskRunColumns } from './task-runs.js';

/** Which conversations a delete task selects; every given criterion must hold. */
export interface DeleteTaskSelection {
  channel?: string | null;
  queue?: string | null;
  attribute?: { key: string; value: string } | null;
  /** Only conversations with no tag at all (the seed: the delete tool skips tagged segments). */
  untaggedOnly?: boolean;
  /** Only conversations carrying this tag (optionally with this value). */
  tag?: { name: string; value?: string | null } | null;
}

/** Admin-defined: delete the selected conversations this long after they started (the seed's MLM Delete Tool). */
export const deleteTasks = pgTable('delete_tasks', {
  id: uuid('id').primaryKey(),
  name: text('name').notNull(),
  selection: jsonb('selection').$type<DeleteTaskSelection>().notNull(),
  retentionSeconds: bigint('retention_seconds', { mode: 'number' }).notNull(),
  enabled: boolean('enabled').notNull().default(true),
  /** Run every this many seconds (a Temporal Schedule); null: runs only on demand. */
  intervalSeconds: integer('interval_seconds'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  removedAt: timestamp('removed_at', { withTimezone: true }),
});

/** Each delete run's progress and report, queryable after the run's workflow history is gone. */
export const deleteRuns = pgTable(
  'delete_runs',
  taskRunColumns(),
  (table) => [index('delete_runs_task_idx').on(table.taskId, table.startedAt)],
);

/** A legal hold protects indefinitely until explicitly released; released holds are kept as history. */
export const legalHolds = pgTable(
  'legal_holds',
  {
    id: uuid('id').primaryKey(),
    conversationId: uuid('conversation_id')
      .notNull()
      .references(() => conversations.id),
    reason: text('reason').notNull(),
    reference: text('reference'),
    /** For holds placed on all results of a search: the query, kept as the hold's scope. */
    scope: jsonb('scope').$type<Record<string, unknown>>(),
    placedAt: timestamp('placed_at', { withTimezone: true }).notNull().defaultNow(),
    placedBy: text('placed_by').notNull(),
    releasedAt: timestamp('released_at', { withTimezone: true }),
    releasedBy: text('released_by'),
    releaseReason: text('release_reason'),
  },
  (table) => [
    index('legal_holds_active_idx').on(table.conversationId).where(sql`${table.releasedAt} is null`),
    // Releasing a search hold finds its group's active holds without scanning every hold ever placed.
    index('legal_holds_active_group_idx').on(sql`(${table.scope}->>'holdGroupId')`).where(sql`${table.releasedAt} is null`),
  ],
);

/**
 * Content-free proof of each deletion, kept longer than the records: what was destroyed (digests), when,
 * why, under which task or request, and the audit chain position of the deletion's audit entry.
 */
export const disposalLedger = pgTable(
  'disposal_ledger',
  {
    id: uuid('id').primaryKey(),
    conversationId: uuid('conversation_id').notNull(),
    disposedAt: timestamp('disposed_at', { withTimezone: true }).notNull().defaultNow(),
    kind: text('kind').notNull(),
    reason: text('reason').notNull(),
    deleteTaskId: uuid('delete_task_id'),
    requestedBy: text('requested_by').notNull(),
    destroyed: jsonb('destroyed').$type<{ what: string; sha256: string }[]>().notNull(),
    auditCorrelationId: text('audit_correlation_id').notNull(),
  },
  (table) => [index('disposal_ledger_time_idx').on(table.disposedAt), index('disposal_ledger_conversation_idx').on(table.conversationId)],
);
