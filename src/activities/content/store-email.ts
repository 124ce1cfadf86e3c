import { eq } from 'drizzle-orm';
import { workflowActor } from '../../audit/write/actor.js';
import { appendAudit, syncEntry } from '../../audit/write/audit-writer.js';
import type { Executor } from '../../db/client.js';
import { conversationEmails, conversations } from '../../db/schema/index.js';
import { refreshSearchDocument } from '../../search/search-document.js';
import type { CaptureContentResult, CaptureEmailContent } from '../../workflows/conversation-lifecycle.contract.js';
import type { RequestContext } from '../../audit/write/actor.js';
import type { ActivityDeps } from '../deps.js';
import { changedByRequest, claimConversation } from './captured-conversation.js';
import { isEmailRefusal, parseEmail, parseEmailHeaders, type ParsedEmail } from './email-parser.js';
import { readStoredOriginal } from './stored-original.js';
import { CAPTURE_FLAGS, type CaptureFlag } from '../../domain/contact-record.js';
import { sharesMessageId } from '../../domain/email-envelope.js';
import { attachMedia, mediaOfConversation, type MediaReference } from '../../media/conversation-media.js';

export interface StoreEmailInput {
  conversationId: string;
  source: string;
  externalKey: string;
  email: CaptureEmailContent['email'];
  context: RequestContext;
  workflow: { workflowId: string; runId: string };
}

/** The conversation attributes that flag an email the parser refused, and why; `attr.unparsed=true` finds them all. */
export const UNPARSED_ATTRIBUTE = 'unparsed';
export const UNPARSED_REASON_ATTRIBUTE = 'unparsedReason';
const MAX_REASON_CHARS = 1_000;

const NOTHING_KNOWN: ParsedEmail = { messageId: null, from: null, to: [], cc: [], bcc: [], subject: null, bodyText: null, sentAt: null, dateUnreadable: false, attachments: [] };

/** What a kept message lacks or shares, flagged for someone to look at (CAPTURE_FLAGS). */
function captureFlagsOf(email: ParsedEmail, externalKey: string): CaptureFlag[] {
  return [
    ...(email.from ? [] : (['email-without-sender'] as const)),
    ...(email.dateUnreadable ? (['email-unreadable-date'] as const) : []),
    ...(sharesMessageId(externalKey) ? (['email-shared-message-id'] as const) : []),
  ];
}

/**
 * The parsed message, or, when mailparser refuses it, what its top-level header says and the parser's
 * reason: a recorder keeps what it was sent, so a refused message is still captured, flagged unparsed.
 */
async function readEmail(raw: Buffer): Promise<{ email: ParsedEmail; unparsed: { reason: string } | null }> {
  try {
    return { email: await parseEmail(raw), unparsed: null };
  } catch (error) {
    if (!isEmailRefusal(error)) throw error;
    return { email: (await parseEmailHeaders(raw)) ?? NOTHING_KNOWN, unparsed: { reason: error.message.slice(0, MAX_REASON_CHARS) } };
  }
}

async function unparsedOf(db: Executor, conversationId: string): Promise<{ unparsed?: { reason: string } }> {
  const [row] = await db.select({ attributes: conversations.attributes }).from(conversations).where(eq(conversations.id, conversationId));
  return row?.attributes[UNPARSED_ATTRIBUTE] === 'true' ? { unparsed: { reason: row.attributes[UNPARSED_REASON_ATTRIBUTE] ?? '' } } : {};
}

/**
 * Stores an email whose raw message the API put in the media store: parses it, stores its attachments
 * as media, and records the conversation with its searchable fields. The same message again is a duplicate.
 * A message the parser refuses is captured all the same, with its original and its header's fields only.
 */
export async function storeEmail({ db, media }: ActivityDeps, input: StoreEmailInput): Promise<CaptureContentResult> {
  const raw = await readStoredOriginal(media, input.email.rawSha256);
  const { email, unparsed } = await readEmail(raw);
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
      attributes: unparsed ? { [UNPARSED_ATTRIBUTE]: 'true', [UNPARSED_REASON_ATTRIBUTE]: unparsed.reason } : {},
    });
    if (!created) {
      const outcome = (await changedByRequest(tx, conversationId, 'CONVERSATION_CAPTURED', context.correlationId)) ? 'created' : 'duplicate';
      return { conversationId, kind: 'email', outcome, media: await mediaOfConversation(tx, conversationId), ...(await unparsedOf(tx, conversationId)) };
    }

    const flags = captureFlagsOf(email, input.externalKey);
    if (flags.length > 0) await tx.update(conversations).set({ captureFlags: flags }).where(eq(conversations.id, conversationId));
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
        description:
          `Conversation ${conversationId} captured from email ${email.messageId ?? input.email.messageId ?? input.email.rawSha256}` +
          `${unparsed ? `, unparsed: ${unparsed.reason}` : ''}${flags.map((flag) => `; ${CAPTURE_FLAGS[flag]}`).join('')}`,
        details: {
          messageId: email.messageId ?? input.email.messageId,
          externalKey: input.externalKey,
          ...(flags.length > 0 ? { captureFlags: flags } : {}),
          rawSha256: input.email.rawSha256,
          attachments: email.attachments.length,
          requestedBy: context.actor.id,
          ...(unparsed ? { unparsed: unparsed.reason } : {}),
        },
        correlationId: context.correlationId,
        conversationId,
      }),
    ]);
    return { conversationId, kind: 'email', outcome: 'created', media: await mediaOfConversation(tx, conversationId), ...(unparsed ? { unparsed } : {}) };
  });
}
