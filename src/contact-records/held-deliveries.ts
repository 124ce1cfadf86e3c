import { eq, inArray } from 'drizzle-orm';
import type { Executor } from '../db/client.js';
import { contactRecordDeliveries } from '../db/schema/index.js';

/**
 * Contact records between their delivery and their capture. The record is the customer's data (number,
 * name, attributes), so it is held in PostgreSQL, where anonymisation erases it, and the lifecycle's update
 * names it by digest: Temporal keeps closed histories until the namespace's retention ends. A row, not a
 * media file: a whole batch is held with one INSERT (no file and fsync per record), and the activity takes
 * it in the transaction that stores the record.
 */
export interface HeldContactRecord {
  payloadSha256: string;
  conversationId: string;
  contactId: string;
  record: Record<string, unknown>;
}

/** Rows per INSERT: a batch of 500 records of a few KB each stays one statement of modest size. */
const HOLD_CHUNK = 100;

/** Holds delivered records; one already held under the same digest (a replay in flight) is kept as is. */
export async function holdContactRecords(db: Executor, records: readonly HeldContactRecord[]): Promise<void> {
  for (let start = 0; start < records.length; start += HOLD_CHUNK) {
    await db.insert(contactRecordDeliveries).values(records.slice(start, start + HOLD_CHUNK)).onConflictDoNothing();
  }
}

/** Takes a held record for storing: gone with the caller's commit, back if its transaction rolls back. */
export async function takeHeldContactRecord(tx: Executor, payloadSha256: string): Promise<Record<string, unknown> | null> {
  const [held] = await tx
    .delete(contactRecordDeliveries)
    .where(eq(contactRecordDeliveries.payloadSha256, payloadSha256))
    .returning({ record: contactRecordDeliveries.record });
  return (held?.record as Record<string, unknown> | undefined) ?? null;
}

/** Drops records whose capture was refused (invalid, or a deleted conversation): nothing will take them. */
export async function releaseHeldContactRecords(db: Executor, payloadSha256s: readonly string[]): Promise<void> {
  if (payloadSha256s.length === 0) return;
  await db.delete(contactRecordDeliveries).where(inArray(contactRecordDeliveries.payloadSha256, [...payloadSha256s]));
}

/** Erases whatever is still held for a conversation (anonymisation), returning what was destroyed. */
export async function eraseHeldContactRecords(tx: Executor, conversationId: string): Promise<{ contactId: string; sha256: string }[]> {
  return tx
    .delete(contactRecordDeliveries)
    .where(eq(contactRecordDeliveries.conversationId, conversationId))
    .returning({ contactId: contactRecordDeliveries.contactId, sha256: contactRecordDeliveries.payloadSha256 });
}
