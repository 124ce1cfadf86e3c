import type { Actor } from '../audit/write/actor.js';
import type { Principal } from './middleware/auth/principal.js';

/** Per-request values set by middleware and read by handlers. */
export interface RequestVariables {
  /** The engine's own id of this request: the audit correlation id. */
  requestId: string;
  /** The caller's `x-request-id`, when it sent a usable one. */
  clientRequestId?: string;
  actor: Actor;
  /** The authenticated caller; set on every route that is not public. */
  principal: Principal;
}

export interface AppEnv {
  Variables: RequestVariables;
}

/** The actor of calls to public routes and of refused calls whose caller could not be identified. */
export const ANONYMOUS_ACTOR: Actor = { type: 'user', id: 'anonymous', username: 'anonymous', fullName: 'Anonymous caller' };
