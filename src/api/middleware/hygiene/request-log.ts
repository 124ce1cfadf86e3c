import type { MiddlewareHandler } from 'hono';
import type { Logger } from '../../../lib/logger.js';
import type { AppEnv } from '../../context.js';

/**
 * One JSON line per request with its id, so a client quoting the id can be traced to the audit entries.
 * Deliberately logs neither headers nor query strings nor bodies: they carry tokens and personal data.
 */
export function requestLog(logger: Logger): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const started = performance.now();
    try {
      await next();
    } finally {
      const status = c.res.status;
      logger.log(status >= 500 ? 'error' : 'info', 'request', {
        requestId: c.get('requestId'),
        clientRequestId: c.get('clientRequestId'),
        method: c.req.method,
        path: c.req.path,
        status,
        durationMs: Math.round(performance.now() - started),
        user: c.get('actor')?.username,
      });
    }
  };
}
