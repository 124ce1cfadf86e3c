import { createRoute, z } from '@hono/zod-openapi';
import { problemResponses } from '../openapi-shared.js';

export const clientCopyRequestSchema = z
  .object({
    phoneNumber: z.string().regex(/^\+?[0-9]{3,20}$/, 'a phone number in E.164 form, e.g. +442071234567').optional(),
    emailAddress: z.email().max(320).optional(),
    clientId: z.string().min(1).max(200).optional().openapi({ description: 'The `clientId` attribute: of contact records, imports and meeting minutes' }),
  })
  .refine((client) => client.phoneNumber !== undefined || client.emailAddress !== undefined || client.clientId !== undefined, {
    path: ['phoneNumber'],
    message: 'name the client by phoneNumber, emailAddress or clientId',
  })
  .openapi('ClientCopyRequest');

export const postClientCopyRoute = createRoute({
  method: 'post',
  path: '/v1/client-copies',
  tags: ['Conversations'],
  summary: "Assemble a copy of everything kept for one client, for the firm to hand over (MiFID II Art. 16(7))",
  description:
    'Every conversation not deleted (so within its retention window) in which the client took part, in any channel: by phone ' +
    'number (customer, system or any call-segment party), by email address (a party of an email, or the customer address of a ' +
    'contact record or meeting), or by the `clientId` attribute; identifiers given together are OR-ed. The answer is a POSIX tar: ' +
    '`manifest.json` first (the identifiers, time, requester, the conversations, and every file with its SHA-256), then per ' +
    'conversation `conversation.json` (metadata, email, chat messages, segments, tags) and its media (originals, transcripts, ' +
    'attachments, recordings, meeting minutes). Every media file is verified against its digest before the package starts and ' +
    're-hashed while it is written; audited CLIENT_COPY_EXPORT with the conversations it holds and the manifest digest ' +
    '(also in `x-manifest-sha256`). At most 500 conversations per copy (422 beyond). No hold type forbids disclosure, so a legal ' +
    'hold does not withhold a record from the copy.',
  request: { body: { required: true, content: { 'application/json': { schema: clientCopyRequestSchema } } } },
  responses: {
    200: { description: 'The package (application/x-tar)', content: { 'application/x-tar': { schema: z.string().openapi({ format: 'binary' }) } } },
    ...problemResponses(400, 401, 403, 422),
    500: { description: 'A media file no longer matches its digest: nothing is sent' },
  },
});
