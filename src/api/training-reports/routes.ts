import { createRoute, z } from '@hono/zod-openapi';
import { jsonContent, problemResponses } from '../openapi-shared.js';

const query = z
  .object({
    from: z.iso.datetime({ offset: true }).openapi({ description: 'Assignments given from (included)', example: '2026-01-01T00:00:00Z' }),
    to: z.iso.datetime({ offset: true }).openapi({ description: 'Assignments given until (excluded)', example: '2026-02-01T00:00:00Z' }),
    groupBy: z.enum(['agent', 'group']).default('agent'),
    packId: z.uuid().optional(),
  })
  .refine((value) => Date.parse(value.from) < Date.parse(value.to), { message: 'from must be before to', path: ['to'] });

export const trainingReportRowSchema = z
  .object({
    key: z.string().openapi({ description: "The trainee's username, or the group" }),
    assigned: z.number().int(),
    open: z.number().int(),
    passed: z.number().int(),
    failed: z.number().int(),
    cancelled: z.number().int(),
    overdue: z.number().int().openapi({ description: 'Open and past due, or marked overdue by its follow-up' }),
    attempts: z.number().int().openapi({ description: 'Quiz submissions' }),
  })
  .openapi('TrainingReportRow');

export const trainingReportRoute = createRoute({
  method: 'get',
  path: '/v1/training-reports',
  tags: ['Training'],
  summary: 'Training report per agent or group over a time range (TRAINING_REPORT)',
  description: "Assignments with assigned_at in [from, to). A group row counts each assignment under every group its trainee was in when it was given. Supervisors see only the groups they supervise.",
  request: { query },
  responses: {
    200: {
      description: 'One row per agent or group',
      content: jsonContent(z.object({ from: z.string(), to: z.string(), groupBy: z.enum(['agent', 'group']), rows: z.array(trainingReportRowSchema) })),
    },
    ...problemResponses(422),
  },
});
