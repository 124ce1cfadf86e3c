import { createRoute, z } from '@hono/zod-openapi';
import { problemResponses } from '../openapi-shared.js';

export const MAX_RECORDS_PER_BATCH = 500;

const recordResult = z
  .object({
    index: z.number().int(),
    contactId: z.string().nullable(),
    conversationId: z.string().nullable(),
    status: z.enum(['created', 'updated', 'duplicate', 'stale', 'rejected', 'disposed', 'failed']).openapi({
      description: '`disposed`: the conversation was deleted; a deletion is final and the record is not captured again',
    }),
    errors: z.array(z.object({ pointer: z.string(), field: z.string(), message: z.string() })).optional(),
  })
  .openapi('ContactRecordResult');

export const postContactRecordsRoute = createRoute({
  method: 'post',
  path: '/v1/contact-records',
  tags: ['Capture'],
  summary: 'Ingest Amazon Connect contact records (one, or a batch of up to 500)',
  description:
    'At-least-once delivery is expected: the copy with the newest LastUpdateTimestamp wins, older copies change nothing, ' +
    'identical replays are reported as duplicates. Legs of a transfer share InitialContactId and become one conversation. ' +
    'In a batch each record is answered on its own; invalid records are rejected with the offending field named.',
  request: {
    body: {
      required: true,
      content: {
        'application/json': {
          schema: z.union([z.record(z.string(), z.unknown()), z.array(z.unknown()).min(1).max(MAX_RECORDS_PER_BATCH)]).openapi({
            description: 'A contact record (Amazon Connect data model) or an array of them',
          }),
        },
      },
    },
  },
  responses: {
    200: {
      description: 'Per-record results',
      content: { 'application/json': { schema: z.object({ results: z.array(recordResult) }) } },
    },
    ...problemResponses(400, 410, 413, 422),
  },
});
