import { z } from '@hono/zod-openapi';
import type { CaptureContentResult } from '../../workflows/conversation-lifecycle.contract.js';

export const capturedMediaSchema = z
  .object({
    sha256: z.string().regex(/^[0-9a-f]{64}$/),
    kind: z.enum(['original', 'transcript', 'attachment', 'recording']),
    fileName: z.string().nullable(),
    contentType: z.string(),
    sizeBytes: z.number().int(),
  })
  .openapi('CapturedMedia', { description: 'A file of the conversation; read it at /v1/conversations/{conversationId}/media/{sha256}' });

export const importResultSchema = z
  .object({
    conversationId: z.uuid(),
    kind: z.enum(['chat', 'email']),
    status: z.enum(['created', 'updated', 'duplicate']).openapi({
      description: 'created: a new conversation; updated: a re-delivered chat brought new items; duplicate: already imported, nothing changed',
    }),
    media: z.array(capturedMediaSchema),
    unparsed: z
      .object({ reason: z.string().openapi({ description: "The parser's reason, e.g. Max allowed child nodes exceeded" }) })
      .optional()
      .openapi({
        description:
          'Present when the email parser refused the message: the conversation is captured all the same, with the message kept unaltered ' +
          'as its original media, the fields of its top-level header searchable, and the attributes unparsed=true and unparsedReason',
      }),
    sharedMessageId: z
      .object({ messageId: z.string(), firstConversationId: z.uuid() })
      .optional()
      .openapi({
        description:
          'Present when a different message (other bytes) had this Message-ID first: this one is its own conversation, keyed ' +
          '`<message-id>#sha256:<digest>`, and flagged email-shared-message-id; a duplicate is only a message with the same bytes',
      }),
  })
  .openapi('ImportResult');

export type ImportResult = z.infer<typeof importResultSchema>;

export function importResultOf(result: CaptureContentResult): ImportResult {
  return { conversationId: result.conversationId, kind: result.kind, status: result.outcome, media: result.media, ...(result.unparsed ? { unparsed: result.unparsed } : {}) };
}
