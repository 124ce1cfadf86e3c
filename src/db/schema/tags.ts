import { sql } from 'drizzle-orm';
import { boolean, index, integer, jsonb, pgTable, smallint, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { conversations } from './conversations.js';

/** Tags must be defined by an admin before anything can apply them; a tag may carry MiFID protection. */
export const tagDefinitions = pgTable('tag_definitions', {
  name: text('name').primaryKey(),
  description: text('description').notNull().default(''),
  /** 5 or 7 (MiFID II); null: the tag does not protect against deletion. */
  protectionYears: smallint('protection_years'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  createdBy: text('created_by').notNull(),
});

/**
 * Searchable mirror of the tags the lifecycle workflow holds, one row per (segment, tag name, source).
 * segment_index 0 stands for the conversation as a whole (chats, emails, contact-record attributes).
 */
export const conversationTags = pgTable(
  'conversation_tags',
  {
    conversationId: uuid('conversation_id')
      .notNull()
      .references(() => conversations.id),
    segmentIndex: integer('segment_index').notNull(),
    name: text('name').notNull(),
    value: text('value'),
    source: text('source').notNull(),
    appliedAt: timestamp('applied_at', { withTimezone: true }).notNull(),
  },
  (table) => [
    uniqueIndex('conversation_tags_uq').on(table.conversationId, table.segmentIndex, table.name, table.source),
    index('conversation_tags_name_value_idx').on(table.name, table.value),
  ],
);

/** Recorded segments of a call as the lifecycle workflow cut them (hold, transfer, consultation). */
export const conversationSegments = pgTable(
  'conversation_segments',
  {
    conversationId: uuid('conversation_id')
      .notNull()
      .references(() => conversations.id),
    segmentIndex: integer('segment_index').notNull(),
    kind: text('kind').notNull(),
    partyA: text('party_a').notNull(),
    partyB: text('party_b').notNull(),
    startedAt: timestamp('started_at', { withTimezone: true }).notNull(),
    endedAt: timestamp('ended_at', { withTimezone: true }),
    recorded: boolean('recorded').notNull(),
    ruleId: text('rule_id'),
    consent: text('consent').notNull(),
    mediaKept: boolean('media_kept').notNull(),
    metadata: jsonb('metadata').$type<Record<string, unknown>>().notNull().default(sql`'{}'::jsonb`),
  },
  (table) => [
    uniqueIndex('conversation_segments_uq').on(table.conversationId, table.segmentIndex),
    // The Conversation Explorer's phone filter matches any party of a segment.
    index('conversation_segments_party_a_idx').on(table.partyA),
    index('conversation_segments_party_b_idx').on(table.partyB),
  ],
);
