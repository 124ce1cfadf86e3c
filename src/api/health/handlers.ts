import type { RouteHandler } from '@hono/zod-openapi';
import type { AppEnv } from '../context.js';
import type { ApiDeps } from '../deps.js';
import { countCaptureFlags } from '../../search/capture-flags.js';
import { recordingFetchReport } from '../../recordings/recording-fetches.js';
import type { captureHealthRoute, liveRoute, readyRoute } from './routes.js';

const PROBE_TIMEOUT_MS = 3_000;

function withTimeout(probe: () => Promise<void>): Promise<void> {
  return Promise.race([
    probe(),
    new Promise<void>((_, reject) => setTimeout(() => reject(new Error(`no answer within ${PROBE_TIMEOUT_MS} ms`)), PROBE_TIMEOUT_MS).unref()),
  ]);
}

export function healthHandlers(deps: ApiDeps) {
  const live: RouteHandler<typeof liveRoute, AppEnv> = (c) => c.json({ status: 'live' as const }, 200);
  const readiness: RouteHandler<typeof readyRoute, AppEnv> = async (c) => {
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
  };

  const capture: RouteHandler<typeof captureHealthRoute, AppEnv> = async (c) =>
    c.json({ flags: await countCaptureFlags(deps.db), recordingFetches: await recordingFetchReport(deps.db) }, 200);

  return { live, ready: readiness, capture };
}
