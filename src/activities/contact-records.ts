import { ApplicationFailure } from '@temporalio/activity';
import { eq, sql } from 'drizzle-orm';
import { workflowActor } from '../audit/write/actor.js';
import { appendAudit, syncEntry } from '../audit/write/audit-writer.js';
import { contactRecords, conversations } from '../db/schema/index.js';
import type { Transaction } from '../db/client.js';
import { channelOf, compareDelivery, contactRecordSchema, type ContactRecord, type ContactRecordReference } from '../domain/contact-record.js';
import { takeHeldContactRecord } from '../contact-records/held-deliveries.js';
import { summarizeLegs } from '../domain/conversation-summary.js';
import { FailureType } from '../domain/failures.js';
import { canonicalJson, sha256Hex } from '../lib/digest.js';
import { recordNamedRecordings } from '../recordings/recording-fetches.js';
import { refreshSearchDocument } from '../search/search-document.js';
import type { CaptureContactRecordResult } from '../workflows/conversation-lifecycle.contract.js';
import type { RequestContext } from '../audit/write/actor.js';
import { lockLiveConversation } from './conversation-lock.js';
import type { ActivityDeps } from './deps.js';

export interface StoreContactRecordInput {
  conversationId: string;
  source: string;
  externalKey: string;
  /** The record held by the API (contact_record_deliveries), by digest. */
  delivery?: ContactRecordReference;
  /** The record itself: only from updates sent before records travelled by reference. */
  record?: Record<string, unknown>;
  context: RequestContext;
  workflow: { workflowId: string; runId: string };
}

function invalidRecord(message: string): ApplicationFailure {
  return ApplicationFailure.nonRetryable(message, FailureType.InvalidInput);
}

/** The delivered record, validated, and the digest it is known by. */
function checkedRecord(raw: Record<string, unknown>): { record: ContactRecord; raw: Record<string, unknown>; digest: string } {
  const parsed = contactRecordSchema.safeParse(raw);
  if (!parsed.success) throw invalidRecord(parsed.error.issues[0]?.message ?? 'invalid record');
  return { record: parsed.data, raw, digest: sha256Hex(canonicalJson(raw)) };
}

async function refreshConversationSummary(tx: Transaction, conversationId: string): Promise<void> {
  const legs = await tx.select({ record: contactRecords.record }).from(contactRecords).where(eq(contactRecords.conversationId, conversationId));
  const summary = summarizeLegs(legs.map((leg) => leg.record as ContactRecord));
  await tx
    .update(conversations)
    .set({ ...summary, updatedAt: sql`now()` })
    .where(eq(conversations.id, conversationId));
}

