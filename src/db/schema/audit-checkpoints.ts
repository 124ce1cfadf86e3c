import { bigint, bigserial, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

/**
 * Periodic records of the audit chain's head. Verification checks that every checkpointed (chain_seq, hash)
 * is still in audit_log, so cutting off the tail of the log (and rewinding audit_chain_head) is detected.
 * Insert-only, like audit_log: triggers refuse UPDATE, DELETE and TRUNCATE, and an insert must name an
 * existing entry (drizzle/*_audit_checkpoints_guard.sql).
 */
export const auditCheckpoints = pgTable('audit_checkpoints', {
  id: bigserial('id', { mode: 'bigint' }).primaryKey(),
  chainSeq: bigint('chain_seq', { mode: 'bigint' }).notNull().unique(),
  hash: text('hash').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});
