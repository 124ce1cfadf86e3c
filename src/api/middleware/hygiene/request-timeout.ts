import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from '../../context.js';
import { ProblemError } from '../../problem.js';

/**
 * Answers 504 when a request runs longer than `ms`. hono/timeout does the same but throws an
 * HTTPException; throwing a ProblemError gives the client a problem+json with a meaningful title.
 * The work itself is not cancelled: an audited change still completes and records its own END.
 */
export function requestTimeout(ms: number): MiddlewareHandler<AppEnv> {
  return async (_c, next) => {
    let timer: NodeJS.Timeout | undefined;
    const expired = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new ProblemError(504, 'Request timed out', { detail: `No answer within ${ms} ms` })), ms);
    });
    try {
      await Promise.race([next(), expired]);
    } finally {
      clearTimeout(timer);
    }
  };
}
