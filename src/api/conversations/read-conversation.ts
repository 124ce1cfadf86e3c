import { eq } from 'drizzle-orm';
import type { Executor } from '../../db/client.js';
import { contactRecords, conversations } from '../../db/schema/index.js';
import { CAPTURE_FLAGS, type CaptureFlag, type ContactRecord } from '../../domain/contact-record.js';
import { orderLegs } from '../../domain/conversation-summary.js';
import { chatContentOf, DEFAULT_MESSAGES_LIMIT, emailContentOf, segmentsOf, tagsOf, transferTargetsOf, type MessagesPage } from './conversation-content.js';

const iso = (date: Date | null) => (date ? date.toISOString() : null);

export async function readConversation(db: Executor, conversationId: string, page: MessagesPage = { limit: DEFAULT_MESSAGES_LIMIT, after: null }) {
  const [conversation] = await db.select().from(conversations).where(eq(conversations.id, conversationId));
  if (!conversation) return undefined;
  const rows = await db.select().from(contactRecords).where(eq(contactRecords.conversationId, conversationId));
  const byContactId = new Map(rows.map((row) => [row.contactId, row]));
  const legs = orderLegs(rows.map((row) => row.record as ContactRecord)).map((record) => {
    const row = byContactId.get(record.ContactId)!;
    return {
      contactId: row.contactId,
      channel: row.channel,
      initiationMethod: row.initiationMethod,
      initiationTimestamp: iso(row.initiationTimestamp),
      disconnectTimestamp: iso(row.disconnectTimestamp),
      lastUpdateTimestamp: row.lastUpdateTimestamp.toISOString(),
      deliveries: row.deliveries,
      previousContactId: row.previousContactId,
      nextContactId: row.nextContactId,
    };
  });
  return {
    id: conversation.id,
    source: conversation.source,
    externalKey: conversation.externalKey,
    channel: conversation.channel,
    lifecycleState: conversation.lifecycleState,
    startedAt: iso(conversation.startedAt),
    endedAt: iso(conversation.endedAt),
    agentUsername: conversation.agentUsername,
    queueName: conversation.queueName,
    customerAddress: conversation.customerAddress,
    systemAddress: conversation.systemAddress,
    attributes: conversation.attributes,
    captureFlags: conversation.captureFlags.map((code) => ({ code, description: CAPTURE_FLAGS[code as CaptureFlag] ?? code })),
    workflowId: conversation.workflowId,
    legs,
    email: await emailContentOf(db, conversationId),
    chat: await chatContentOf(db, conversationId, page),
    segments: await segmentsOf(db, conversationId),
    transferTargets: await transferTargetsOf(db, conversationId),
    tags: await tagsOf(db, conversationId),
  };
}
