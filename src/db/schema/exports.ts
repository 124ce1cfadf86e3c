import { sql } from 'drizzle-orm';
import { bigint, boolean, check, index, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { users } from './identity.js';

/** When a scheduled export runs, in its time zone: every day, every Monday, or on the 1st of each month, at `at` (HH:MM). */
export interface ExportSchedule {
  every: 'day' | 'week' | 'month';
  at: string;
}

/**
 * A data export task (the seed's Data Export module): which rows (interaction metadata or review scores,
 * by filters), written as CSV in its owner's time zone, kept for download or emailed to its owner.
 */
export const dataExports = pgTable(
  'data_exports',
  {
    id: uuid('id').primaryKey(),
    name: text('name').notNull(),
    /** conversations: interaction metadata; review-scores: completed reviews and their scores. */
    source: text('source').notNull(),
    /** The source's filters, validated at the API edge by the source's own schema. */
    filters: jsonb('filters').$type<Record<string, unknown>>().notNull().default(sql`'{}'::jsonb`),
    /** Times in the file are written in this IANA zone (the requester's when the task was made). */
    timeZone: text('time_zone').notNull().default('UTC'),
    /** null: run by hand only. */
    schedule: jsonb('schedule').$type<ExportSchedule>(),
    /** download: kept for its owner to fetch; email: also mailed (attached up to a size limit, else a link). */
    delivery: text('delivery').notNull().default('download'),
    ownerId: uuid('owner_id')
      .notNull()
      .references(() => users.id),
    enabled: boolean('enabled').notNull().default(true),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
    removedAt: timestamp('removed_at', { withTimezone: true }),
  },
  (table) => [
    check('data_exports_source_ck', sql`${table.source} in ('conversations', 'review-scores')`),
    check('data_exports_delivery_ck', sql`${table.delivery} in ('download', 'email')`),
    index('data_exports_owner_idx').on(table.ownerId),
  ],
);

/** One run of an export and the file it wrote. */
export const dataExportRuns = pgTable(
  'data_export_runs',
  {
    id: uuid('id').primaryKey(),
    exportId: uuid('export_id')
      .notNull()
      .references(() => dataExports.id),
    trigger: text('trigger').notNull(),
    /** A scheduled run's nominal time: one run per firing, however often the schedule's action is retried. */
    scheduledFor: timestamp('scheduled_for', { withTimezone: true }),
    requestedBy: text('requested_by').notNull(),
    /** running → completed or failed. */
    status: text('status').notNull().default('running'),
    startedAt: timestamp('started_at', { withTimezone: true }).notNull().defaultNow(),
    finishedAt: timestamp('finished_at', { withTimezone: true }),
    rowCount: bigint('row_count', { mode: 'number' }),
    sizeBytes: bigint('size_bytes', { mode: 'number' }),
    /** The CSV's SHA-256, checked again whenever it is downloaded or attached. */
    sha256: text('sha256'),
    /** Where the file is, relative to the exports folder. */
    filePath: text('file_path'),
    emailedAt: timestamp('emailed_at', { withTimezone: true }),
    error: text('error'),
  },
  (table) => [
    check('data_export_runs_trigger_ck', sql`${table.trigger} in ('manual', 'scheduled')`),
    check('data_export_runs_status_ck', sql`${table.status} in ('running', 'completed', 'failed')`),
    uniqueIndex('data_export_runs_scheduled_uq').on(table.exportId, table.scheduledFor).where(sql`${table.scheduledFor} is not null`),
    index('data_export_runs_export_idx').on(table.exportId, table.startedAt.desc()),
  ],
);
