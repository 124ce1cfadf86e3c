import type { RouteHandler } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { auditedCall } from '../../../audit/write/audited.js';
import { readEmailEnvelope } from '../../../domain/email-envelope.js';
import { sha256Hex } from '../../../lib/digest.js';
import { EMAIL_CAPTURE_SOURCE } from '../../../workflows/conversation-lifecycle.contract.js';
import type { AppEnv } from '../../context.js';
import type { ApiDeps } from '../../deps.js';
import { ProblemError } from '../../problem.js';
import { requestContext } from '../../request-context.js';
import { captureContent } from '../capture-content.js';
import { importResultOf } from '../import-result.js';
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
        const stored = await deps.media.put(raw);
        const value = await captureContent(deps, EMAIL_CAPTURE_SOURCE, envelope.messageId ?? stored.sha256, {
          context,
          content: { kind: 'email', email: { rawSha256: stored.sha256, sizeBytes: stored.sizeBytes, messageId: envelope.messageId } },
        });
        return {
          value,
          details: { outcome: value.outcome, conversationId: value.conversationId, messageId: envelope.messageId, ...(value.unparsed ? { unparsed: value.unparsed.reason } : {}) },
        };
      },
    );
    return c.json(importResultOf(result), result.outcome === 'created' ? 201 : 200);
  };

  return { postEmail };
}
