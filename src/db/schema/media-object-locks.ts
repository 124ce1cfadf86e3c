import { sql } from 'drizzle-orm';
import { boolean, check, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

/**
 * The Object Lock state last applied to each stored media object (MEDIA_STORE=s3): what the lock
 * reconciler compares with the state the conversations referring to the object ask for. A row is written
 * only after the store accepted the change, so a crash in between leaves the old state and the next pass
 * applies it again (PutObjectRetention and PutObjectLegalHold are idempotent).
 */
export const mediaObjectLocks = pgTable(
  'media_object_locks',
  {
    sha256: text('sha256').primaryKey(),
    /** The object version the lock is on (the only one the engine writes under a key). */
    versionId: text('version_id'),
    /** Only ever moved later: Object Lock cannot shorten a COMPLIANCE retention, and the engine never asks it to. */
    retainUntil: timestamp('retain_until', { withTimezone: true }),
    legalHold: boolean('legal_hold').notNull().default(false),
    appliedAt: timestamp('applied_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [check('media_object_locks_sha256_ck', sql`${table.sha256} ~ '^[0-9a-f]{64}$'`)],
);
