import { createRoute, z } from '@hono/zod-openapi';
import { jsonResponse } from '../openapi-shared.js';

const readinessSchema = z.object({
  status: z.enum(['ready', 'unavailable']),
  checks: z.record(z.string(), z.object({ ok: z.boolean(), error: z.string().optional() })),
});

export const liveRoute = createRoute({
  method: 'get',
  path: '/health/live',
  tags: ['Health'],
  summary: 'The process is up',
  responses: { 200: jsonResponse('Alive', z.object({ status: z.literal('live') })) },
});

export const readyRoute = createRoute({
  method: 'get',
  path: '/health/ready',
  tags: ['Health'],
  summary: 'PostgreSQL and Temporal answer',
  responses: {
    200: jsonResponse('Ready', readinessSchema),
    503: jsonResponse('A dependency does not answer', readinessSchema),
  },
});

/** The S3 recordings contact records named: how many are pending, fetched or given up, and those not fetched. */
const recordingFetchesSchema = z.object({
  counts: z.object({ pending: z.number().int(), fetched: z.number().int(), 'given-up': z.number().int() }),
  unresolved: z.array(
    z.object({
      conversationId: z.string(),
      segmentIndex: z.number().int(),
      contactId: z.string(),
      location: z.string(),
      status: z.enum(['pending', 'fetched', 'given-up']),
      attempts: z.number().int(),
      lastError: z.string().nullable(),
      nextAttemptAt: z.string().nullable(),
    }),
  ),
});

export const captureHealthRoute = createRoute({
  method: 'get',
  path: '/health/capture',
  tags: ['Health'],
  summary: 'Conversations kept with values the engine did not recognise, by capture flag',
  description:
    'A record with a Channel, InitiationMethod or DisconnectReason the engine does not know is kept verbatim and flagged, never refused. ' +
    'Each flag is counted here (zero included) and searchable with `GET /v1/conversations?flag=<code>`. ' +
    '`recordingFetches` reports the S3 recordings contact records named: counts by status, and each one not fetched (yet) with its attempts, last error and next attempt.',
  responses: {
    200: {
      description: 'Counts per capture flag',
      content: {
        'application/json': {
          schema: z.object({
            flags: z.array(z.object({ code: z.string(), description: z.string(), conversations: z.number().int() })),
            recordingFetches: recordingFetchesSchema,
          }),
        },
      },
    },
  },
});
