import type { Context } from 'hono';
import { isKnownTimeZone } from '../../domain/time-zones.js';
import type { Principal } from '../middleware/auth/principal.js';
import type { AppEnv } from '../context.js';
import { ProblemError } from '../problem.js';

/** The time zone dates are shown in: the one asked for, else the caller's own, else UTC. */
export function requestTimeZone(c: Context<AppEnv>, requested: string | undefined): string {
  if (requested !== undefined) {
    if (!isKnownTimeZone(requested)) {
      const message = `${requested} is not an IANA time zone`;
      throw new ProblemError(422, 'Invalid request', { detail: message, errors: [{ pointer: '/timeZone', field: 'timeZone', message }] });
    }
    return requested;
  }
  // Unset on public routes (and in apps built without authentication).
  const principal: Principal | undefined = c.get('principal');
  return principal && isKnownTimeZone(principal.timeZone) ? principal.timeZone : 'UTC';
}
