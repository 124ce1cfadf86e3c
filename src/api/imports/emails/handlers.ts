import type { RouteHandler } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { auditedCall } from '../../../audit/write/audited.js';
import { readEmailEnvelope } from '../../../domain/email-envelope.js';
import { sha256Hex } from '../../../lib/digest.js';
import { removeMediaFiles } from '../../../media/media-removal.js';
import { EMAIL_CAPTURE_SOURCE, type CaptureContentResult } from '../../../workflows/conversation-lifecycle.contract.js';
import type { AppEnv } from '../../context.js';
import type { ApiDeps } from '../../deps.js';
import { ProblemError } from '../../problem.js';
import { requestContext } from '../../request-context.js';
import { captureContent } from '../capture-content.js';
import { importResultOf } from '../import-result.js';
import { emailKeyOf, isReferenced, sharedKey } from './email-key.js';
import type { postEmailRoute } from './routes.js';

const RFC822 = /^message\/rfc822\b/i;

/** The message as sent, or decoded from the validated JSON body. */
async function rawMessageOf(c: Context<AppEnv>, json: string | { eml: string }): Promise<Buffer> {
  if (RFC822.test(c.req.header('content-type') ?? '')) return Buffer.from(await c.req.arrayBuffer());
  return Buffer.from(typeof json === 'object' ? json.eml : '', 'base64');
}

export function emailImportHandlers(deps: ApiDeps) {
  const postEmail: RouteHandler<typeof postEmailRoute, AppEnv> = async (c) => {
    const raw = await rawMessageOf(c, c.req.valid('json'));
    const context = requestContext(c);
    const digest = sha256Hex(raw);
    const result = await auditedCall(
      deps.db,
      {
        ...context,
        activity: 'EMAIL_IMPORT',
        description: `Email received (${raw.byteLength} bytes)`,
        details: { sha256: digest, sizeBytes: raw.byteLength },
      },
      async () => {
        // latin1 maps every byte to one character: headers can be read whatever the message's encoding.
        const envelope = readEmailEnvelope(raw.toString('latin1'));
        if (!envelope.ok) {
          const errors = envelope.issues.map((issue) => ({ pointer: `/${issue.field}`, ...issue }));
          throw new ProblemError(422, 'Invalid email', { detail: `${errors[0]?.field}: ${errors[0]?.message}`, errors });
        }
        let key = await emailKeyOf(deps.db, envelope.messageId, digest);
        const stored = await deps.media.put(raw);
        const capture = (externalKey: string) =>
          captureContent(deps, EMAIL_CAPTURE_SOURCE, externalKey, {
            context,
            content: { kind: 'email', email: { rawSha256: stored.sha256, sizeBytes: stored.sizeBytes, messageId: envelope.messageId } },
          });
        let value: CaptureContentResult;
        try {
          value = await capture(key.externalKey);
          const original = value.media.find((file) => file.kind === 'original');
          if (value.outcome === 'duplicate' && envelope.messageId !== null && original && original.sha256 !== digest) {
            // A different message with this Message-ID was captured between the look-up and this import.
            key = sharedKey(envelope.messageId, digest, value.conversationId);
            value = await capture(key.externalKey);
          }
        } catch (error) {
          // Bytes that no conversation came to refer to (e.g. its conversation was deleted) are not left on disk.
          if (stored.written && !(await isReferenced(deps.db, digest))) await removeMediaFiles(deps.media, [digest]);
          throw error;
        }
        const shared = key.sharedWith ? { sharedMessageId: { messageId: envelope.messageId!, firstConversationId: key.sharedWith } } : {};
        return {
          value: { ...importResultOf(value), ...shared },
          details: {
            outcome: value.outcome,
            conversationId: value.conversationId,
            messageId: envelope.messageId,
            externalKey: key.externalKey,
            ...(key.sharedWith ? { sharedMessageIdWith: key.sharedWith } : {}),
            ...(value.unparsed ? { unparsed: value.unparsed.reason } : {}),
          },
        };
      },
    );
    return c.json(result, result.status === 'created' ? 201 : 200);
  };

  return { postEmail };
}
