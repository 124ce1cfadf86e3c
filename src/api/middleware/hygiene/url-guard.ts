import type { MiddlewareHandler } from 'hono';
import { unstorableReason } from '../../../db/storable-text.js';
import type { AppEnv } from '../../context.js';
import { ProblemError } from '../../problem.js';

/**
 * Path segments and query values end up as query parameters; one PostgreSQL cannot store (a NUL, an unpaired
 * surrogate) is refused here with 422 naming it, for every route at once, instead of failing deep inside.
 */
export function urlGuard(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const url = new URL(c.req.url);
    for (const segment of url.pathname.split('/')) {
      let decoded: string;
      try {
        decoded = decodeURIComponent(segment);
      } catch {
        throw new ProblemError(400, 'Malformed request', { detail: 'The path is not valid percent-encoded UTF-8' });
      }
      const reason = unstorableReason(decoded);
      if (reason) throw new ProblemError(422, 'Invalid request', { detail: `A path segment ${reason}`, errors: [{ pointer: '', field: '(path)', message: reason }] });
    }
    for (const [name, value] of url.searchParams) {
      const reason = unstorableReason(name) ?? unstorableReason(value);
      if (reason) throw new ProblemError(422, 'Invalid request', { detail: `Query parameter ${JSON.stringify(name)} ${reason}`, errors: [{ pointer: '', field: name, message: reason }] });
    }
    await next();
  };
}