export function contactRecordActivities({ db, recordingFetch }: ActivityDeps) {
  return {
    /**
     * Stores one delivery of a contact record. Safe to retry: a repeated delivery of the stored copy is a
     * duplicate and writes nothing but its delivery count.
     */
    async storeContactRecord(input: StoreContactRecordInput): Promise<CaptureContactRecordResult> {
      const delivery = input.delivery ?? null;
      const direct = delivery ? null : checkedRecord(input.record ?? {});
      const contactId = delivery?.contactId ?? direct!.record.ContactId;
      const actor = workflowActor(input.workflow.workflowId, input.workflow.runId);

      return db.transaction(async (tx) => {
        const createdConversation = await tx
          .insert(conversations)
          .values({
            id: input.conversationId,
            source: input.source,
            externalKey: input.externalKey,
            channel: delivery?.channel ?? channelOf(direct!.record),
            workflowId: input.workflow.workflowId,
          })
          .onConflictDoNothing()
          .returning({ id: conversations.id });

        // A late re-delivery must never bring a deleted conversation back.
        await lockLiveConversation(tx, input.conversationId);
        // Lock the stored copy (if any) so concurrent deliveries of one ContactId are decided one at a time.
        const [stored] = await tx
          .select({ lastUpdate: contactRecords.lastUpdateTimestamp, digest: contactRecords.payloadSha256 })
          .from(contactRecords)
          .where(eq(contactRecords.contactId, contactId))
          .for('update');

        let delivered = direct;
        if (delivery) {
          const held = await takeHeldContactRecord(tx, delivery.sha256);
          if (!held) {
            // Taken already: by this activity's attempt that committed before its worker died, or by an
            // identical delivery decided first. The stored copy is then this one, or a newer one that won
            // since: either way this delivery changes nothing, as it would have had it been decided first.
            const decided = stored ? compareDelivery(stored, { lastUpdate: new Date(delivery.lastUpdateTimestamp), digest: delivery.sha256 }) : undefined;
            if (decided === 'duplicate' || decided === 'stale') {
              await tx.update(contactRecords).set({ deliveries: sql`${contactRecords.deliveries} + 1` }).where(eq(contactRecords.contactId, contactId));
              return { conversationId: input.conversationId, contactId, outcome: decided };
            }
            throw ApplicationFailure.nonRetryable(`contact record ${delivery.sha256} is no longer held; deliver it again`, FailureType.NotFound);
          }
          delivered = checkedRecord(held);
          if (delivered.digest !== delivery.sha256 || delivered.record.ContactId !== contactId) throw invalidRecord(`the record held as ${delivery.sha256} does not match its reference`);
        }
        const { record, raw } = delivered!;
        const incoming = { lastUpdate: new Date(record.LastUpdateTimestamp), digest: delivered!.digest };
        const outcome = compareDelivery(stored, incoming);
        const row = {
          contactId: record.ContactId,
          conversationId: input.conversationId,
          initialContactId: record.InitialContactId ?? null,
          previousContactId: record.PreviousContactId ?? null,
          nextContactId: record.NextContactId ?? null,
          channel: channelOf(record),
          initiationMethod: record.InitiationMethod ?? null,
          initiationTimestamp: record.InitiationTimestamp ? new Date(record.InitiationTimestamp) : null,
          disconnectTimestamp: record.DisconnectTimestamp ? new Date(record.DisconnectTimestamp) : null,
          lastUpdateTimestamp: incoming.lastUpdate,
          payloadSha256: incoming.digest,
          record: raw,
        };

        if (outcome === 'created') {
          const inserted = await tx.insert(contactRecords).values(row).onConflictDoNothing().returning({ id: contactRecords.contactId });
          // Lost a race with a concurrent first delivery: let the retry decide against the stored copy.
          if (inserted.length === 0) throw new Error(`concurrent first delivery of ${record.ContactId}`);
        } else if (outcome === 'updated') {
          await tx
            .update(contactRecords)
            .set({ ...row, deliveries: sql`${contactRecords.deliveries} + 1`, receivedAt: sql`now()` })
            .where(eq(contactRecords.contactId, record.ContactId));
        } else {
          await tx
            .update(contactRecords)
            .set({ deliveries: sql`${contactRecords.deliveries} + 1` })
            .where(eq(contactRecords.contactId, record.ContactId));
        }

        if (outcome === 'created' || outcome === 'updated') {
          await refreshConversationSummary(tx, input.conversationId);
          await refreshSearchDocument(tx, input.conversationId);
          const details = { contactId: record.ContactId, lastUpdateTimestamp: record.LastUpdateTimestamp, outcome };
          const entries = [];
          if (createdConversation.length > 0) {
            entries.push(
              syncEntry({
                activity: 'CONVERSATION_CAPTURED',
                result: 'OK',
                actor,
                description: `Conversation ${input.conversationId} captured from ${input.source} contact ${record.ContactId}`,
                details: { ...details, channel: channelOf(record), requestedBy: input.context.actor.id },
                correlationId: input.context.correlationId,
                conversationId: input.conversationId,
              }),
            );
          } else {
            entries.push(
              syncEntry({
                activity: 'CONTACT_RECORD_UPDATED',
                result: 'OK',
                actor,
                description: `Contact ${record.ContactId} of conversation ${input.conversationId} ${outcome === 'created' ? 'added as a new leg' : 'updated to a newer copy'}`,
                details: { ...details, requestedBy: input.context.actor.id },
                correlationId: input.context.correlationId,
                conversationId: input.conversationId,
              }),
            );
          }
          // The S3 recordings the record names, as pending fetches; their notices go in the same audit append.
          entries.push(...(await recordNamedRecordings(tx, { conversationId: input.conversationId, record, fetchEnabled: Boolean(recordingFetch?.s3), actor })));
          await appendAudit(tx, entries);
        }
        return { conversationId: input.conversationId, contactId: record.ContactId, outcome };
      });
    },
  };
}
