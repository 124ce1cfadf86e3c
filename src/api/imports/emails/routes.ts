import { createRoute, z } from '@hono/zod-openapi';
import { jsonResponse, problemResponses } from '../../openapi-shared.js';
import { importResultSchema } from '../import-result.js';

export const emailJsonSchema = z
  .object({ eml: z.base64().min(1).openapi({ description: 'The raw RFC 5322 message (.eml), base64-encoded' }) })
  .openapi('EmailImport');

export const postEmailRoute = createRoute({
  method: 'post',
  path: '/v1/emails',
  tags: ['Capture'],
  summary: 'Import an email (RFC 5322 message, .eml)',
  description:
    'Send the raw message as `message/rfc822`, or as JSON `{ "eml": "<base64>" }`. The message is kept unaltered as media ' +
    '(kind original) with its attachments (kind attachment), and becomes a conversation (channel EMAIL) keyed by its ' +
    'Message-ID (the SHA-256 of the message when it has none): only the same bytes again are a duplicate; a different message ' +
    'with a Message-ID already used is its own conversation (key `<message-id>#sha256:<digest>`, `sharedMessageId` in the answer). ' +
    'A message without From is kept, flagged email-without-sender; only input that is not a message is refused. From, To, Cc, Subject ' +
    'and the body text become searchable. A message the parser refuses (e.g. more than 1,000 MIME parts) is not retried: it is ' +
    'captured all the same, kept unaltered as its original media, searchable by its top-level header (From, To, Cc, Subject, ' +
    'Date, Message-ID) and by the attributes `unparsed=true` and `unparsedReason`, and answered at once with `unparsed: { reason }`.',
  request: {
    body: {
      // Not required as JSON: a message/rfc822 body is read by the handler, not by the JSON validator.
      required: false,
      content: {
        'message/rfc822': { schema: z.string().openapi({ format: 'binary' }) },
        'application/json': { schema: emailJsonSchema },
      },
    },
  },
  responses: {
    201: jsonResponse('A new conversation', importResultSchema),
    200: jsonResponse('Already imported: a duplicate', importResultSchema),
    ...problemResponses(400, 410, 413, 415, 422),
  },
});
