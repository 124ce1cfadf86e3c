import { sql } from 'drizzle-orm';
import { index, integer, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';

/**
 * One row per conversation (a call with all its legs, a chat, an email). The lifecycle workflow owns
 * the row; this is its searchable mirror and the authority a reconciliation sweep reads.
 */
export const conversations = pgTable(
  'conversations',
  {
    id: uuid('id').primaryKey(),
    /** Where it came from and its key there: (amazon-connect, InitialContactId), (email, Message-ID), ... */
    source: text('source').notNull(),
    externalKey: text('external_key').notNull(),
    channel: text('channel').notNull(),
    lifecycleState: text('lifecycle_state').notNull().default('captured'),
    startedAt: timestamp('started_at', { withTimezone: true }),
    endedAt: timestamp('ended_at', { withTimezone: true }),
    agentUsername: text('agent_username'),
    queueName: text('queue_name'),
    customerAddress: text('customer_address'),
    systemAddress: text('system_address'),
    attributes: jsonb('attributes').$type<Record<string, string>>().notNull().default(sql`'{}'::jsonb`),
    workflowId: text('workflow_id').notNull(),
    /** Values the engine kept but did not recognise (src/domain/contact-record.ts CAPTURE_FLAGS), for someone to look at. */
    captureFlags: text('capture_flags').array().notNull().default(sql`'{}'::text[]`),
    /** MiFID protection: only ever moved later (GREATEST), never shortened by a policy change. */
    protectedUntil: timestamp('protected_until', { withTimezone: true }),
    /** When a delete task will remove it (mirror of the workflow's plan, for overviews); null: no task applies. */
    deleteDueAt: timestamp('delete_due_at', { withTimezone: true }),
    deleteTaskId: uuid('delete_task_id'),
    /** Tombstone: the row stays after deletion, its content does not. */
    deletedAt: timestamp('deleted_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    uniqueIndex('conversations_source_key_uq').on(table.source, table.externalKey),
    // Keyset pagination over time, newest first, is the default listing.
    index('conversations_started_idx').on(table.startedAt.desc(), table.id.desc()),
    index('conversations_agent_idx').on(table.agentUsername),
    // Conversation Explorer filters (src/search): each one given narrows by an index.
    index('conversations_channel_started_idx').on(table.channel, table.startedAt.desc(), table.id.desc()),
    index('conversations_queue_idx').on(table.queueName),
    index('conversations_customer_address_idx').on(table.customerAddress),
    index('conversations_system_address_idx').on(table.systemAddress),
    index('conversations_attributes_idx').using('gin', table.attributes.op('jsonb_path_ops')),
    // Flagged conversations are rare: searched by flag and counted for capture health from this small index.
    index('conversations_capture_flags_idx').using('gin', table.captureFlags).where(sql`${table.captureFlags} <> '{}'::text[]`),
    index('conversations_delete_due_idx').on(table.deleteDueAt).where(sql`${table.deletedAt} is null`),
  ],
);

/**
 * Amazon Connect contact records: one row per ContactId, holding the newest copy delivered
 * (at-least-once delivery: the highest LastUpdateTimestamp wins).
 */
export const contactRecords = pgTable(
  'contact_records',
  {
    contactId: text('contact_id').primaryKey(),
    conversationId: uuid('conversation_id')
      .notNull()
      .references(() => conversations.id),
    initialContactId: text('initial_contact_id'),
    previousContactId: text('previous_contact_id'),
    nextContactId: text('next_contact_id'),
    channel: text('channel').notNull(),
    initiationMethod: text('initiation_method'),
    initiationTimestamp: timestamp('initiation_timestamp', { withTimezone: true }),
    disconnectTimestamp: timestamp('disconnect_timestamp', { withTimezone: true }),
    lastUpdateTimestamp: timestamp('last_update_timestamp', { withTimezone: true }).notNull(),
    /** SHA-256 of the canonical JSON, so an identical replay is told apart from a same-time correction. */
    payloadSha256: text('payload_sha256').notNull(),
    record: jsonb('record').notNull(),
    deliveries: integer('deliveries').notNull().default(1),
    receivedAt: timestamp('received_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [index('contact_records_conversation_idx').on(table.conversationId)],
);
