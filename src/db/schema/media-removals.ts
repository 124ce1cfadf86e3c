import { sql } from 'drizzle-orm';
import { check, index, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { disposalLedger } from './retention.js';

/** removed: the file is gone; in-use: other conversations captured the same bytes before removal, so the file is theirs now. */
export const MEDIA_REMOVAL_OUTCOMES = ['removed', 'in-use'] as const;
export type MediaRemovalOutcome = (typeof MEDIA_REMOVAL_OUTCOMES)[number];

/**
 * Outbox of media files a disposal orphaned, written in the disposing transaction: a crash between its
 * commit and the file removal leaves the row pending, and the media sweep finishes it. Settled rows stay as
 * the proof of when the bytes were destroyed (the disposal ledger itself is append-only).
 */
export const mediaRemovals = pgTable(
  'media_removals',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    sha256: text('sha256').notNull(),
    conversationId: uuid('conversation_id').notNull(),
    disposalId: uuid('disposal_id')
      .notNull()
      .references(() => disposalLedger.id),
    queuedAt: timestamp('queued_at', { withTimezone: true }).notNull().defaultNow(),
    settledAt: timestamp('settled_at', { withTimezone: true }),
    outcome: text('outcome').$type<MediaRemovalOutcome>(),
    /** The object versions the store destroyed (MEDIA_STORE=s3); empty for a local folder, null while pending. */
    destroyedVersionIds: text('destroyed_version_ids').array(),
  },
  (table) => [
    uniqueIndex('media_removals_disposal_sha256_uq').on(table.disposalId, table.sha256),
    // The sweep reads only what is pending, oldest first.
    index('media_removals_pending_idx').on(table.queuedAt).where(sql`${table.settledAt} is null`),
    check('media_removals_outcome_ck', sql`(${table.settledAt} is null) = (${table.outcome} is null) and (${table.outcome} is null or ${table.outcome} in ('removed', 'in-use'))`),
  ],
);
