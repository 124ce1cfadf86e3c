import { createRoute } from '@hono/zod-openapi';
import { chatImportSchema } from '../../../domain/chat-import.js';
import { jsonBody, jsonResponse, problemResponses } from '../../openapi-shared.js';
import { importResultSchema } from '../import-result.js';

export const postChatRoute = createRoute({
  method: 'post',
  path: '/v1/chats',
  tags: ['Capture'],
  summary: 'Import an Amazon Connect chat transcript or Contact Lens chat file',
  description:
    'The transcript as Amazon Connect writes it to S3 (ContactId, Participants, Transcript items with AbsoluteTime, Type, ' +
    'ParticipantRole, DisplayName, Content), or the Contact Lens output of a chat, original or redacted (CustomerMetadata.ContactId, ' +
    'Participants with ParticipantRole, Transcript entries with AbsoluteTime or BeginOffsetMillis). Unknown fields and nulls are ' +
    'accepted; an invalid field is answered 422 naming it. The chat joins the conversation of its contact (InitialContactId ?? ' +
    'ContactId, the same as its CHAT contact record, in either order): delivering it again is a duplicate, delivering a longer ' +
    'transcript adds the new items. The body is kept as media byte for byte, so its digest matches the original object.',
  request: { body: jsonBody(chatImportSchema) },
  responses: {
    201: jsonResponse('A new conversation', importResultSchema),
    200: jsonResponse('Already imported (duplicate), or new items added (updated)', importResultSchema),
    ...problemResponses(400, 410, 413, 422),
  },
});
