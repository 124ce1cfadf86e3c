import type { RouteHandler } from '@hono/zod-openapi';
import { and, eq, isNull } from 'drizzle-orm';
import { auditedCall } from '../../../audit/write/audited.js';
import { contactRecords, conversations } from '../../../db/schema/index.js';
import { chatConversationKeyOf, readChatImport } from '../../../domain/chat-import.js';
import { conversationIdFor } from '../../../lib/ids.js';
import { AMAZON_CONNECT_SOURCE, CHAT_CAPTURE_SOURCE } from '../../../workflows/conversation-lifecycle.contract.js';
import type { AppEnv } from '../../context.js';
import type { ApiDeps } from '../../deps.js';
import { ProblemError } from '../../problem.js';
import { requestContext } from '../../request-context.js';
import { captureContent } from '../capture-content.js';
import { importResultOf } from '../import-result.js';
import type { postChatRoute } from './routes.js';

/**
 * Where a chat goes: its contact's conversation (shared with the CHAT contact record), unless it was
 * imported before chats joined their records, when its re-deliveries stay where it is.
 */
async function chatDestination(deps: ApiDeps, contactId: string, key: string): Promise<{ source: string; key: string }> {
  const [legacy] = await deps.db
    .select({ id: conversations.id })
    .from(conversations)
    .where(and(eq(conversations.id, conversationIdFor(CHAT_CAPTURE_SOURCE, contactId)), isNull(conversations.deletedAt)));
  return legacy ? { source: CHAT_CAPTURE_SOURCE, key: contactId } : { source: AMAZON_CONNECT_SOURCE, key };
}

/** When the contact began, from its stored contact record: the base of a Contact Lens file's offsets. */
async function contactStartOf(deps: ApiDeps, contactId: string): Promise<string | null> {
  const [row] = await deps.db.select({ at: contactRecords.initiationTimestamp }).from(contactRecords).where(eq(contactRecords.contactId, contactId));
  return row?.at ? row.at.toISOString() : null;
}

export function chatImportHandlers(deps: ApiDeps) {
  const postChat: RouteHandler<typeof postChatRoute, AppEnv> = async (c) => {
    // The body exactly as sent (read before validation, see index.ts): its digest matches the source's object.
    const raw = Buffer.from(await c.req.arrayBuffer());
    const body = c.req.valid('json');
    const lensContactId = (body as { CustomerMetadata?: { ContactId?: string } }).CustomerMetadata?.ContactId;
    const startedAt = lensContactId ? await contactStartOf(deps, lensContactId) : null;
    const read = readChatImport(body, startedAt);
    if (!read.ok) throw new ProblemError(422, 'Invalid chat transcript', { detail: read.message });
    const { transcript } = read.chat;
    const destination = await chatDestination(deps, transcript.ContactId, chatConversationKeyOf(transcript));
    const context = requestContext(c);
    const result = await auditedCall(
      deps.db,
      {
        ...context,
        activity: 'CHAT_IMPORT',
        description: `Chat transcript ${transcript.ContactId} received`,
        details: { contactId: transcript.ContactId, items: transcript.Transcript.length, format: read.chat.format },
        conversationId: conversationIdFor(destination.source, destination.key),
      },
      async () => {
        if (read.chat.offsetsOnly && !startedAt) {
          throw new ProblemError(422, 'Invalid chat transcript', {
            detail: `Transcript.0.AbsoluteTime: the entries carry only BeginOffsetMillis, and no contact record of ${transcript.ContactId} says when the chat began; import the contact record first`,
            errors: [{ pointer: '/Transcript/0/AbsoluteTime', field: 'Transcript.0.AbsoluteTime', message: 'only offsets, and the contact record that gives their start is not stored yet' }],
          });
        }
        const stored = await deps.media.put(raw);
        const chat = { transcriptSha256: stored.sha256, sizeBytes: stored.sizeBytes, contactId: destination.key };
        const value = await captureContent(deps, destination.source, destination.key, { context, content: { kind: 'chat', chat } });
        return { value, details: { outcome: value.outcome, conversationId: value.conversationId } };
      },
    );
    return c.json(importResultOf(result), result.outcome === 'created' ? 201 : 200);
  };

  return { postChat };
}
