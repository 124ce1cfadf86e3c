import { randomUUID } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from '../../context.js';

/** A caller's own id is kept only when it is printable and short; it is never trusted as ours. */
const CLIENT_REQUEST_ID = /^[\x21-\x7e]{1,128}$/;

/**
 * Every request gets the engine's own id: it is the audit correlation id, so a caller cannot put its
 * entries into another request's trace by reusing that request's id. A caller's `x-request-id` is kept
 * beside it (request log, `x-client-request-id` answer header) for matching with the caller's logs.
 */
export function requestIds(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const id = randomUUID();
    c.set('requestId', id);
    c.header('x-request-id', id);
    const clientId = c.req.header('x-request-id');
    if (clientId !== undefined && CLIENT_REQUEST_ID.test(clientId)) {
      c.set('clientRequestId', clientId);
      c.header('x-client-request-id', clientId);
    }
    await next();
  };
}
