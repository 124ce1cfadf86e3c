import { bigint, boolean, integer, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { taskRunColumns } from './task-runs.js';

export interface ArchiveTaskSelection {
  tag: { name: string; value?: string | null };
  channel?: string | null;
  /** Only conversations at least this old (since they started). */
  minAgeSeconds?: number | null;
}

/** The seed's "archive tagged calls to separate directories": each task its own destination and schedule. */
export const archiveTasks = pgTable('archive_tasks', {
  id: uuid('id').primaryKey(),
  name: text('name').notNull(),
  selection: jsonb('selection').$type<ArchiveTaskSelection>().notNull(),
  destination: text('destination').notNull(),
  /** Run every this many seconds (a Temporal Schedule); null: only on demand. */
  intervalSeconds: integer('interval_seconds'),
  paused: boolean('paused').notNull().default(false),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  removedAt: timestamp('removed_at', { withTimezone: true }),
});

/** One package per (task, conversation): re-running a task never archives a conversation twice. */
export const archiveCopies = pgTable(
  'archive_copies',
  {
    id: uuid('id').primaryKey(),
    taskId: uuid('task_id').notNull(),
    conversationId: uuid('conversation_id').notNull(),
    path: text('path').notNull(),
    manifestSha256: text('manifest_sha256').notNull(),
    auditChainSeq: bigint('audit_chain_seq', { mode: 'bigint' }).notNull(),
    archivedAt: timestamp('archived_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [uniqueIndex('archive_copies_task_conversation_uq').on(table.taskId, table.conversationId)],
);

/** Each run's progress and report, queryable after the run's workflow history is gone. */
export const archiveRuns = pgTable('archive_runs', taskRunColumns());
