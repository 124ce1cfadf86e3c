import { createRoute, z } from '@hono/zod-openapi';
import { meetingMinutesSchema } from '../../domain/meeting-minutes.js';
import { capturedMediaSchema } from '../imports/import-result.js';
import { problemResponses } from '../openapi-shared.js';

export const meetingResultSchema = z
  .object({
    conversationId: z.uuid(),
    meetingId: z.string(),
    status: z.enum(['created', 'updated', 'duplicate']).openapi({
      description: 'created: a new MEETING conversation; updated: corrected minutes, kept beside the earlier version; duplicate: these minutes were already recorded',
    }),
    media: z.array(capturedMediaSchema),
  })
  .openapi('MeetingMinutesResult');

export const postMeetingRoute = createRoute({
  method: 'post',
  path: '/v1/meetings',
  tags: ['Capture'],
  summary: 'Record the minutes of a face-to-face or video meeting with a client',
  description:
    'MiFID II (Delegated Regulation 2017/565 Art. 76(9)): a meeting with a client is minuted in a durable medium. The minutes ' +
    '(date and time, location, attendees, initiator, order information, notes, attached files as base64) become a conversation of ' +
    'channel MEETING keyed by `meetingId`, kept unaltered as its `original` media (`minutes.json`, attachments as `attachment` media), ' +
    'and then tagged, protected, reviewed, held and deleted like any other conversation. `attributes` are searchable and selectable by ' +
    'delete tasks; a client attendee\'s email (else phone) is the customer address and their `clientId` the `clientId` attribute. ' +
    'The same minutes again are a duplicate; different minutes for the same meetingId are a correction (`updated`): both versions stay.',
  request: { body: { required: true, content: { 'application/json': { schema: meetingMinutesSchema } } } },
  responses: {
    201: { description: 'A new meeting conversation', content: { 'application/json': { schema: meetingResultSchema } } },
    200: { description: 'Already recorded (duplicate), or corrected (updated)', content: { 'application/json': { schema: meetingResultSchema } } },
    ...problemResponses(400, 401, 403, 410, 413, 422),
  },
});
