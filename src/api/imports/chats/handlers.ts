import type { RouteHandler } from '@hono/zod-openapi';
import { auditedCall } from '../../../audit/write/audited.js';
import { canonicalJson } from '../../../lib/digest.js';
import { conversationIdFor } from '../../../lib/ids.js';
import { CHAT_CAPTURE_SOURCE } from '../../../workflows/conversation-lifecycle.contract.js';
import type { AppEnv } from '../../context.js';
import type { ApiDeps } from '../../deps.js';
import { requestContext } from '../../request-context.js';
import { captureContent } from '../capture-content.js';
import { importResultOf } from '../import-result.js';
import type { postChatRoute } from './routes.js';

export function chatImportHandlers(deps: ApiDeps) {
  const postChat: RouteHandler<typeof postChatRoute, AppEnv> = async (c) => {
    const transcript = c.req.valid('json');
    const context = requestContext(c);
    const result = await auditedCall(
      deps.db,
      {
        ...context,
        activity: 'CHAT_IMPORT',
        description: `Chat transcript ${transcript.ContactId} received`,
        details: { contactId: transcript.ContactId, items: transcript.Transcript.length },
        conversationId: conversationIdFor(CHAT_CAPTURE_SOURCE, transcript.ContactId),
      },
      async () => {
        // Canonical key order: the same transcript delivered with its keys reordered is the same content.
        const stored = await deps.media.put(Buffer.from(canonicalJson(transcript), 'utf8'));
        const chat = { transcriptSha256: stored.sha256, sizeBytes: stored.sizeBytes, contactId: transcript.ContactId };
        const value = await captureContent(deps, CHAT_CAPTURE_SOURCE, transcript.ContactId, { context, content: { kind: 'chat', chat } });
        return { value, details: { outcome: value.outcome, conversationId: value.conversationId } };
      },
    );
    return c.json(importResultOf(result), result.outcome === 'created' ? 201 : 200);
  };

  return { postChat };
}
