import { integer, jsonb, text, timestamp, uuid } from 'drizzle-orm/pg-core';

/** The columns every task run table shares (archive runs, delete runs): progress and a report. */
export function taskRunColumns() {
  return {
    id: text('id').primaryKey(),
    taskId: uuid('task_id').notNull(),
    startedAt: timestamp('started_at', { withTimezone: true }).notNull().defaultNow(),
    finishedAt: timestamp('finished_at', { withTimezone: true }),
    selected: integer('selected').notNull().default(0),
    done: integer('done').notNull().default(0),
    skipped: integer('skipped').notNull().default(0),
    failed: integer('failed').notNull().default(0),
    report: jsonb('report').$type<Record<string, unknown>>().notNull().default({}),
  };
}

export interface TaskRunRow {
  id: string;
  taskId: string;
  startedAt: Date;
  finishedAt: Date | null;
  selected: number;
  done: number;
  skipped: number;
  failed: number;
  report: Record<string, unknown>;
}
