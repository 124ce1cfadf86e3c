import { workflowActor } from '../../audit/actor.js';
import { appendAudit, syncEntry } from '../../audit/audit-writer.js';
import { conversationEmails } from '../../db/schema/index.js';
import { refreshSearchDocument } from '../../search/search-document.js';
import type { CaptureContentResult, CaptureEmailContent, RequestContext } from '../../workflows/conversation-lifecycle.contract.js';
import type { ActivityDeps } from '../deps.js';
import { changedByRequest, claimConversation } from './captured-conversation.js';
import { parseEmail } from './email-parser.js';
import { readStoredOriginal } from './stored-original.js';
import { attachMedia, mediaOfConversation, type MediaReference } from '../../media/conversation-media.js';

export interface StoreEmailInput {
  conversationId: string;
  source: string;
  externalKey: string;
  email: CaptureEmailContent['email'];
  context: RequestContext;
  workflow: { workflowId: string; runId: string };
}

/**
 * Stores an email whose raw message the API put in the media store: parses it, stores its attachments
 * as media, and records the conversation with its searchable fields. The same message again is a duplicate.
 */
export async function storeEmail({ db, media }: ActivityDeps, input: StoreEmailInput): Promise<CaptureContentResult> {
  const raw = await readStoredOriginal(media, input.email.rawSha256);
  const email = await parseEmail(raw);
  const references: MediaReference[] = [
    { sha256: input.email.rawSha256, sizeBytes: raw.byteLength, kind: 'original', fileName: null, contentType: 'message/rfc822' },
  ];
  for (const attachment of email.attachments) {
    const stored = await media.put(attachment.content);
    references.push({ sha256: stored.sha256, sizeBytes: stored.sizeBytes, kind: 'attachment', fileName: attachment.fileName, contentType: attachment.contentType });
  }
  const actor = workflowActor(input.workflow.workflowId, input.workflow.runId);
  const { conversationId, context } = input;
  // A message without a Date header is dated when it was imported.
  const sentAt = email.sentAt ?? new Date();

  return db.transaction(async (tx) => {
    const created = await claimConversation(tx, {
      id: conversationId,
      source: input.source,
      externalKey: input.externalKey,
      channel: 'EMAIL',
      workflowId: input.workflow.workflowId,
      startedAt: sentAt,
      endedAt: sentAt,
    });
    if (!created) {
      const outcome = (await changedByRequest(tx, conversationId, 'CONVERSATION_CAPTURED', context.correlationId)) ? 'created' : 'duplicate';
      return { conversationId, kind: 'email', outcome, media: await mediaOfConversation(tx, conversationId) };
    }

    await attachMedia(tx, conversationId, references);
    const parties = [email.from, ...email.to, ...email.cc, ...email.bcc];
    await tx.insert(conversationEmails).values({
      conversationId,
      messageId: email.messageId ?? input.email.messageId,
      fromAddress: email.from?.address ?? null,
      toAddresses: email.to.map((party) => party.address),
      ccAddresses: email.cc.map((party) => party.address),
      bccAddresses: email.bcc.map((party) => party.address),
      displayNames: [...new Set(parties.map((party) => party?.name).filter((name): name is string => !!name))],
      subject: email.subject,
      bodyText: email.bodyText,
      sentAt: email.sentAt,
      rawSha256: input.email.rawSha256,
    });
    await refreshSearchDocument(tx, conversationId);
    await appendAudit(tx, [
      syncEntry({
        activity: 'CONVERSATION_CAPTURED',
        result: 'OK',
        actor,
        description: `Conversation ${conversationId} captured from email ${email.messageId ?? input.email.rawSha256}`,
        details: { messageId: email.messageId, rawSha256: input.email.rawSha256, attachments: email.attachments.length, requestedBy: context.actor.id },
        correlationId: context.correlationId,
        conversationId,
      }),
    ]);
    return { conversationId, kind: 'email', outcome: 'created', media: await mediaOfConversation(tx, conversationId) };
  });
}
