import { createRoute, z } from '@hono/zod-openapi';

const readinessSchema = z.object({
  status: z.enum(['ready', 'unavailable']),
  checks: z.record(z.string(), z.object({ ok: z.boolean(), error: z.string().optional() })),
});

export const liveRoute = createRoute({
  method: 'get',
  path: '/health/live',
  tags: ['Health'],
  summary: 'The process is up',
  responses: { 200: { description: 'Alive', content: { 'application/json': { schema: z.object({ status: z.literal('live') }) } } } },
});

export const readyRoute = createRoute({
  method: 'get',
  path: '/health/ready',
  tags: ['Health'],
  summary: 'PostgreSQL and Temporal answer',
  responses: {
    200: { description: 'Ready', content: { 'application/json': { schema: readinessSchema } } },
    503: { description: 'A dependency does not answer', content: { 'application/json': { schema: readinessSchema } } },
  },
});
