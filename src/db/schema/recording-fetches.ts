import { sql } from 'drizzle-orm';
import { bigint, check, index, integer, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { conversations } from './conversations.js';

export const RECORDING_FETCH_STATUSES = ['pending', 'fetched', 'given-up'] as const;
export type RecordingFetchStatus = (typeof RECORDING_FETCH_STATUSES)[number];

/**
 * Recordings a contact record names in S3, one row per recording (and segment), written in the capture
 * transaction. The fetch sweep claims due rows, fetches and stores each one, or records why not and when
 * it tries again: nothing a record names is ever silently dropped.
 */
export const recordingFetches = pgTable(
  'recording_fetches',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    conversationId: uuid('conversation_id')
      .notNull()
      .references(() => conversations.id),
    /** The segment the fetched audio is bound to (created with this row for a contact-record conversation). */
    segmentIndex: integer('segment_index').notNull(),
    contactId: text('contact_id').notNull(),
    /** As the record wrote it. */
    location: text('location').notNull(),
    bucket: text('bucket').notNull(),
    objectKey: text('object_key').notNull(),
    status: text('status').$type<RecordingFetchStatus>().notNull().default('pending'),
    /** Failed attempts so far. */
    attempts: integer('attempts').notNull().default(0),
    lastError: text('last_error'),
    nextAttemptAt: timestamp('next_attempt_at', { withTimezone: true }).notNull().defaultNow(),
    /** Provenance of the fetched object. */
    versionId: text('version_id'),
    etag: text('etag'),
    sizeBytes: bigint('size_bytes', { mode: 'number' }),
    sha256: text('sha256'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
    fetchedAt: timestamp('fetched_at', { withTimezone: true }),
  },
  (table) => [
    // A re-delivered record names the same objects again: they are recorded once.
    uniqueIndex('recording_fetches_contact_location_uq').on(table.contactId, table.location),
    uniqueIndex('recording_fetches_segment_uq').on(table.conversationId, table.segmentIndex),
    // The sweep reads only what is due.
    index('recording_fetches_due_idx').on(table.nextAttemptAt).where(sql`${table.status} = 'pending'`),
    check('recording_fetches_status_ck', sql`${table.status} in ('pending', 'fetched', 'given-up')`),
  ],
);
