import { bigint, bigserial, check, index, jsonb, pgTable, smallint, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { sql } from 'drizzle-orm';

/**
 * Append-only audit history. `chain_seq`, `prev_hash` and `hash` are assigned by a database trigger
 * (drizzle/0001_audit_chain.sql) under a lock on `audit_chain_head`, so every writer, whatever its code
 * path, extends one chain without forks or gaps; UPDATE, DELETE and TRUNCATE are refused by triggers.
 */
export const auditLog = pgTable(
  'audit_log',
  {
    id: bigserial('id', { mode: 'bigint' }).primaryKey(),
    // Defaults are placeholders: the trigger overwrites these four on every insert.
    chainSeq: bigint('chain_seq', { mode: 'bigint' }).notNull().unique().default(sql`0`),
    occurredAt: timestamp('occurred_at', { withTimezone: true, precision: 6 }).notNull().defaultNow(),
    module: text('module').notNull(),
    activity: text('activity').notNull(),
    /** BEGIN and END for asynchronous activities, SYNC for synchronous ones. */
    phase: text('phase').notNull(),
    /** OK, FAIL or UNAUTHORIZED; empty on a BEGIN entry, as in the seed's Audit Log. */
    result: text('result'),
    actorType: text('actor_type').notNull(),
    actorId: text('actor_id').notNull(),
    actorUsername: text('actor_username').notNull(),
    actorFullName: text('actor_full_name').notNull(),
    description: text('description').notNull(),
    details: jsonb('details').$type<Record<string, unknown>>().notNull().default(sql`'{}'::jsonb`),
    correlationId: text('correlation_id').notNull(),
    conversationId: uuid('conversation_id'),
    prevHash: text('prev_hash').notNull().default(''),
    hash: text('hash').notNull().default(''),
  },
  (table) => [
    check('audit_log_phase_ck', sql`${table.phase} in ('BEGIN', 'END', 'SYNC')`),
    check('audit_log_result_ck', sql`${table.result} is null or ${table.result} in ('OK', 'FAIL', 'UNAUTHORIZED')`),
    check('audit_log_result_phase_ck', sql`(${table.phase} = 'BEGIN') = (${table.result} is null)`),
    // Every filter of the Audit Log screen is "newest first within a time range", plus one equality.
    // NULLS FIRST is what ORDER BY ... DESC means; with drizzle's default (NULLS LAST) PostgreSQL sorts instead.
    index('audit_log_time_idx').on(table.occurredAt.desc().nullsFirst(), table.id.desc().nullsFirst()),
    index('audit_log_activity_time_idx').on(table.activity, table.occurredAt.desc().nullsFirst(), table.id.desc().nullsFirst()),
    index('audit_log_actor_time_idx').on(table.actorId, table.occurredAt.desc().nullsFirst(), table.id.desc().nullsFirst()),
    // The Audit Log screen's user filter accepts a username as well as an id.
    index('audit_log_actor_username_time_idx').on(table.actorUsername, table.occurredAt.desc().nullsFirst(), table.id.desc().nullsFirst()),
    index('audit_log_result_time_idx').on(table.result, table.occurredAt.desc().nullsFirst(), table.id.desc().nullsFirst()),
    index('audit_log_conversation_idx').on(table.conversationId, table.chainSeq).where(sql`${table.conversationId} is not null`),
    index('audit_log_correlation_idx').on(table.correlationId),
  ],
);

/** The single row holding the chain's head; writers lock it to extend the chain. */
export const auditChainHead = pgTable(
  'audit_chain_head',
  {
    id: smallint('id').primaryKey().default(1),
    chainSeq: bigint('chain_seq', { mode: 'bigint' }).notNull(),
    hash: text('hash').notNull(),
  },
  (table) => [check('audit_chain_head_single_row_ck', sql`${table.id} = 1`)],
);
