import { createRoute, z } from '@hono/zod-openapi';
import { jsonResponse, problemResponses } from '../openapi-shared.js';

const disposal = z
  .object({
    id: z.string(),
    conversationId: z.string(),
    disposedAt: z.string(),
    kind: z.enum(['deletion', 'anonymisation', 'recording-without-consent']),
    reason: z.string(),
    deleteTaskId: z.string().nullable(),
    requestedBy: z.string(),
    destroyed: z.array(z.object({ what: z.string(), sha256: z.string() })),
    auditEntry: z.object({ chainSeq: z.string(), hash: z.string(), activity: z.string(), occurredAt: z.string() }).nullable(),
    mediaDestruction: z
      .object({
        state: z.enum(['none', 'pending', 'done']),
        files: z.number().int(),
        removed: z.number().int(),
        inUseElsewhere: z.number().int(),
        destroyedAt: z.string().nullable(),
      })
      .openapi({
        description:
          'The files this disposal left without any reference, and when the last was removed from the media store (after the disposal commits; ' +
          'pending until then). inUseElsewhere: files other conversations captured again before removal, kept as theirs.',
      }),
    destroyedObjectVersions: z.array(z.object({ sha256: z.string(), versionId: z.string() })).openapi({
      description: 'With MEDIA_STORE=s3: each object version the media bucket destroyed for this disposal (Object Lock let it go only after its retain-until); empty for a local folder.',
    }),
  })
  .openapi('Disposal');

export const disposalReportRoute = createRoute({
  method: 'get',
  path: '/v1/disposals',
  tags: ['Retention'],
  summary: 'Disposal report: every deletion and anonymisation in a time range, each with its audit-chain entry to verify',
  request: {
    query: z.object({
      from: z.iso.datetime({ offset: true }).optional(),
      to: z.iso.datetime({ offset: true }).optional(),
      limit: z.coerce.number().int().min(1).max(1000).default(200),
      after: z.uuid().optional().openapi({ description: 'Keyset cursor: the id of the last entry of the previous page' }),
    }),
  },
  responses: {
    200: jsonResponse('Disposals, oldest first', z.object({ items: z.array(disposal), next: z.string().nullable() })),
    ...problemResponses(422),
  },
});

export const retentionForecastRoute = createRoute({
  method: 'get',
  path: '/v1/retention/forecast',
  tags: ['Retention'],
  summary: 'How many conversations fall due for deletion in each coming month, and how many are held or kept',
  request: { query: z.object({ months: z.coerce.number().int().min(1).max(120).default(12) }) },
  responses: {
    200: {
      description: 'Forecast',
      content: {
        'application/json': {
          schema: z.object({
            months: z.array(z.object({ month: z.string(), due: z.number().int() })),
            overdue: z.number().int(),
            onLegalHold: z.number().int(),
            withoutDeleteTask: z.number().int(),
          }),
        },
      },
    },
    ...problemResponses(422),
  },
});
