import { createRoute, z } from '@hono/zod-openapi';
import { jsonBody, jsonContent, jsonResponse, problemResponses, tagNameSchema } from '../openapi-shared.js';

const at = z.iso.datetime({ offset: true });
const party = z.string().min(1).max(64);
const stringMap = z.record(z.string().max(128), z.string().max(1024));
const common = { eventId: z.string().min(1).max(128), at };

/** What a telephony or CTI integration sends while a call happens; `eventId` makes redelivery harmless. */
export const callEventSchema = z
  .discriminatedUnion('type', [
    z.object({ ...common, type: z.literal('started'), customer: party, agent: party, direction: z.enum(['inbound', 'outbound']), externalData: stringMap.optional() }),
    z.object({ ...common, type: z.literal('held') }),
    z.object({ ...common, type: z.literal('resumed') }),
    z.object({ ...common, type: z.literal('transferred'), to: party }),
    z.object({ ...common, type: z.literal('consult-started'), to: party }),
    z.object({ ...common, type: z.literal('consult-completed') }),
    z.object({ ...common, type: z.literal('consult-cancelled') }),
    z.object({ ...common, type: z.literal('external-data'), data: stringMap.optional(), tags: z.record(tagNameSchema, z.string().max(256).nullable()).optional() }),
    z.object({ ...common, type: z.literal('consent'), given: z.boolean() }),
    z.object({ ...common, type: z.literal('ended') }),
  ])
  .openapi('CallEvent');

export const callIdParams = z.object({ callId: z.string().regex(/^[A-Za-z0-9_.:-]{1,128}$/, 'letters, digits, _ . : - only') });

const callEventsResult = z.object({
  conversationId: z.string(),
  applied: z.array(z.string()),
  duplicates: z.array(z.string()),
  rejected: z.array(z.object({ eventId: z.string(), message: z.string() })),
  status: z.string().nullable(),
  activeSegmentIndex: z.number().int().nullable(),
});

export const postCallEventsRoute = createRoute({
  method: 'post',
  path: '/v1/calls/{callId}/events',
  tags: ['Live calls'],
  summary: 'Report what happens on a live call: started, held, resumed, transferred, consultations, external data, consent, ended',
  description:
    'Events are applied in order; each hold, transfer and consultation cuts a new recorded segment, and the recording rules are ' +
    'evaluated per segment. Re-sending an event with the same eventId is reported as a duplicate and changes nothing.',
  request: {
    params: callIdParams,
    body: jsonBody(z.union([callEventSchema, z.array(callEventSchema).min(1).max(100)])),
  },
  responses: { 200: jsonResponse('Applied', callEventsResult), ...problemResponses(410, 422) },
});

const segmentView = z.object({
  index: z.number().int(),
  kind: z.string(),
  parties: z.object({ a: z.string(), b: z.string() }),
  startedAt: z.string(),
  endedAt: z.string().nullable(),
  recorded: z.boolean(),
  ruleId: z.string().nullable(),
  consent: z.string(),
  mediaKept: z.boolean(),
  tags: z.array(z.object({ name: z.string(), value: z.string().nullable(), source: z.string(), at: z.string() })),
});

export const getCallRoute = createRoute({
  method: 'get',
  path: '/v1/calls/{callId}',
  tags: ['Live calls'],
  summary: 'The live state of a call: status, active segment, segments and their tags',
  request: { params: callIdParams },
  responses: {
    200: {
      description: 'The call',
      content: {
        'application/json': {
          schema: z.object({ conversationId: z.string(), status: z.string(), activeSegmentIndex: z.number().int().nullable(), segments: z.array(segmentView) }),
        },
      },
    },
    ...problemResponses(404),
  },
});

const segmentTagResult = z.object({ conversationId: z.string(), segmentIndex: z.number().int(), change: z.enum(['added', 'updated', 'removed', 'unchanged']) });

export const tagActiveSegmentRoute = createRoute({
  method: 'post',
  path: '/v1/calls/{callId}/tags',
  tags: ['Live calls'],
  summary: 'Tag the active segment (API or agent desktop); refused with 409 "no active call" on hold, unrecorded or ended calls',
  request: {
    params: callIdParams,
    body: {
      required: true,
      content: jsonContent(z.object({ name: tagNameSchema, value: z.string().max(256).nullable().default(null), source: z.enum(['api', 'agent-desktop']).default('api') })),
    },
  },
  responses: { 200: jsonResponse('Tagged', segmentTagResult), ...problemResponses(404, 409, 410, 422) },
});

export const untagActiveSegmentRoute = createRoute({
  method: 'delete',
  path: '/v1/calls/{callId}/tags/{name}',
  tags: ['Live calls'],
  summary: 'Remove a manual tag from the active segment',
  request: { params: callIdParams.extend({ name: tagNameSchema }), query: z.object({ source: z.enum(['api', 'agent-desktop']).default('api') }) },
  responses: { 200: jsonResponse('Removed', segmentTagResult), ...problemResponses(404, 409, 410, 422) },
});
