import { sql } from 'drizzle-orm';
import { check, index, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';

export const HOLD_RELEASE_STATUSES = ['pending', 'approved'] as const;
export type HoldReleaseStatus = (typeof HOLD_RELEASE_STATUSES)[number];

/** What releasing would let go at once, computed when the release is requested (see src/legal-holds/release-requests.ts). */
export interface HoldReleaseReport {
  holds: number;
  conversations: number;
  /** Conversations no other hold or protection keeps, whose delete task's window has already passed. */
  dueAtOnce: number;
  /** The first of them, for the approver to look at. */
  dueAtOnceSample: { conversationId: string; deleteTaskId: string; dueAt: string }[];
}

/**
 * Four-eyes release of a legal hold: one person requests it, another with the right role approves it
 * before it expires; only the approval releases. A pending request past expires_at can no longer be approved.
 */
export const legalHoldReleases = pgTable(
  'legal_hold_releases',
  {
    id: uuid('id').primaryKey(),
    /** A search hold's group id, or a single hold's id. */
    holdGroupId: uuid('hold_group_id').notNull(),
    /** The conversation of a single hold; null for a search hold's group. */
    conversationId: uuid('conversation_id'),
    reason: text('reason').notNull(),
    requestedBy: text('requested_by').notNull(),
    requestedAt: timestamp('requested_at', { withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    status: text('status').$type<HoldReleaseStatus>().notNull().default('pending'),
    approvedBy: text('approved_by'),
    approvedAt: timestamp('approved_at', { withTimezone: true }),
    report: jsonb('report').$type<HoldReleaseReport>().notNull(),
  },
  (table) => [
    index('legal_hold_releases_group_idx').on(table.holdGroupId),
    check('legal_hold_releases_status_ck', sql`${table.status} in ('pending', 'approved')`),
    // The database enforces the four eyes too: whoever approves is not whoever asked.
    check('legal_hold_releases_four_eyes_ck', sql`${table.approvedBy} is null or ${table.approvedBy} <> ${table.requestedBy}`),
  ],
);
