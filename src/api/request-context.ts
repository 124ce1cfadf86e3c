import type { Context } from 'hono';
import type { RequestContext } from '../audit/write/actor.js';
import type { AppEnv } from './context.js';

/** What a workflow needs to know about the request that started a change: who, and its correlation id. */
export function requestContext(c: Context<AppEnv>): RequestContext {
  const actor = c.get('actor');
  return {
    correlationId: c.get('requestId'),
    actor: { type: actor.type === 'workflow' ? 'system' : actor.type, id: actor.id, username: actor.username, fullName: actor.fullName },
  };
}
