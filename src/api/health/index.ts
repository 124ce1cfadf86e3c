import { OpenAPIHono, createRoute, z } from '@hono/zod-openapi';
import type { AppEnv } from '../context.js';
import type { ApiDeps } from '../deps.js';

const readinessSchema = z.object({
  status: z.enum(['ready', 'unavailable']),
  checks: z.record(z.string(), z.object({ ok: z.boolean(), error: z.string().optional() })),
});

const liveRoute = createRoute({
  method: 'get',
  path: '/health/live',
  tags: ['Health'],
  summary: 'The process is up',
  responses: { 200: { description: 'Alive', content: { 'application/json': { schema: z.object({ status: z.literal('live') }) } } } },
});

const readyRoute = createRoute({
  method: 'get',
  path: '/health/ready',
  tags: ['Health'],
  summary: 'PostgreSQL and Temporal answer',
  responses: {
    200: { description: 'Ready', content: { 'application/json': { schema: readinessSchema } } },
    503: { description: 'A dependency does not answer', content: { 'application/json': { schema: readinessSchema } } },
  },
});

const PROBE_TIMEOUT_MS = 3_000;

function withTimeout(probe: () => Promise<void>): Promise<void> {
  return Promise.race([
    probe(),
    new Promise<void>((_, reject) => setTimeout(() => reject(new Error(`no answer within ${PROBE_TIMEOUT_MS} ms`)), PROBE_TIMEOUT_MS).unref()),
  ]);
}

export function healthRoutes(deps: ApiDeps) {
  return new OpenAPIHono<AppEnv>()
    .openapi(liveRoute, (c) => c.json({ status: 'live' as const }, 200))
    .openapi(readyRoute, async (c) => {
      const probes = deps.probes ?? {};
      const entries = await Promise.all(
        Object.entries(probes).map(async ([name, probe]) => {
          try {
            await withTimeout(probe);
            return [name, { ok: true }] as const;
          } catch (error) {
            // Names the failing dependency without leaking connection strings or stack traces.
            return [name, { ok: false, error: error instanceof Error ? error.name : 'error' }] as const;
          }
        }),
      );
      const checks = Object.fromEntries(entries);
      const ready = entries.every(([, check]) => check.ok);
      return c.json({ status: ready ? ('ready' as const) : ('unavailable' as const), checks }, ready ? 200 : 503);
    });
}
