import { sql } from 'drizzle-orm';
import { boolean, integer, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import type { RuleMatch } from '../../domain/recording-rules.js';

/** Admin-defined recording rules, evaluated top to bottom (by position) per segment; first match wins. */
export const recordingRules = pgTable('recording_rules', {
  id: uuid('id').primaryKey(),
  name: text('name').notNull(),
  position: integer('position').notNull(),
  match: jsonb('match').$type<RuleMatch>().notNull(),
  action: text('action').$type<'record' | 'do-not-record'>().notNull(),
  tagName: text('tag_name'),
  tagValue: text('tag_value'),
  requireConsent: boolean('require_consent').notNull().default(false),
  enabled: boolean('enabled').notNull().default(true),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().default(sql`now()`),
});
