import { createRoute, z } from '@hono/zod-openapi';
import { retentionDecisionShape } from '../../conversation-lifecycle/routes.js';
import { problemResponses } from '../../openapi-shared.js';

const actorSchema = z.object({ type: z.string(), id: z.string(), username: z.string(), fullName: z.string() });

const traceStepSchema = z
  .object({
    at: z.string().openapi({ description: 'UTC, microseconds' }),
    date: z.string().openapi({ description: 'The same instant in the requested time zone' }),
    source: z.enum(['audit', 'workflow']),
    step: z.string().openapi({ example: 'update placeLegalHold completed' }),
    description: z.string(),
    actor: actorSchema.nullable(),
    result: z.string().nullable(),
    correlationId: z.string().nullable(),
    audit: z
      .object({ id: z.string(), chainSeq: z.number().int(), activity: z.string(), module: z.string(), phase: z.string(), details: z.record(z.string(), z.unknown()) })
      .nullable(),
    workflow: z.object({ workflowId: z.string(), runId: z.string(), eventId: z.number().int(), name: z.string().nullable() }).nullable(),
  })
  .openapi('TraceStep');

export const conversationTraceSchema = z
  .object({
    conversationId: z.string(),
    conversation: z
      .object({
        source: z.string(),
        externalKey: z.string(),
        channel: z.string(),
        lifecycleState: z.string(),
        startedAt: z.string().nullable(),
        endedAt: z.string().nullable(),
        createdAt: z.string(),
        deletedAt: z.string().nullable(),
        protectedUntil: z.string().nullable(),
        deleteDueAt: z.string().nullable(),
        workflowId: z.string(),
      })
      .nullable(),
    outcome: z.string(),
    retention: z
      .object(retentionDecisionShape)
      .nullable()
      .openapi({ description: 'Why it is kept now, or that it may go: the same decision and reasons as GET /v1/conversations/{id}/retention' }),
    workflow: z.object({
      workflowId: z.string(),
      runs: z.array(z.object({ runId: z.string(), startedAt: z.string().nullable(), historyAvailable: z.boolean(), events: z.number().int() })),
      note: z.string().nullable(),
    }),
    timeZone: z.string(),
    steps: z.array(traceStepSchema),
  })
  .openapi('ConversationTrace');

export const getConversationTraceRoute = createRoute({
  method: 'get',
  path: '/v1/conversations/{conversationId}/trace',
  tags: ['Audit'],
  summary: "A conversation's whole lifecycle, for auditors",
  description:
    'Every audit entry of the conversation and every step of its workflow (all runs), in time order, with who did what, plus its current ' +
    'state. After deletion the tombstone and the audit history still show that it existed and how it ended. Audited as CONVERSATION_TRACE.',
  request: {
    params: z.object({ conversationId: z.uuid().openapi({ param: { name: 'conversationId', in: 'path' } }) }),
    query: z.object({
      format: z.enum(['json', 'text']).default('json'),
      timeZone: z.string().min(1).max(64).optional().openapi({ description: "IANA time zone for `date`; default: the caller's own, else UTC" }),
    }),
  },
  responses: {
    200: {
      description: 'The trace, as JSON or as a plain-text report',
      content: { 'application/json': { schema: conversationTraceSchema }, 'text/plain': { schema: z.string() } },
    },
    ...problemResponses(401, 403, 404, 422),
  },
});
