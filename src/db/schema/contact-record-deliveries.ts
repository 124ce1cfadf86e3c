import { index, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';

/**
 * Contact records as delivered, held between the API and the lifecycle activity that stores them, so the
 * workflow's update carries a reference (the digest) instead of the record: Temporal histories outlive
 * anonymisation, this row does not. The activity consumes the row in the transaction that stores the
 * record; anonymisation erases whatever is still held. No foreign key: a conversation's first record is
 * held before its conversation row exists.
 */
export const contactRecordDeliveries = pgTable(
  'contact_record_deliveries',
  {
    /** SHA-256 of the record's canonical JSON, as contact_records.payload_sha256. */
    payloadSha256: text('payload_sha256').primaryKey(),
    conversationId: uuid('conversation_id').notNull(),
    contactId: text('contact_id').notNull(),
    record: jsonb('record').notNull(),
    receivedAt: timestamp('received_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [index('contact_record_deliveries_conversation_idx').on(table.conversationId)],
);
