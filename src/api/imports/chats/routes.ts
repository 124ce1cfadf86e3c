import { createRoute } from '@hono/zod-openapi';
import { chatTranscriptSchema } from '../../../domain/chat-transcript.js';
import { problemResponses } from '../../openapi-shared.js';
import { importResultSchema } from '../import-result.js';

export const postChatRoute = createRoute({
  method: 'post',
  path: '/v1/chats',
  tags: ['Capture'],
  summary: 'Import an Amazon Connect chat transcript',
  description:
    'The transcript as Amazon Connect writes it (Participants, Transcript items with AbsoluteTime, Type, ParticipantRole, ' +
    'DisplayName, Content). Unknown fields and nulls are accepted; an invalid field is answered 422 naming it. The chat becomes ' +
    'a conversation (channel CHAT) keyed by ContactId: delivering it again is a duplicate, delivering a longer transcript adds ' +
    'the new items. The transcript itself is kept as media.',
  request: { body: { required: true, content: { 'application/json': { schema: chatTranscriptSchema } } } },
  responses: {
    201: { description: 'A new conversation', content: { 'application/json': { schema: importResultSchema } } },
    200: { description: 'Already imported (duplicate), or new items added (updated)', content: { 'application/json': { schema: importResultSchema } } },
    ...problemResponses(400, 410, 413, 422),
  },
});
